"""The main menu shows each role exactly the pages it can open, and every entry it shows opens."""

import re

import pytest
from django.urls import reverse

from .conftest import enlaces_del_menu

# The seed and the users are built once for the module (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("mundo_del_modulo")

LECTORES = {
    "convenios:lista",
    "convenios:compromisos",
    "comisiones:lista",
    "comisiones:atribuciones",
    "reportes:indice",
    "reportes:verificar",
    "password_change",
}
MENU = {
    "sin_rol": {"reportes:verificar", "password_change"},
    "capturista": LECTORES | {"seguimiento:por_validar", "convenios:prorrogas"},
    "gerente": LECTORES,
    "auditor": LECTORES,
    # Loads convenios' data; commissions are not its business (see reportes.informes.REPORTES).
    "importador": LECTORES - {"comisiones:lista", "comisiones:atribuciones"}
    | {"convenios:importar", "admin:index"},
    "admin": LECTORES
    | {"convenios:importar", "seguimiento:por_validar", "convenios:prorrogas", "admin:index"},
}


@pytest.mark.parametrize("rol", list(MENU))
def test_the_menu_shows_each_role_the_pages_it_can_open_and_they_open(client, usuarios, semilla, rol):
    client.force_login(usuarios[rol])
    enlaces = enlaces_del_menu(client.get(reverse("reportes:verificar")).content.decode())
    assert enlaces == {reverse(nombre) for nombre in MENU[rol]}
    for enlace in enlaces:
        assert client.get(enlace).status_code == 200, enlace


def test_anonymous_visitors_see_no_menu(client, db):
    assert enlaces_del_menu(client.get(reverse("reportes:verificar")).content.decode()) == set()


def pagina_actual(html: str) -> set[str]:
    """The menu links marked as the current page."""
    menu = re.search(r'<nav aria-label="Principal">(.*?)</nav>', html, re.S).group(1)
    return set(re.findall(r'<a href="([^"]+)" aria-current="page"', menu))


@pytest.mark.parametrize(
    ("pagina", "resaltada"),
    [
        ("reportes:verificar", "reportes:verificar"),
        ("reportes:indice", "reportes:indice"),
        ("reportes:consolidado", "reportes:indice"),
        ("convenios:lista", "convenios:lista"),
        ("convenios:importar", "convenios:importar"),
        ("convenios:compromisos", "convenios:compromisos"),
        ("convenios:prorrogas", "convenios:prorrogas"),
        ("comisiones:atribuciones", "comisiones:atribuciones"),
        ("password_change", "password_change"),
    ],
)
def test_the_menu_marks_exactly_the_current_entry(client, usuarios, semilla, pagina, resaltada):
    client.force_login(usuarios["admin"])
    html = client.get(reverse(pagina)).content.decode()
    assert pagina_actual(html) == {reverse(resaltada)}


def test_the_user_menu_is_a_disclosure_with_the_password_change_and_logout(client, usuarios, db):
    client.force_login(usuarios["gerente"])
    html = client.get(reverse("reportes:verificar")).content.decode()
    menu = re.search(r'<details class="menu-usuario">(.*?)</details>', html, re.S).group(1)
    assert "<summary>" in menu and "gerente</summary>" in menu
    assert f'<a href="{reverse("password_change")}"' in menu
    assert f'<form method="post" action="{reverse("logout")}"' in menu and "Cerrar sesión" in menu


def test_the_password_change_page_is_the_applications_and_works(client, usuarios, db):
    usuario = usuarios["capturista"]
    client.force_login(usuario)
    pagina = client.get(reverse("password_change")).content.decode()
    assert '<nav aria-label="Principal">' in pagina and "<h1>Cambiar contraseña</h1>" in pagina
    assert 'id="id_new_password1_helptext"' in pagina and "style=" not in pagina

    errores = client.post(
        reverse("password_change"),
        {"old_password": "equivocada", "new_password1": "x", "new_password2": "y"},
    )
    assert errores.status_code == 200 and 'role="alert"' in errores.content.decode()

    nueva = "Una-clave-nueva-larga-2026"
    respuesta = client.post(
        reverse("password_change"),
        {"old_password": "clave-de-prueba", "new_password1": nueva, "new_password2": nueva},
        follow=True,
    )
    assert respuesta.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Contraseña cambiada" in respuesta.content.decode()
    usuario.refresh_from_db()
    assert usuario.check_password(nueva)


def test_the_favicon_is_linked_and_served_at_the_root(client, usuarios, db):
    from django.contrib.staticfiles import finders

    client.force_login(usuarios["auditor"])
    html = client.get(reverse("reportes:verificar")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in html
    respuesta = client.get("/favicon.ico")
    assert respuesta.status_code == 302 and respuesta["Location"] == "/static/img/favicon.ico"
    with open(finders.find("img/favicon.ico"), "rb") as icono:
        assert icono.read(4) == b"\x00\x00\x01\x00"  # the ICO signature
    assert client.post("/favicon.ico").status_code == 405


def test_the_admin_wears_the_applications_colours_without_inline_styles(client, usuarios, db):
    from django.contrib.staticfiles import finders

    client.force_login(usuarios["admin"])
    html = client.get(reverse("admin:index")).content.decode()
    assert 'href="/static/css/admin.css"' in html and 'rel="icon"' in html
    assert "<style" not in html and " style=" not in html
    with open(finders.find("css/admin.css"), encoding="utf-8") as hoja:
        css = hoja.read()
    assert "--header-bg: #6b1d2f" in css and "--primary: #6b1d2f" in css
