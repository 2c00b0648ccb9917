"""The proposals journey in a real browser (Playwright, Debian's chromium), at 1366 and 390 px: the
institution's liaison proposes with a PDF, the public board and the report still show the old status,
the Capturista accepts it from «Por validar» and the new status is everywhere; a second proposal is
returned with observations, which the liaison reads on the item's row."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from weasyprint import HTML

from comisiones.models import Comision
from convenios.models import Compromiso, Dependencia

from .conftest import restaurar_datos_de_migraciones
from .factories import UsuarioFactory, crear_enlace
from .test_navegador import iniciar_sesion, navegador, pagina  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True), pytest.mark.archivos]

CAPTURAS = Path(os.environ.get("CAPTURAS_PROPUESTAS", Path(__file__).resolve().parents[1] / "capturas"))
CONVENIO = "/convenios/convenio-de-colaboracion-www-datos-gob-mx/"
BOARD = "/datos/convenios/convenio-de-colaboracion-www-datos-gob-mx/"
INFORME = "/reportes/informe/convenio-de-colaboracion-www-datos-gob-mx/"
TEXTO = "Determinar los conjuntos de datos"


@pytest.fixture
def personas(transactional_db):
    restaurar_datos_de_migraciones()
    call_command("cargar_semilla", stdout=open(os.devnull, "w"))  # noqa: SIM115
    enlace = crear_enlace(
        "enlace",
        [Dependencia.objects.get(nombre="Gobierno del Estado de Tamaulipas")],
        [Comision.objects.get(slug="gobierno-abierto-y-transparencia-proactiva")],
    )
    enlace.first_name, enlace.last_name = "Ana", "López"
    enlace.save()
    UsuarioFactory(username="capturista", rol="Capturista")
    return enlace


def fotos(pagina, nombre: str) -> None:  # noqa: F811
    """The page at 1366 and at 390 px (the page itself never scrolls sideways on a phone)."""
    CAPTURAS.mkdir(parents=True, exist_ok=True)
    pagina.set_viewport_size({"width": 1366, "height": 900})
    pagina.screenshot(path=CAPTURAS / f"{nombre}.png", full_page=True)
    pagina.set_viewport_size({"width": 390, "height": 844})
    assert pagina.evaluate("document.documentElement.scrollWidth") <= 390, nombre
    pagina.screenshot(path=CAPTURAS / f"{nombre}-movil.png", full_page=True)
    pagina.set_viewport_size({"width": 1366, "height": 900})


def estatus_en_el_tablero(pagina, live_server) -> str:  # noqa: F811
    pagina.goto(f"{live_server.url}{BOARD}")
    return pagina.locator("tr", has_text=TEXTO).locator("td").nth(2).inner_text().strip()


def fila_del_informe(pagina, live_server) -> str:  # noqa: F811
    pagina.goto(f"{live_server.url}{INFORME}")
    return pagina.locator("tr", has_text=TEXTO).first.inner_text()


def test_enlace_proposes_capturista_accepts_then_returns_a_second_one(
    navegador,  # noqa: F811
    pagina,  # noqa: F811
    live_server,
    personas,
    tmp_path,
):
    pdf = tmp_path / "oficio.pdf"
    pdf.write_bytes(HTML(string="<h1>Oficio de cumplimiento</h1>").write_pdf())
    pagina.set_viewport_size({"width": 1366, "height": 900})
    antes = estatus_en_el_tablero(pagina, live_server)
    assert antes == "En cumplimiento"

    # The liaison proposes, inline, with a PDF.
    iniciar_sesion(pagina, live_server, "enlace")
    pagina.goto(f"{live_server.url}{CONVENIO}")
    fila = pagina.locator("tr", has_text=TEXTO)
    fila.get_by_role("link", name="Proponer actualización").click()
    formulario = pagina.locator("tr.editando")
    formulario.get_by_label("Nuevo estatus").select_option(label="Cumplido")
    formulario.get_by_label("Nota", exact=True).fill("Se publicaron los conjuntos en datos.gob.mx.")
    formulario.get_by_label("Evidencia (archivo)").set_input_files(pdf)
    fotos(pagina, "propuesta-formulario")
    formulario.get_by_role("button", name="Enviar propuesta").click()
    fila = pagina.locator(
        f"tr#compromiso-{Compromiso.objects.get(convenio__slug__startswith='convenio-de', numero=1).pk}"
    )
    fila.get_by_text("Propuesta enviada.").wait_for()
    assert fila.get_by_text("Propuesta pendiente").is_visible()
    fotos(pagina, "propuesta-pendiente")

    # Not in effect: the public board still says the old status.
    assert estatus_en_el_tablero(pagina, live_server) == antes

    # The Capturista accepts it from the queue, reached from the menu's badge.
    contexto = navegador.new_context(locale="es-MX", viewport={"width": 1366, "height": 900})
    validadora = contexto.new_page()
    iniciar_sesion(validadora, live_server, "capturista")
    assert "Cumplido" not in fila_del_informe(validadora, live_server)  # the report: still the old status
    menu = validadora.get_by_role("navigation", name="Principal")
    entrada = menu.get_by_role("link", name="Por validar")
    assert "1" in entrada.inner_text()
    entrada.click()
    validadora.wait_for_url("**/seguimiento/por-validar/")
    cola = validadora.get_by_role("table", name="Propuestas pendientes, página 1 de 1")
    propuesta = cola.locator("tbody tr").first
    assert "Ana López (Gobierno del Estado de Tamaulipas)" in propuesta.inner_text()
    assert propuesta.get_by_role("link", name="Descargar evidencia").is_visible()
    fotos(validadora, "por-validar")
    propuesta.get_by_role("button", name="Aceptar").click()
    validadora.wait_for_url("**/seguimiento/por-validar/")
    assert "aceptada" in validadora.get_by_role("status").first.inner_text()
    assert validadora.get_by_text("No hay propuestas pendientes").is_visible()

    assert estatus_en_el_tablero(pagina, live_server) == "Cumplido"
    assert "Cumplido" in fila_del_informe(validadora, live_server)
    validadora.goto(f"{live_server.url}{CONVENIO}")
    validadora.locator("tr", has_text=TEXTO).get_by_role("link", name="Historial").click()
    historial = validadora.locator("main").inner_text()
    assert "Propuesto por Ana López (Gobierno del Estado de Tamaulipas)" in historial
    assert "aceptado por capturista" in historial
    fotos(validadora, "historial-propuestas")

    # A second proposal, returned with observations that the liaison reads on the row.
    pagina.goto(f"{live_server.url}{CONVENIO}")
    pagina.locator("tr", has_text=TEXTO).get_by_role("link", name="Proponer actualización").click()
    formulario = pagina.locator("tr.editando")
    formulario.get_by_label("Nuevo estatus").select_option(label="Incumplido")
    formulario.get_by_label("Nota", exact=True).fill("Se retiraron los conjuntos.")
    formulario.get_by_role("button", name="Enviar propuesta").click()
    pagina.get_by_text("Propuesta enviada.").wait_for()

    validadora.goto(f"{live_server.url}/seguimiento/por-validar/")
    propuesta = validadora.get_by_role("table").locator("tbody tr").first
    propuesta.get_by_role("button", name="Devolver").click()
    validadora.get_by_text("Escriba las observaciones").wait_for()  # 400: still pending, the queue again
    propuesta = validadora.get_by_role("table").locator("tbody tr").first
    propuesta.get_by_label("Comentario u observaciones").fill("Adjunte el oficio que lo acredite.")
    propuesta.get_by_role("button", name="Devolver").click()
    validadora.get_by_text("No hay propuestas pendientes").wait_for()

    pagina.goto(f"{live_server.url}{CONVENIO}")
    fila = pagina.locator("tr", has_text=TEXTO)
    assert "Adjunte el oficio que lo acredite." in fila.inner_text()
    assert fila.get_by_role("link", name="Proponer actualización").is_visible()
    fotos(pagina, "propuesta-devuelta")
    assert estatus_en_el_tablero(pagina, live_server) == "Cumplido"
    contexto.close()
