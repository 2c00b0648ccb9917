"""The update form in a real browser, at a desktop's and a phone's width: an attached file survives
an error and is saved with the fixed update; errors come from the server, in Spanish, for the note
and the date at once; breadcrumbs lead back without widening a phone's page; the messages after a
save pass axe."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from seguimiento.evidencias import PREFIJO_RETENIDAS

from . import test_navegador, test_navegador_paginas
from .conftest import archivos_privados, leer_privado

navegador, datos = test_navegador.navegador, test_navegador.datos
capturista_y_auditor = test_navegador.capturista_y_auditor
CAPTURAS, iniciar_sesion = test_navegador.CAPTURAS, test_navegador.iniciar_sesion

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

CONVENIO = "/convenios/convenio-de-colaboracion-www-datos-gob-mx/"
COMPROMISO = "Determinar los conjuntos de datos"
ANCHOS = {1366: 900, 390: 844}
SIN_DESBORDE = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture(params=list(ANCHOS), ids=lambda ancho: f"{ancho}px")
def pagina(navegador, request):
    contexto = navegador.new_context(
        locale="es-MX", viewport={"width": request.param, "height": ANCHOS[request.param]}
    )
    page = contexto.new_page()
    page.ancho = request.param
    yield page
    contexto.close()


@pytest.mark.archivos
def test_an_attached_file_survives_a_forgotten_note_and_is_saved_with_the_update(
    pagina, live_server, capturista_y_auditor, tmp_path
):
    from weasyprint import HTML

    pdf = tmp_path / "oficio-de-incumplimiento.pdf"
    pdf.write_bytes(HTML(string="<h1>Oficio</h1><p>No se entregó el catálogo.</p>").write_pdf())
    CAPTURAS.mkdir(exist_ok=True)
    ancho = pagina.ancho

    iniciar_sesion(pagina, live_server, "capturista")
    pagina.goto(f"{live_server.url}{CONVENIO}")
    pagina.locator("tr", has_text=COMPROMISO).get_by_role("link", name="Actualizar estatus").click()
    fila = pagina.locator("tr.editando")
    fila.get_by_label("Nuevo estatus").select_option("incumplido")
    # A date the browser's own check (max = today) would stop, in English, before the server spoke.
    manana = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    fila.get_by_label("Fecha efectiva").fill(manana)
    fila.get_by_label("Evidencia (archivo)").set_input_files(str(pdf))
    fila.get_by_role("button", name="Guardar").click()

    # The server answers for both fields at once, in Spanish, and keeps the file by name.
    fila.get_by_text("Escriba una nota").wait_for()
    assert fila.get_by_text("La fecha efectiva no puede estar en el futuro.").is_visible()
    assert "Archivo ya adjuntado: oficio-de-incumplimiento.pdf" in " ".join(fila.inner_text().split())
    assert fila.get_by_label("Quitar").is_visible()
    assert pagina.evaluate(SIN_DESBORDE)
    pagina.screenshot(path=CAPTURAS / f"evidencia-retenida-{ancho}.png", full_page=False)

    fila.get_by_label("Fecha efectiva").fill(datetime.date.today().isoformat())
    fila.get_by_label("Nota", exact=True).fill("La dependencia no entregó el catálogo en el plazo acordado.")
    fila.get_by_role("button", name="Guardar").click()
    actualizada = pagina.locator("tr.recien-actualizado")
    actualizada.get_by_text("Estatus actualizado.").wait_for()
    assert actualizada.locator(".estatus").inner_text() == "Incumplido"

    actualizada.get_by_role("link", name="Historial").click()
    pagina.wait_for_url("**/historial/")
    primera = pagina.locator("tbody tr").first
    assert "En cumplimiento a Incumplido" in " ".join(primera.inner_text().split())  # «→» drawn by CSS
    with pagina.expect_download() as descarga:
        primera.get_by_role("link", name="Descargar archivo").click()
    assert Path(descarga.value.path()).read_bytes() == pdf.read_bytes()
    guardados = archivos_privados()
    assert [n for n in guardados if n.startswith(f"{PREFIJO_RETENIDAS}/")] == []  # used, so no longer held
    assert len(guardados) == 1 and leer_privado(guardados[0]) == pdf.read_bytes()
    assert pagina.evaluate(SIN_DESBORDE)
    pagina.screenshot(path=CAPTURAS / f"historial-con-evidencia-{ancho}.png", full_page=True)


def test_breadcrumbs_lead_back_home_and_fit_a_phone(pagina, live_server, capturista_y_auditor):
    iniciar_sesion(pagina, live_server, "auditor")
    pagina.goto(f"{live_server.url}{CONVENIO}")
    pagina.locator("tr", has_text=COMPROMISO).get_by_role("link", name="Historial").click()
    pagina.wait_for_url("**/historial/")
    ruta = pagina.get_by_role("navigation", name="Ruta")
    assert ruta.locator('[aria-current="page"]').inner_text() == "Historial"
    assert pagina.evaluate(SIN_DESBORDE)
    pagina.screenshot(path=CAPTURAS / f"migas-historial-{pagina.ancho}.png", full_page=False)

    ruta.get_by_role("link", name="Convenio de Colaboración WWW.DATOS.GOB.MX.").click()
    pagina.wait_for_url(f"**{CONVENIO}")
    assert pagina.evaluate(SIN_DESBORDE)
    pagina.screenshot(path=CAPTURAS / f"migas-convenio-{pagina.ancho}.png", full_page=False)
    pagina.get_by_role("navigation", name="Ruta").get_by_role("link", name="Convenios").click()
    pagina.wait_for_url("**/convenios/")

    pagina.get_by_role("link", name="Seguimiento", exact=True).click()
    pagina.wait_for_url(f"{live_server.url}/")
    assert pagina.evaluate(SIN_DESBORDE)


def test_the_message_after_a_save_passes_axe(navegador, live_server, capturista_y_auditor):
    capturista = get_user_model().objects.get(username="capturista")
    contexto = test_navegador_paginas.contexto_de(navegador, live_server, capturista)
    pagina = contexto.new_page()
    pagina.goto(f"{live_server.url}{CONVENIO}")
    enlace = pagina.locator("tr", has_text=COMPROMISO).get_by_role("link", name="Actualizar estatus")
    pagina.goto(f"{live_server.url}{enlace.get_attribute('href')}")  # the plain form page: no htmx
    pagina.get_by_label("Nuevo estatus").select_option("en-proceso")
    pagina.get_by_role("button", name="Guardar").click()
    pagina.wait_for_url(f"**{CONVENIO}**")
    mensajes = pagina.get_by_role("status").filter(has_text="actualizado")
    assert mensajes.count() == 1
    violaciones = pagina.evaluate(
        """async () => (await axe.run(".mensajes", {resultTypes: ["violations"]})).violations
            .map((v) => `${v.impact} ${v.id}`)"""
    )
    assert violaciones == []
    contexto.close()
