"""One cache for every server (``CACHE_URL=redis://…``, seguimiento/cache.py), against the real Redis on
127.0.0.1:6379 (a key prefix of this run's own) and against a closed port for «Redis down»: the
limits are shared by every process, and with Redis down pages keep serving, the limits fail open with
one error line in the log, and /salud/ says so."""

import logging
import secrets
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from seguimiento.cache import RedisTolerante

from .conftest import clave_de_api, con_token
from .test_produccion import RAIZ, entorno_de_produccion, estaticos, gunicorn, pedir  # noqa: F401

REDIS = "redis://127.0.0.1:6379/0"


def puerto_cerrado() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again once the socket is: nothing listens there


def con_redis(url: str):
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "seguimiento.cache.RedisTolerante",
                "LOCATION": url,
                "KEY_PREFIX": f"prueba-{secrets.token_hex(6)}",
            }
        }
    )


@pytest.fixture(autouse=True)
def _sin_aviso_previo():
    RedisTolerante._avisado = 0.0


def test_the_shared_cache_keeps_and_returns_what_it_is_told():
    with con_redis(REDIS):
        assert cache.get("a") is None
        cache.set("a", {"b": 1})
        assert cache.get("a") == {"b": 1} and cache.get_many(["a", "z"]) == {"a": {"b": 1}}
        assert cache.add("n", 1) and cache.incr("n", 2) == 3
        assert cache.disponible()
        cache.clear()


def test_with_redis_down_the_cache_misses_forgets_and_logs_one_error_line(caplog):
    with (
        con_redis(f"redis://127.0.0.1:{puerto_cerrado()}/0"),
        caplog.at_level(logging.ERROR, "seguimiento.cache"),
    ):
        cache.set("a", 1)
        assert cache.get("a") is None and cache.get("a", "nada") == "nada"
        assert cache.get_many(["a"]) == {} and cache.add("a", 1) is False and cache.incr("n") == 1
        cache.delete("a")
        assert not cache.disponible()
    lineas = [r for r in caplog.records if r.name == "seguimiento.cache"]
    assert len(lineas) == 1 and lineas[0].levelno == logging.ERROR
    assert "Caché Redis no disponible" in lineas[0].getMessage()


@pytest.mark.parametrize("caido", [False, True], ids=["redis", "redis-caido"])
def test_the_api_limit_holds_with_redis_and_fails_open_without_it(usuarios, semilla, settings, caido):
    settings.API_LIMITE = "2/min"
    url = REDIS if not caido else f"redis://127.0.0.1:{puerto_cerrado()}/0"
    with con_redis(url):
        cliente = con_token(usuarios["admin"])
        estados = [cliente.get("/api/v1/compromisos/").status_code for _ in range(4)]
        estados += [cliente.get("/api/v1/atribuciones/").status_code]
    assert estados == ([200] * 5 if caido else [200, 200, 429, 429, 429])


@pytest.mark.parametrize("caido", [False, True], ids=["redis", "redis-caido"])
def test_the_verification_limit_holds_with_redis_and_fails_open_without_it(client, db, settings, caido):
    settings.VERIFICAR_LIMITE = "2/min"
    url = REDIS if not caido else f"redis://127.0.0.1:{puerto_cerrado()}/0"
    with con_redis(url):
        estados = [
            client.get(reverse("reportes:verificar"), {"folio": "X", "codigo": "Y"}).status_code
            for _ in range(3)
        ]
    assert (429 in estados) is not caido
    assert set(estados) - {429} <= {200, 404}


def test_salud_reports_the_cache_and_still_answers_200(client, db):
    with con_redis(REDIS):
        assert client.get(reverse("salud")).content == b"ok\n"
    with con_redis(f"redis://127.0.0.1:{puerto_cerrado()}/0"):
        respuesta = client.get(reverse("salud"))
        assert respuesta.status_code == 200
        assert respuesta.content.decode() == "ok\ncaché no disponible: límites de peticiones sin aplicar\n"
        # Pages keep serving: the home page draws its charts again instead of reading them.
        assert client.get(reverse("login")).status_code == 200


def test_check_deploy_warns_that_limits_are_per_process_without_cache_url():
    argumentos = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    sin = subprocess.run(
        argumentos, cwd=RAIZ, env=entorno_de_produccion(CACHE_URL=None), capture_output=True, text=True
    )
    assert sin.returncode != 0 and "produccion.W002" in sin.stderr
    con = subprocess.run(argumentos, cwd=RAIZ, env=entorno_de_produccion(), capture_output=True, text=True)
    assert con.returncode == 0, con.stderr


@pytest.mark.postgres
def test_two_gunicorn_servers_sharing_redis_accept_the_limit_once(
    transactional_db,
    usuarios,
    estaticos,  # noqa: F811 (test_produccion's fixture)
    tmp_path,
):
    """300 requests at 120/min spread over two gunicorn processes: 120 accepted, not 240."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("dos servidores gunicorn necesitan una base compartida: PostgreSQL")
    datos = connection.settings_dict
    base = (
        f"postgres://{datos['USER']}@{datos['HOST'] or '127.0.0.1'}:{datos['PORT'] or 5432}/{datos['NAME']}"
    )
    clave = clave_de_api(usuarios["admin"])
    entorno = {
        "DATABASE_URL": base,
        "API_LIMITE": "120/min",
        "CACHE_PREFIJO": f"prueba-{secrets.token_hex(6)}",
    }

    def una(i: int) -> int:
        servidor = (uno, dos)[i % 2]
        return pedir(f"{servidor}/api/v1/compromisos/", Authorization=f"Token {clave}")[0]

    # 16 at a time: DRF's count alone (read, then write) let 129 through; the lock makes it exact.
    with (
        gunicorn(estaticos, tmp_path / "uno.log", **entorno) as uno,
        gunicorn(estaticos, tmp_path / "dos.log", **entorno) as dos,
        ThreadPoolExecutor(16) as hilos,
    ):
        estados = list(hilos.map(una, range(300)))
    assert estados.count(200) == 120 and estados.count(429) == 180
