"""What keeps the server from starting in production: `check --deploy` reports it and the WSGI
application refuses to load with it, so gunicorn started by hand or by systemd refuses too."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

CORREO_POR_CONSOLA = "django.core.mail.backends.console.EmailBackend"


def problemas_de_produccion() -> list[Error]:
    """With DEBUG off: SQLite (unless PERMITIR_SQLITE says it is on purpose), e-mail to the console and
    the hash chain's key missing or equal to SECRET_KEY."""
    if settings.DEBUG:
        return []
    errores = []
    if (
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        and not settings.PERMITIR_SQLITE
    ):
        errores.append(
            Error(
                "La base de datos es SQLite: no admite varios procesos escribiendo a la vez.",
                hint="Defina DATABASE_URL=postgres://usuario@servidor:5432/nombre, o PERMITIR_SQLITE=1 "
                "si de verdad quiere SQLite.",
                id="produccion.E001",
            )
        )
    if settings.EMAIL_BACKEND == CORREO_POR_CONSOLA:
        errores.append(
            Error(
                "El correo sale por la consola: los enlaces para restablecer contraseñas quedarían en el "
                "registro del servidor.",
                hint="Defina EMAIL_URL=smtp://usuario:clave@servidor:587/?tls=True (o EMAIL_BACKEND).",
                id="produccion.E002",
            )
        )
    if settings.CLAVE_INTEGRIDAD == settings.CLAVE_INTEGRIDAD_DE_DESARROLLO:
        errores.append(
            Error(
                "Falta CLAVE_INTEGRIDAD: la cadena de huellas del registro usaría la clave de desarrollo, "
                "que cualquiera puede leer en el código.",
                hint="Defina CLAVE_INTEGRIDAD (distinta de SECRET_KEY, la misma en cada arranque), p. ej. "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'; guárdela fuera de la base "
                "de datos y de los respaldos.",
                id="produccion.E003",
            )
        )
    if settings.CLAVE_INTEGRIDAD == settings.SECRET_KEY:
        errores.append(
            Error(
                "CLAVE_INTEGRIDAD es igual a SECRET_KEY: deben ser claves distintas.",
                hint="Genere otra para CLAVE_INTEGRIDAD.",
                id="produccion.E004",
            )
        )
    return errores


@register(Tags.security)
def revisar_clave_de_integridad(app_configs, **kwargs) -> list[Warning]:
    """In development a missing CLAVE_INTEGRIDAD is only a warning: a local key stands in."""
    if not settings.DEBUG or settings.CLAVE_INTEGRIDAD != settings.CLAVE_INTEGRIDAD_DE_DESARROLLO:
        return []
    return [
        Warning(
            "CLAVE_INTEGRIDAD no está definida: la cadena de huellas usa una clave local de desarrollo.",
            hint="En producción defina CLAVE_INTEGRIDAD (ver docs/produccion.md).",
            id="seguimiento.W001",
        )
    ]


@register(Tags.security, deploy=True)
def revisar_produccion(app_configs, **kwargs) -> list[Error]:
    return problemas_de_produccion()


@register(Tags.security, deploy=True)
def revisar_url_base(app_configs, **kwargs) -> list[Warning]:
    """Reminder e-mails link to URL_BASE: on this machine's address, or without TLS, their links lead
    nowhere useful. A warning, not a refusal: the site itself works without it."""
    if settings.DEBUG:
        return []
    partes = urlsplit(settings.URL_BASE)
    if partes.scheme == "https" and partes.hostname not in {"127.0.0.1", "localhost", None}:
        return []
    return [
        Warning(
            f"URL_BASE es «{settings.URL_BASE}»: los enlaces de los correos de avisos no llevarían al sitio.",
            hint="Defina URL_BASE con la dirección pública, p. ej. https://seguimiento.example.gob.mx",
            id="produccion.W001",
        )
    ]


@register(Tags.security, deploy=True)
def revisar_cache_compartida(app_configs, **kwargs) -> list[Warning]:
    """Without CACHE_URL each worker keeps its own cache: every limit multiplies by the processes (and
    servers) answering. A warning: one server with one worker is a fair setup."""
    if (
        settings.DEBUG
        or settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache"
    ):
        return []
    return [
        Warning(
            "CACHE_URL no está definida: cada proceso lleva su propia caché, así que los límites de "
            "peticiones (API, verificación, emisión) se multiplican por el número de procesos y servidores.",
            hint="Defina CACHE_URL=redis://servidor:6379/0 (la misma en todos los servidores).",
            id="produccion.W002",
        )
    ]


def exigir_produccion() -> None:
    errores = problemas_de_produccion()
    if errores:
        detalle = "\n".join(f"- {error.msg} {error.hint}" for error in errores)
        raise ImproperlyConfigured(f"El servidor no arranca en producción:\n{detalle}")
