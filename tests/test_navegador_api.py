"""The API's interactive docs in a real browser: Swagger UI from the project's static files, under
the strict CSP (its init script is a file of its own, ``?script``), with no violation reported; and a
logged-in user can try a GET from the page with the session."""

from pathlib import Path

import pytest

from . import test_navegador, test_navegador_csp

navegador, pagina, datos = test_navegador.navegador, test_navegador.pagina, test_navegador.datos
violaciones = test_navegador_csp.violaciones
iniciar_sesion = test_navegador.iniciar_sesion

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

CAPTURAS = Path("/tmp/capturas-api")


def test_docs_render_under_the_csp_and_try_a_request_with_the_session(
    pagina, violaciones, live_server, datos
):
    CAPTURAS.mkdir(exist_ok=True)
    pagina.set_viewport_size({"width": 1366, "height": 900})
    iniciar_sesion(pagina, live_server, "gerente")
    pagina.wait_for_url("**/convenios/")
    respuesta = pagina.goto(f"{live_server.url}/api/v1/docs/")
    politica = respuesta.headers["content-security-policy"]
    assert "script-src 'self'" in politica and "unsafe" not in politica
    assert "<script>" not in respuesta.text() and "<style" not in respuesta.text()

    pagina.get_by_role("heading", name="API de Seguimiento").wait_for()
    operacion = pagina.locator("#operations-estatus-estatus_list")
    operacion.wait_for()
    assert pagina.locator(".opblock").count() >= 17
    pagina.screenshot(path=CAPTURAS / "docs.png", full_page=False)

    operacion.locator(".opblock-summary").click()
    operacion.get_by_role("button", name="Try it out").click()
    operacion.get_by_role("button", name="Execute").click()
    cuerpo = operacion.locator(".live-responses-table tbody .response-col_status").first
    cuerpo.wait_for()
    assert cuerpo.inner_text().strip() == "200"
    assert (
        "en-cumplimiento"
        in operacion.locator(".live-responses-table tbody .response-col_description").inner_text()
    )

    pagina.set_viewport_size({"width": 390, "height": 844})
    pagina.goto(f"{live_server.url}/api/v1/docs/")
    pagina.locator("#operations-estatus-estatus_list").wait_for()
    ancho = pagina.evaluate("document.documentElement.scrollWidth")
    pagina.screenshot(path=CAPTURAS / "docs-movil.png", full_page=False)
    assert ancho <= 390, ancho
    assert violaciones == []
