"""Production: security headers, sessions, e-mail, health, error pages, the JSON log and the login
lockout in the test client; `check --deploy`, the refusals to start, the static files and a database
outage against the real thing (manage.py and gunicorn in processes of their own)."""

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.decorators import login_not_required
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import OperationalError
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone

from config import urls as urls_del_sitio

from .factories import UsuarioFactory

RAIZ = Path(__file__).resolve().parent.parent
CONVENIOS = "/convenios/"
CLAVE = "clave-de-prueba"


# --- Security headers ------------------------------------------------------------------------------


def directivas_csp(respuesta) -> dict[str, str]:
    politica = respuesta["Content-Security-Policy"]
    return dict(d.strip().split(" ", 1) for d in politica.split(";") if d.strip())


def test_login_page_has_a_strict_csp_referrer_policy_and_is_not_stored(client, db):
    respuesta = client.get(reverse("login"))
    csp = directivas_csp(respuesta)
    assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert "unsafe" not in respuesta["Content-Security-Policy"]
    assert respuesta["Referrer-Policy"] == "same-origin"
    assert respuesta["X-Frame-Options"] == "DENY"
    assert respuesta["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in respuesta["Cache-Control"]


def test_pages_behind_the_login_are_never_stored(client, usuarios, semilla):
    client.force_login(usuarios["admin"])
    for url in (CONVENIOS, reverse("convenios:detalle", args=[semilla.slug]), reverse("admin:index")):
        respuesta = client.get(url)
        assert respuesta.status_code == 200
        cache = {d.strip() for d in respuesta["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= cache, url
        assert "unsafe" not in respuesta["Content-Security-Policy"]


def test_https_responses_carry_hsts_for_a_year_with_subdomains(client, db):
    respuesta = client.get(reverse("login"), secure=True)
    assert respuesta["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_with_ssl_redirect_on_pages_go_to_https_but_the_health_check_does_not(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    respuesta = client.get(reverse("login"))
    assert respuesta.status_code == 301 and respuesta["Location"].startswith("https://")
    assert client.get(reverse("salud")).status_code == 200
    # Behind the proxy, the scheme the browser used comes in X-Forwarded-Proto.
    assert client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"}).status_code == 200


# --- Sessions --------------------------------------------------------------------------------------


@pytest.fixture
def reloj(monkeypatch):
    """Moves Django's clock (sessions and the idle-timeout middleware read timezone.now)."""
    real = timezone.now
    desfase = {"valor": timedelta()}
    monkeypatch.setattr(timezone, "now", lambda: real() + desfase["valor"])

    def avanzar_a(tiempo: timedelta) -> None:
        desfase["valor"] = tiempo

    return avanzar_a


def test_a_session_ends_after_eight_idle_hours_and_activity_keeps_it_alive(client, usuarios, reloj, settings):
    settings.SESION_MAXIMA_HORAS = 24  # the absolute lifetime: tests/test_limites_de_peticion.py
    client.force_login(usuarios["gerente"])
    assert client.get(CONVENIOS).status_code == 200
    reloj(timedelta(hours=7))
    assert client.get(CONVENIOS).status_code == 200
    reloj(timedelta(hours=14))  # 14 h after login, 7 h after the last page
    assert client.get(CONVENIOS).status_code == 200
    reloj(timedelta(hours=22, minutes=1))  # 8 h and a minute without a page
    respuesta = client.get(CONVENIOS)
    assert respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))


def test_page_views_save_the_session_at_most_every_five_minutes(client, usuarios, reloj):
    client.force_login(usuarios["gerente"])
    al_entrar = Session.objects.get().expire_date
    for minutos in (0, 2, 4):
        reloj(timedelta(minutes=minutos))
        assert client.get(CONVENIOS).status_code == 200
    assert Session.objects.get().expire_date == al_entrar
    reloj(timedelta(minutes=5, seconds=1))
    client.get(CONVENIOS)
    assert Session.objects.get().expire_date > al_entrar + timedelta(minutes=5)


def test_a_short_session_age_is_renewed_at_a_tenth_of_it(client, usuarios, reloj, settings):
    settings.SESSION_COOKIE_AGE = 600
    client.force_login(usuarios["gerente"])
    for segundos in (61, 122, 183, 244, 305, 366, 427, 488, 549, 610, 671):
        reloj(timedelta(seconds=segundos))
        assert client.get(CONVENIOS).status_code == 200
    reloj(timedelta(seconds=671 + 601))
    assert client.get(CONVENIOS).status_code == 302


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(usuarios):
    aqui, alla = Client(), Client()
    for cliente in (aqui, alla):
        cliente.force_login(usuarios["gerente"])
        assert cliente.get(CONVENIOS).status_code == 200
    respuesta = aqui.post(
        reverse("password_change"),
        {
            "old_password": CLAVE,
            "new_password1": "otra-clave-muy-larga-7",
            "new_password2": "otra-clave-muy-larga-7",
        },
    )
    assert respuesta.status_code == 302
    assert aqui.get(CONVENIOS).status_code == 200
    respuesta = alla.get(CONVENIOS)
    assert respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))


def test_an_administrator_resetting_a_password_ends_that_users_sessions(client, usuarios):
    cliente_del_usuario = Client()
    cliente_del_usuario.force_login(usuarios["capturista"])
    client.force_login(usuarios["admin"])
    url = reverse("admin:auth_user_password_change", args=[usuarios["capturista"].pk])
    respuesta = client.post(url, {"password1": "nueva-clave-larga-9", "password2": "nueva-clave-larga-9"})
    assert respuesta.status_code == 302
    assert cliente_del_usuario.get(CONVENIOS).status_code == 302


# --- E-mail ----------------------------------------------------------------------------------------


def test_a_password_reset_link_goes_by_mail_and_never_to_the_log(client, usuarios, capsys):
    usuarios["gerente"].email = "gerente@example.org"
    usuarios["gerente"].save()
    respuesta = client.post(reverse("password_reset"), {"email": "gerente@example.org"})
    assert respuesta.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["gerente@example.org"]
    enlace = next(linea for linea in mail.outbox[0].body.splitlines() if "/reset/" in linea).strip()
    assert enlace not in capsys.readouterr().out


# --- Health and error pages ------------------------------------------------------------------------


def test_health_is_public_says_ok_and_nothing_else(client, db):
    respuesta = client.get(reverse("salud"))
    assert respuesta.status_code == 200 and respuesta.content == b"ok\n"
    assert "no-store" in respuesta["Cache-Control"]
    assert "sessionid" not in respuesta.cookies and "csrftoken" not in respuesta.cookies
    assert client.head(reverse("salud")).status_code == 200
    assert client.post(reverse("salud")).status_code == 405


@login_not_required
def falla(request):
    raise RuntimeError("falla de prueba")


@login_not_required
def base_caida(request):
    raise OperationalError('connection to server at "127.0.0.1", port 9 failed: Connection refused')


urlpatterns = [*urls_del_sitio.urlpatterns, path("falla/", falla), path("base-caida/", base_caida)]
handler500 = urls_del_sitio.handler500


@pytest.fixture
def cliente_sin_excepciones(client):
    client.raise_request_exception = False
    return client


@pytest.mark.urls(__name__)
def test_an_unexpected_error_gives_a_spanish_500_page_and_one_json_line_with_the_traceback(
    cliente_sin_excepciones, usuarios, capsys
):
    cliente_sin_excepciones.force_login(usuarios["gerente"])
    capsys.readouterr()
    respuesta = cliente_sin_excepciones.get("/falla/")
    assert respuesta.status_code == 500
    assert "Ocurrió un error en el servidor" in respuesta.content.decode()
    lineas = [json.loads(linea) for linea in capsys.readouterr().out.splitlines()]
    error, peticion = lineas
    assert error["level"] == "ERROR" and error["status"] == 500 and "/falla/" in error["message"]
    assert "RuntimeError: falla de prueba" in error["exception"]
    assert peticion["status"] == 500 and peticion["user_id"] == usuarios["gerente"].pk


@pytest.mark.urls(__name__)
def test_a_database_that_cannot_be_reached_gives_a_spanish_503_with_retry_after(cliente_sin_excepciones, db):
    respuesta = cliente_sin_excepciones.get("/base-caida/")
    assert respuesta.status_code == 503 and respuesta["Retry-After"] == "30"
    assert "El servicio no está disponible por el momento" in respuesta.content.decode()


# --- Request log -----------------------------------------------------------------------------------


def test_each_request_is_one_json_line_with_method_path_status_duration_and_user(client, usuarios, capsys):
    client.force_login(usuarios["auditor"])
    capsys.readouterr()
    client.get(CONVENIOS, {"q": "no va al registro"})
    Client().get(reverse("salud"))
    pagina, salud = (json.loads(linea) for linea in capsys.readouterr().out.splitlines())
    assert {k: pagina[k] for k in ("method", "path", "status", "user_id")} == {
        "method": "GET",
        "path": CONVENIOS,
        "status": 200,
        "user_id": usuarios["auditor"].pk,
    }
    assert isinstance(pagina["duration_ms"], float) and pagina["duration_ms"] >= 0
    assert salud["path"] == "/salud/" and salud["user_id"] is None


def test_the_log_says_who_logged_in_and_that_a_login_failed(client, usuarios, capsys):
    client.post(reverse("login"), {"username": "gerente", "password": "mala"})
    client.post(reverse("login"), {"username": "gerente", "password": CLAVE})
    fallo, *_, intento_fallido, entrada = (
        json.loads(linea) for linea in capsys.readouterr().out.splitlines()
    )
    # Axes masks the username and address in the log (one may hold a mistyped password); the admin's
    # Access attempts list shows them.
    assert fallo["logger"] == "axes.handlers.database" and "login failure" in fallo["message"]
    assert "gerente" not in fallo["message"]
    assert intento_fallido["status"] == 200 and intento_fallido["user_id"] is None
    assert entrada["status"] == 302 and entrada["user_id"] == usuarios["gerente"].pk


# --- Login lockout ---------------------------------------------------------------------------------

ENTRADAS = ["login", "admin:login"]


def intentar(cliente, entrada: str, usuario: str, clave: str, ip: str = "10.0.0.1"):
    return cliente.post(reverse(entrada), {"username": usuario, "password": clave}, REMOTE_ADDR=ip)


def bloquear(cliente, entrada: str, usuario: str = "admin", ip: str = "10.0.0.1"):
    respuestas = [intentar(cliente, entrada, usuario, f"mala-{n}", ip) for n in range(5)]
    assert [r.status_code for r in respuestas] == [200, 200, 200, 200, 429]
    return respuestas[-1]


def entro(respuesta) -> bool:
    return respuesta.status_code == 302 and SESSION_KEY in respuesta.client.session


@pytest.mark.parametrize("entrada", ENTRADAS)
def test_five_failures_lock_the_username_from_that_address_with_a_spanish_message(client, usuarios, entrada):
    bloqueo = bloquear(client, entrada)
    texto = bloqueo.content.decode()
    assert "Demasiados intentos fallidos" in texto and "15 minutos" in texto
    assert bloqueo["Retry-After"] == str(15 * 60)
    correcta = intentar(client, entrada, "admin", CLAVE)
    assert correcta.status_code == 429 and not entro(correcta)


@pytest.mark.parametrize("entrada", ENTRADAS)
def test_four_failures_do_not_lock_and_a_success_clears_them(client, usuarios, entrada):
    for n in range(4):
        assert intentar(client, entrada, "admin", f"mala-{n}").status_code == 200
    assert entro(intentar(client, entrada, "admin", CLAVE))
    assert not AccessAttempt.objects.exists()


def test_the_lock_is_for_that_username_and_that_address_only(usuarios):
    bloquear(Client(), "login", "gerente", ip="10.0.0.1")
    assert entro(intentar(Client(), "login", "gerente", CLAVE, ip="10.0.0.2"))
    assert entro(intentar(Client(), "login", "auditor", CLAVE, ip="10.0.0.1"))


@pytest.mark.parametrize("entrada", ENTRADAS)
def test_the_lock_ends_after_fifteen_minutes(client, usuarios, entrada):
    bloquear(client, entrada)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert intentar(client, entrada, "admin", CLAVE).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=5))
    assert entro(intentar(client, entrada, "admin", CLAVE))


def test_attempts_while_locked_do_not_extend_the_lock(client, usuarios):
    bloquear(client, "login")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert intentar(client, "login", "admin", "otra-mala").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=5))
    assert entro(intentar(client, "login", "admin", CLAVE))


def test_a_superuser_unlocks_in_the_admin_and_staff_without_rights_cannot(usuarios):
    bloquear(Client(), "login", "gerente")
    intento = AccessAttempt.objects.get(username="gerente")

    personal = UsuarioFactory(username="personal", is_staff=True)
    cliente = Client()
    cliente.force_login(personal)
    assert cliente.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403

    cliente.force_login(usuarios["admin"])
    lista = cliente.get(reverse("admin:axes_accessattempt_changelist"))
    assert lista.status_code == 200 and "gerente" in lista.content.decode()
    respuesta = cliente.post(reverse("admin:axes_accessattempt_delete", args=[intento.pk]), {"post": "yes"})
    assert respuesta.status_code == 302
    assert entro(intentar(Client(), "login", "gerente", CLAVE))


def test_behind_the_proxy_each_browser_address_counts_on_its_own(usuarios, settings):
    settings.PROXIES_DE_CONFIANZA = 1

    def por_proxy(navegador: str, clave: str):
        # nginx appends the address it saw to whatever the browser sent.
        return Client().post(
            reverse("login"),
            {"username": "gerente", "password": clave},
            REMOTE_ADDR="127.0.0.1",
            headers={"X-Forwarded-For": f"1.2.3.4, {navegador}"},
        )

    estados = [por_proxy("203.0.113.7", f"mala-{n}").status_code for n in range(5)]
    assert estados == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    assert entro(por_proxy("203.0.113.8", CLAVE))


def test_the_test_clients_login_still_works_with_the_lockout_installed(client, usuarios):
    assert client.login(username="gerente", password=CLAVE)
    assert client.get(CONVENIOS).status_code == 200
    assert not Client().login(username="gerente", password="mala")


# --- The real thing: manage.py and gunicorn in their own processes ----------------------------------

CLAVE_SECRETA = secrets.token_urlsafe(50)
CLAVE_DE_INTEGRIDAD = secrets.token_urlsafe(50)


def entorno_de_produccion(**extra: str) -> dict[str, str]:
    """The variables a production server has (docs/produccion.md), nothing from this test run."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "SECURE_", "CACHE_", "PYTEST"))
        and k not in {"DEBUG", "SECRET_KEY", "CLAVE_INTEGRIDAD", "PERMITIR_SQLITE"}
    }
    env.update(
        SECRET_KEY=CLAVE_SECRETA,
        CLAVE_INTEGRIDAD=CLAVE_DE_INTEGRIDAD,
        DATABASE_URL="postgres://seguimiento@127.0.0.1:5432/seguimiento",
        EMAIL_URL="smtp://avisos:clave@correo.example.org:587/?tls=True",
        URL_BASE="https://seguimiento.example.org",
        # The real Redis of this machine, under keys of this test run alone.
        CACHE_URL="redis://127.0.0.1:6379/0",
        CACHE_PREFIJO=f"prueba-{CLAVE_SECRETA[:8]}",
    )
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def manage(*argumentos: str, **entorno: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *argumentos],
        cwd=RAIZ,
        env=entorno_de_produccion(**entorno),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_the_production_defaults():
    resultado = manage("check", "--deploy", "--fail-level", "WARNING")
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    assert "System check identified no issues" in resultado.stdout


def test_check_deploy_warns_when_e_mail_links_would_point_at_this_machine():
    for url_base in (None, "http://seguimiento.example.org", "https://localhost:8000"):
        resultado = manage("check", "--deploy", "--fail-level", "WARNING", URL_BASE=url_base)
        assert resultado.returncode != 0 and "produccion.W001" in resultado.stderr, url_base
    # A warning only: the server still starts.
    assert manage("check", "--deploy", URL_BASE=None).returncode == 0


def test_check_deploy_refuses_sqlite_unless_allowed_and_the_console_mail_backend():
    resultado = manage(
        "check", "--deploy", DATABASE_URL=None, EMAIL_URL=None, EMAIL_BACKEND=None, PERMITIR_SQLITE=None
    )
    assert resultado.returncode != 0
    assert "La base de datos es SQLite" in resultado.stderr
    assert "El correo sale por la consola" in resultado.stderr
    permitido = manage("check", "--deploy", "--fail-level", "WARNING", DATABASE_URL=None, PERMITIR_SQLITE="1")
    assert permitido.returncode == 0, permitido.stderr


def test_the_wsgi_application_refuses_to_load_where_check_deploy_refuses():
    codigo = "import config.wsgi"
    env = entorno_de_produccion(EMAIL_URL=None)
    resultado = subprocess.run(
        [sys.executable, "-c", codigo], cwd=RAIZ, env=env, capture_output=True, text=True
    )
    assert resultado.returncode != 0
    assert "El servidor no arranca en producción" in resultado.stderr
    assert "El correo sale por la consola" in resultado.stderr
    bien = subprocess.run(
        [sys.executable, "-c", codigo], cwd=RAIZ, env=entorno_de_produccion(), capture_output=True
    )
    assert bien.returncode == 0, bien.stderr


def test_production_refuses_to_start_without_its_own_integrity_key():
    sin_clave = manage("check", "--deploy", CLAVE_INTEGRIDAD=None)
    assert sin_clave.returncode != 0 and "Falta CLAVE_INTEGRIDAD" in sin_clave.stderr
    igual = manage("check", "--deploy", CLAVE_INTEGRIDAD=CLAVE_SECRETA)
    assert igual.returncode != 0 and "CLAVE_INTEGRIDAD es igual a SECRET_KEY" in igual.stderr
    wsgi = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=RAIZ,
        env=entorno_de_produccion(CLAVE_INTEGRIDAD=None),
        capture_output=True,
        text=True,
    )
    assert wsgi.returncode != 0 and "Falta CLAVE_INTEGRIDAD" in wsgi.stderr
    # In development a local key stands in, with a warning.
    desarrollo = manage("check", CLAVE_INTEGRIDAD=None, DEBUG="1")
    assert desarrollo.returncode == 0 and "seguimiento.W001" in desarrollo.stderr + desarrollo.stdout


def test_make_serve_refuses_to_start_without_secret_key():
    env = entorno_de_produccion(SECRET_KEY=None)
    resultado = subprocess.run(
        ["make", "--no-print-directory", "serve"],
        cwd=RAIZ,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert resultado.returncode != 0
    assert "make serve necesita SECRET_KEY" in resultado.stdout


def ajustes(*nombres: str, antes: str = "", **entorno: str) -> dict:
    """The named settings as a production process reads them from its environment (``antes``: code
    that process runs first)."""
    codigo = antes + (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(nombres)!r}}}, default=str))"
    )
    env = entorno_de_produccion(DJANGO_SETTINGS_MODULE="config.settings", **entorno)
    resultado = subprocess.run(
        [sys.executable, "-c", codigo], cwd=RAIZ, env=env, capture_output=True, text=True
    )
    assert resultado.returncode == 0, resultado.stderr
    return json.loads(resultado.stdout)


def test_production_defaults_for_a_tls_proxy():
    assert ajustes(
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_AGE",
        "STORAGES",
    ) == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_AGE": 8 * 3600,
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "privado": {"BACKEND": "seguimiento.almacen.AlmacenLocal"},  # ALMACEN_URL unset: MEDIA_ROOT
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
    }


def test_settings_do_not_change_when_the_test_runner_is_loaded():
    nombres = ("DEBUG", "SECURE_SSL_REDIRECT", "STORAGES", "SESSION_COOKIE_SECURE")
    assert ajustes(*nombres, antes="import pytest; ") == ajustes(*nombres)


def test_the_environment_overrides_them():
    assert ajustes(
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_AGE",
        "CSRF_TRUSTED_ORIGINS",
        SECURE_SSL_REDIRECT="0",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Scheme",
        SECURE_HSTS_SECONDS="3600",
        SESSION_COOKIE_AGE="1800",
        CSRF_TRUSTED_ORIGINS="https://seguimiento.example.org",
    ) == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_SCHEME", "https"],
        "SECURE_HSTS_SECONDS": 3600,
        "SESSION_COOKIE_AGE": 1800,
        "CSRF_TRUSTED_ORIGINS": ["https://seguimiento.example.org"],
    }


def test_email_url_configures_smtp_with_a_timeout():
    assert ajustes(
        "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_USE_TLS", "EMAIL_TIMEOUT"
    ) == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "correo.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "avisos",
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 10,
    }


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def estaticos(tmp_path_factory):
    """collectstatic as `make serve` runs it, once for the module."""
    raiz = tmp_path_factory.mktemp("estaticos")
    resultado = manage("collectstatic", "--noinput", "--verbosity", "0", STATIC_ROOT=str(raiz))
    assert resultado.returncode == 0, resultado.stderr
    return raiz


@contextmanager
def gunicorn(estaticos: Path, registro: Path, **entorno: str):
    """gunicorn as `make serve` starts it (config/gunicorn.py), with one worker; yields its address."""
    puerto = puerto_libre()
    env = entorno_de_produccion(STATIC_ROOT=str(estaticos), PORT=str(puerto), WEB_CONCURRENCY="1", **entorno)
    with open(registro, "w") as salida:
        proceso = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py"],
            cwd=RAIZ,
            env=env,
            stdout=salida,
            stderr=subprocess.STDOUT,
        )
    try:
        limite = time.monotonic() + 30
        while True:
            assert proceso.poll() is None, registro.read_text()
            try:
                socket.create_connection(("127.0.0.1", puerto), 0.2).close()
                break
            except OSError:
                assert time.monotonic() < limite, registro.read_text()
                time.sleep(0.1)
        yield f"http://127.0.0.1:{puerto}"
    finally:
        proceso.terminate()
        proceso.wait(timeout=30)


def pedir(url: str, cookie: str = "", **cabeceras: str):
    """GET as nginx forwards it (X-Forwarded-Proto: https); returns (status, headers, body)."""
    cabeceras = {"X-Forwarded-Proto": "https", **cabeceras}
    if cookie:
        cabeceras["Cookie"] = cookie
    peticion = urllib.request.Request(url, headers=cabeceras)
    try:
        with urllib.request.urlopen(peticion, timeout=30) as respuesta:
            return respuesta.status, respuesta.headers, respuesta.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_gunicorn_serves_hashed_compressed_static_files_and_answers_503_without_a_database(
    estaticos, tmp_path
):
    cerrado = puerto_libre()
    registro = tmp_path / "gunicorn.log"
    with gunicorn(estaticos, registro, DATABASE_URL=f"postgres://postgres@127.0.0.1:{cerrado}/nada") as url:
        estado, cabeceras, cuerpo = pedir(f"{url}/accounts/login/")
        assert estado == 200, cuerpo
        assert cabeceras["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        hoja = next(
            p
            for p in cuerpo.decode().split('"')
            if p.startswith("/static/css/seguimiento.") and p.endswith(".css")
        )
        assert hoja != "/static/css/seguimiento.css"
        estado, cabeceras, _ = pedir(url + hoja, **{"Accept-Encoding": "gzip"})
        assert estado == 200 and cabeceras["Content-Encoding"] == "gzip"
        assert "immutable" in cabeceras["Cache-Control"]
        assert pedir(f"{url}/static/admin/css/base.css")[0] == 200

        estado, cabeceras, cuerpo = pedir(f"{url}/salud/", **{"X-Forwarded-Proto": "http"})
        assert estado == 503 and cabeceras["Retry-After"] == "30"
        estado, cabeceras, cuerpo = pedir(f"{url}{CONVENIOS}", cookie="sessionid=de-alguien")
        assert estado == 503 and cabeceras["Retry-After"] == "30"
        assert "El servicio no está disponible por el momento" in cuerpo.decode()
        assert "Traceback" not in cuerpo.decode()

    lineas = [json.loads(linea) for linea in registro.read_text().splitlines() if linea.startswith("{")]
    assert {(linea["path"], linea["status"]) for linea in lineas if "duration_ms" in linea} >= {
        ("/accounts/login/", 200),
        ("/salud/", 503),
        (CONVENIOS, 503),
    }
    errores = {linea["message"]: linea for linea in lineas if linea["level"] == "ERROR"}
    assert errores.keys() == {"Service Unavailable: /salud/", f"Service Unavailable: {CONVENIOS}"}
    assert "OperationalError" in errores[f"Service Unavailable: {CONVENIOS}"]["exception"]


class Reenviador:
    """A TCP forwarder standing in for the network between the server and PostgreSQL: `cortar()` closes
    the port and every connection through it (the outage); `abrir()` listens again on the same port."""

    def __init__(self, destino: tuple[str, int]):
        self.destino = destino
        self.puerto = puerto_libre()
        self.conexiones: list[socket.socket] = []
        self.escucha: socket.socket | None = None

    def abrir(self) -> None:
        self.escucha = socket.create_server(("127.0.0.1", self.puerto))
        threading.Thread(target=self._aceptar, args=(self.escucha,), daemon=True).start()

    def _aceptar(self, escucha: socket.socket) -> None:
        while True:
            try:
                cliente, _ = escucha.accept()
            except OSError:
                return
            servidor = socket.create_connection(self.destino)
            self.conexiones += [cliente, servidor]
            for de, a in ((cliente, servidor), (servidor, cliente)):
                threading.Thread(target=self._copiar, args=(de, a), daemon=True).start()

    @staticmethod
    def _copiar(de: socket.socket, a: socket.socket) -> None:
        try:
            while datos := de.recv(65536):
                a.sendall(datos)
        except OSError:
            pass
        # One side hung up: hang up the other. shutdown() rather than close(), which would leave the
        # connection open while the opposite thread still waits in recv() on it.
        for extremo in (de, a):
            with suppress(OSError):
                extremo.shutdown(socket.SHUT_RDWR)

    def cortar(self) -> None:
        for conexion in [self.escucha, *self.conexiones]:
            with suppress(OSError):
                conexion.shutdown(socket.SHUT_RDWR)
            conexion.close()
        self.conexiones = []


@pytest.mark.postgres
def test_pages_answer_503_while_postgresql_is_unreachable_and_recover_by_themselves(
    transactional_db, estaticos, tmp_path
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("la caída y la recuperación se prueban contra PostgreSQL")
    datos = connection.settings_dict
    admin = UsuarioFactory(username="admin", is_staff=True, is_superuser=True)
    cliente = Client()
    cliente.force_login(admin)
    cookie = f"sessionid={cliente.cookies['sessionid'].value}"

    red = Reenviador((datos["HOST"] or "127.0.0.1", int(datos["PORT"] or 5432)))
    red.abrir()
    base = f"postgres://{datos['USER']}@127.0.0.1:{red.puerto}/{datos['NAME']}"
    try:
        with gunicorn(estaticos, tmp_path / "gunicorn.log", DATABASE_URL=base) as url:
            assert pedir(f"{url}{CONVENIOS}", cookie=cookie)[0] == 200
            assert pedir(f"{url}/salud/")[0] == 200

            red.cortar()
            estado, cabeceras, cuerpo = pedir(f"{url}{CONVENIOS}", cookie=cookie)
            assert estado == 503 and cabeceras["Retry-After"] == "30"
            assert "El servicio no está disponible" in cuerpo.decode()
            assert pedir(f"{url}/salud/")[0] == 503

            red.abrir()
            estado, _, cuerpo = pedir(f"{url}{CONVENIOS}", cookie=cookie)
            assert estado == 200, cuerpo.decode()
            assert pedir(f"{url}/salud/")[0] == 200
    finally:
        red.cortar()
        # PostgreSQL ends the server's backends a moment after their sockets close; the test database
        # can only be dropped once they are gone.
        with connection.cursor() as cursor:
            for _ in range(100):
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                if cursor.fetchone()[0] == 0:
                    break
                time.sleep(0.1)
