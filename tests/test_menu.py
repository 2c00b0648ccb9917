"""The main menu shows each role exactly the pages it can open, and every entry it shows opens."""

import re

import pytest
from django.urls import reverse

from .factories import UsuarioFactory

LECTORES = {
    "convenios:lista",
    "convenios:compromisos",
    "comisiones:lista",
    "reportes:consolidado",
    "reportes:verificar",
}
MENU = {
    "sin_rol": {"reportes:verificar"},
    "capturista": LECTORES,
    "gerente": LECTORES,
    "auditor": LECTORES,
    # Loads convenios' data; commissions are not its business (see reportes.informes.REPORTES).
    "importador": LECTORES - {"comisiones:lista"} | {"admin:index"},
    "admin": LECTORES | {"admin:index"},
}


@pytest.fixture
def cuentas(usuarios):
    usuarios["importador"] = UsuarioFactory(username="importador", rol="Importador", is_staff=True)
    return usuarios


def enlaces_del_menu(html: str) -> set[str]:
    menu = re.search(r'<nav aria-label="Principal">(.*?)</nav>', html, re.S)
    return set(re.findall(r'<a href="([^"]+)"', menu.group(1))) if menu else set()


@pytest.mark.parametrize("rol", list(MENU))
def test_the_menu_shows_each_role_the_pages_it_can_open_and_they_open(client, cuentas, semilla, rol):
    client.force_login(cuentas[rol])
    enlaces = enlaces_del_menu(client.get(reverse("reportes:verificar")).content.decode())
    assert enlaces == {reverse(nombre) for nombre in MENU[rol]}
    for enlace in enlaces:
        assert client.get(enlace).status_code == 200, enlace


def test_anonymous_visitors_see_no_menu(client, db):
    assert enlaces_del_menu(client.get(reverse("reportes:verificar")).content.decode()) == set()
