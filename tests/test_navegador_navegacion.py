"""Navigation and following in a real browser: the user menu opens without JavaScript's help and by
keyboard, the password change is reached from it, the follow button works in place with htmx (focus
kept) under the CSP, and none of these pages is wider than a phone."""

import pytest
from django.contrib.auth.models import Group

from avisos.models import Suscripcion
from convenios.models import Convenio

from . import test_navegador, test_navegador_csp

navegador, pagina, datos = test_navegador.navegador, test_navegador.pagina, test_navegador.datos
violaciones = test_navegador_csp.violaciones
iniciar_sesion = test_navegador.iniciar_sesion

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

CONVENIO = "/convenios/convenio-de-colaboracion-www-datos-gob-mx/"
ANCHO_DEL_TELEFONO = 390


def sin_desborde(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def capturista(datos, django_user_model):
    usuario = django_user_model.objects.create_user(
        "capturista", email="capturista@example.gob.mx", password="clave-de-prueba"
    )
    usuario.groups.add(Group.objects.get(name="Capturista"))
    return usuario


def test_capturista_stops_and_resumes_following_a_convenio_in_place(
    pagina, violaciones, live_server, capturista
):
    iniciar_sesion(pagina, live_server, "capturista")
    pagina.wait_for_url("**/convenios/")
    pagina.goto(f"{live_server.url}{CONVENIO}")
    pagina.evaluate("window.sinRecargar = true")
    boton = pagina.locator("#boton-seguir")
    assert boton.inner_text() == "Dejar de seguir"  # a Capturista follows every convenio by default

    boton.click()
    pagina.get_by_role("button", name="Seguir este convenio").wait_for()
    assert pagina.get_by_role("status").filter(has_text="No recibe avisos").count() == 1
    assert pagina.evaluate("document.activeElement.id") == "boton-seguir"
    assert pagina.evaluate("window.sinRecargar") is True  # redrawn in place, no page load
    convenio = Convenio.objects.get(slug="convenio-de-colaboracion-www-datos-gob-mx")
    assert Suscripcion.objects.get(usuario=capturista, convenio=convenio).sigue is False

    pagina.keyboard.press("Enter")  # focus stayed on the button: the keyboard can undo at once
    pagina.get_by_role("button", name="Dejar de seguir").wait_for()
    assert Suscripcion.objects.get(usuario=capturista, convenio=convenio).sigue is True
    pagina.reload()
    assert pagina.locator("#boton-seguir").inner_text() == "Dejar de seguir"
    assert violaciones == []


def test_the_user_menu_opens_by_keyboard_and_leads_to_the_password_change(pagina, live_server, capturista):
    iniciar_sesion(pagina, live_server, "capturista")
    pagina.wait_for_url("**/convenios/")
    cambiar = pagina.get_by_role("link", name="Cambiar contraseña")
    assert not cambiar.is_visible()
    pagina.locator(".menu-usuario summary").focus()
    pagina.keyboard.press("Enter")
    assert cambiar.is_visible()
    assert pagina.get_by_role("button", name="Cerrar sesión").is_visible()
    cambiar.click()
    pagina.wait_for_url("**/accounts/password_change/")
    assert pagina.get_by_role("heading", level=1).inner_text() == "Cambiar contraseña"
    pagina.get_by_label("Contraseña actual").fill("clave-de-prueba")
    pagina.get_by_label("Contraseña nueva", exact=True).fill("Otra-clave-larga-2026")
    pagina.get_by_label("Confirme la contraseña nueva").fill("Otra-clave-larga-2026")
    pagina.get_by_role("button", name="Cambiar contraseña").click()
    pagina.wait_for_url("**/accounts/password_change/done/")
    assert pagina.get_by_role("heading", level=1).inner_text() == "Contraseña cambiada"


@pytest.mark.parametrize("ancho", [ANCHO_DEL_TELEFONO, 1366])
def test_the_new_pages_fit_the_screen_with_the_user_menu_open(pagina, live_server, capturista, ancho):
    pagina.set_viewport_size({"width": ancho, "height": 900})
    iniciar_sesion(pagina, live_server, "capturista")
    pagina.wait_for_url("**/convenios/")
    for ruta in (CONVENIO, "/reportes/", "/accounts/password_change/"):
        pagina.goto(f"{live_server.url}{ruta}")
        assert sin_desborde(pagina), ruta
        pagina.locator(".menu-usuario summary").click()
        caja = pagina.get_by_role("link", name="Cambiar contraseña").bounding_box()
        assert caja["x"] >= 0 and caja["x"] + caja["width"] <= ancho, (ruta, caja)
        assert sin_desborde(pagina), ruta


@pytest.mark.parametrize("ancho", [ANCHO_DEL_TELEFONO, 1366])
def test_the_admin_wears_the_wine_header_and_fits_the_screen(
    pagina, violaciones, live_server, datos, django_user_model, ancho
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "clave-de-prueba")
    pagina.set_viewport_size({"width": ancho, "height": 900})
    iniciar_sesion(pagina, live_server, "admin")
    pagina.wait_for_url("**/convenios/")
    pagina.goto(f"{live_server.url}/admin/")
    vino = "rgb(107, 29, 47)"
    assert pagina.locator("#header").evaluate("e => getComputedStyle(e).backgroundColor") == vino
    assert (
        pagina.locator(".module caption").first.evaluate("e => getComputedStyle(e).backgroundColor") == vino
    )
    assert sin_desborde(pagina)
    assert violaciones == []
