"""What keeps the server from starting in production: `check --deploy` reports it and the WSGI
application refuses to load with it, so gunicorn started by hand or by systemd refuses too."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

CORREO_POR_CONSOLA = "django.core.mail.backends.console.EmailBackend"


def problemas_de_produccion() -> list[Error]:
    """With DEBUG off: SQLite (unless PERMITIR_SQLITE says it is on purpose) and e-mail to the console."""
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
    return errores


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


def exigir_produccion() -> None:
    errores = problemas_de_produccion()
    if errores:
        detalle = "\n".join(f"- {error.msg} {error.hint}" for error in errores)
        raise ImproperlyConfigured(f"El servidor no arranca en producción:\n{detalle}")
