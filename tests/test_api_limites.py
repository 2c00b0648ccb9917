"""The per-user request limit (seguimiento/limites.py, API_LIMITE) holds on every route of the API, for both
kinds of item: the routes and their methods are read from the router, so a viewset added later, or
one whose throttling is switched off, is covered without naming it here."""

import re

import pytest

from api.urls import router

from .conftest import con_token

pytestmark = pytest.mark.archivos

# Every route of the router with each of its methods; path parameters take a placeholder (the limit is
# checked before the object is looked up, so a missing one counts like any other request).
RUTAS = [
    (url.name, metodo) for url in router.urls for metodo in getattr(url.callback, "actions", {"get": None})
]


def ruta(nombre: str) -> str:
    patron = next(u.pattern.regex.pattern for u in router.urls if u.name == nombre)
    return "/api/v1/" + re.sub(r"\(\?P<\w+>[^)]*\)", "0", patron).strip("^$")


def test_the_router_has_every_kind_of_route():
    nombres = {nombre for nombre, _metodo in RUTAS}
    for modelo in ("compromiso", "atribucion"):
        assert {
            f"{modelo}-list",
            f"{modelo}-detail",
            f"{modelo}-actualizaciones",
            f"{modelo}-evidencia",
        } <= nombres
    assert ("compromiso-actualizaciones", "post") in RUTAS and ("atribucion-actualizaciones", "post") in RUTAS
    assert len(RUTAS) >= 17


@pytest.mark.parametrize(("nombre", "metodo"), RUTAS, ids=[f"{n}-{m}" for n, m in RUTAS])
def test_every_route_answers_429_once_the_users_limit_is_spent(usuarios, semilla, settings, nombre, metodo):
    settings.API_LIMITE = "2/min"
    cliente = con_token(usuarios["admin"])
    enviar = getattr(cliente, metodo)
    dentro = [enviar(ruta(nombre)).status_code for _ in range(2)]
    assert 429 not in dentro, dentro
    fuera = enviar(ruta(nombre))
    assert fuera.status_code == 429, (nombre, metodo, fuera.status_code)
    assert 0 < int(fuera["Retry-After"]) <= 60
