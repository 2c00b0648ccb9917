"""The extension journey in a real browser (Playwright, Debian's chromium), at 1366 and 390 px: the
liaison asks to move a commitment's due date from its row, sees it on its home page, the Capturista
sees «Por validar» on its home page and approves it from «Prórrogas»; the row then shows
«Prórrogas: 1» and the history tells who asked and who approved."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from convenios.models import Compromiso

from .test_navegador import iniciar_sesion, navegador, pagina  # noqa: F401 (fixtures)
from .test_navegador_propuestas import CONVENIO, TEXTO, personas  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

CAPTURAS = Path(os.environ.get("CAPTURAS_PRORROGAS", Path(__file__).resolve().parents[1] / "capturas"))


def fotos(pagina, nombre: str) -> None:  # noqa: F811
    """The page at 1366 and at 390 px (the page itself never scrolls sideways on a phone)."""
    CAPTURAS.mkdir(parents=True, exist_ok=True)
    pagina.set_viewport_size({"width": 1366, "height": 900})
    pagina.screenshot(path=CAPTURAS / f"{nombre}.png", full_page=True)
    pagina.set_viewport_size({"width": 390, "height": 844})
    assert pagina.evaluate("document.documentElement.scrollWidth") <= 390, nombre
    pagina.screenshot(path=CAPTURAS / f"{nombre}-movil.png", full_page=True)
    pagina.set_viewport_size({"width": 1366, "height": 900})


def test_enlace_asks_for_an_extension_and_capturista_approves_it(
    navegador,  # noqa: F811
    pagina,  # noqa: F811
    live_server,
    personas,  # noqa: F811
):
    hoy = timezone.localdate()
    compromiso = Compromiso.objects.get(texto__startswith=TEXTO)
    Compromiso.objects.filter(pk=compromiso.pk).update(fecha_limite=hoy + datetime.timedelta(days=3))
    nueva = hoy + datetime.timedelta(days=45)
    pagina.set_viewport_size({"width": 1366, "height": 900})

    iniciar_sesion(pagina, live_server, "enlace")
    pagina.goto(f"{live_server.url}{CONVENIO}")
    pagina.locator("tr", has_text=TEXTO).get_by_role("link", name="Solicitar prórroga").click()
    pagina.wait_for_url("**/prorrogar/")
    fotos(pagina, "prorrogar")
    pagina.get_by_label("Nueva fecha límite").fill(nueva.isoformat())
    pagina.get_by_label("Justificación").fill("La plataforma estatal se migra en enero.")
    pagina.get_by_role("button", name="Enviar solicitud").click()
    pagina.wait_for_url(f"**{CONVENIO}*")
    assert "Solicitud de prórroga" in pagina.locator("body").inner_text()
    assert "Prórroga solicitada" in pagina.locator("tr", has_text=TEXTO).inner_text()
    pagina.goto(f"{live_server.url}/")
    assert "Prórrogas solicitadas (1)" in pagina.locator("body").inner_text()
    fotos(pagina, "inicio-enlace")

    pagina.context.clear_cookies()
    iniciar_sesion(pagina, live_server, "capturista")
    pagina.goto(f"{live_server.url}/")
    assert "Solicitudes de prórroga: 1" in pagina.locator("body").inner_text()
    fotos(pagina, "inicio-capturista")
    pagina.get_by_role("link", name="Solicitudes de prórroga: 1").click()
    pagina.wait_for_url("**/convenios/prorrogas/")
    fotos(pagina, "prorrogas")
    pagina.get_by_label("Comentario").fill("Conforme con el oficio.")
    pagina.get_by_role("button", name="Aprobar").click()
    pagina.wait_for_url("**/convenios/prorrogas/")
    assert "aprobada" in pagina.locator("body").inner_text()
    assert Compromiso.objects.get(pk=compromiso.pk).fecha_limite == nueva

    pagina.goto(f"{live_server.url}{CONVENIO}")
    assert "Prórrogas: 1" in pagina.locator("tr", has_text=TEXTO).inner_text()
    pagina.goto(f"{live_server.url}/convenios/compromiso/{compromiso.pk}/historial/")
    historial = pagina.locator("#titulo-prorrogas + p + ol").inner_text()
    assert "Solicitada por Ana López" in historial and "aprobada por capturista" in historial
    fotos(pagina, "historial-prorroga")
