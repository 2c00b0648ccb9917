"""The home page and the consolidated report in a real browser under the strict Content-Security-
Policy: the charts (pygal SVG as ``data:`` images) are drawn, with no violation reported."""

import pytest
from django.contrib.auth.models import Group

from . import test_navegador, test_navegador_csp

navegador, pagina, datos = test_navegador.navegador, test_navegador.pagina, test_navegador.datos
violaciones = test_navegador_csp.violaciones

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

GRAFICAS = ["grafica-convenios", "grafica-instituciones", "grafica-tendencia"]


def graficas_dibujadas(pagina) -> dict[str, list[int]]:
    """Each chart as the browser drew it: (natural width, drawn width, its frame's width)."""
    return pagina.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll("figure.grafica img")].map((img) => [
            img.closest("figure").id,
            [img.naturalWidth, img.getBoundingClientRect().width, img.parentElement.clientWidth],
        ]))"""
    )


@pytest.mark.parametrize("ancho", [1366, 390])
def test_the_home_page_and_the_consolidated_report_draw_their_charts_without_csp_violations(
    pagina, violaciones, live_server, datos, django_user_model, ancho
):
    capturista = django_user_model.objects.create_user("capturista", password="clave-de-prueba")
    capturista.groups.add(Group.objects.get(name="Capturista"))
    pagina.set_viewport_size({"width": ancho, "height": 900})
    pagina.goto(f"{live_server.url}/accounts/login/")
    pagina.get_by_label("Usuario").fill("capturista")
    pagina.get_by_label("Contraseña").fill("clave-de-prueba")
    pagina.get_by_role("button", name="Entrar").click()
    pagina.wait_for_url(f"{live_server.url}/")  # login lands on «Pendientes»
    assert pagina.get_by_role("heading", level=1).inner_text() == "Pendientes"

    for ruta in ["/", "/reportes/consolidado/"]:
        respuesta = pagina.goto(f"{live_server.url}{ruta}")
        assert "unsafe" not in respuesta.headers["content-security-policy"]
        pagina.wait_for_load_state("load")
        pagina.locator("figure.grafica img").nth(len(GRAFICAS) - 1).wait_for()  # home: loaded after the page
        dibujadas = graficas_dibujadas(pagina)
        assert sorted(dibujadas) == sorted(GRAFICAS), ruta
        for clave, (natural, dibujada, marco) in dibujadas.items():
            assert natural > 0, (ruta, clave)  # decoded: an image the policy blocked has no size
            assert dibujada >= min(natural, 500), (ruta, clave)  # legible: on a phone it scrolls in its frame
            assert 0 < marco <= ancho, (ruta, clave)
        assert pagina.evaluate("document.documentElement.scrollWidth") <= ancho, ruta
        # The text alternative opens from the keyboard.
        resumen = pagina.locator("#grafica-tendencia summary")
        resumen.focus()
        pagina.keyboard.press("Enter")
        assert pagina.locator("#grafica-tendencia table").is_visible()

    assert violaciones == []
