"""A capturista's journey through a commission's duties in a real browser (Playwright, Debian's chromium)."""

from pathlib import Path

import pytest

from comisiones.models import ActualizacionAtribucion

from .test_navegador import capturista_y_auditor, datos, iniciar_sesion, navegador, pagina  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

COMISION = "/comisiones/gobierno-abierto-y-transparencia-proactiva/"
ATRIBUCION = "Conforma una red de conocimiento"
OTRA_ATRIBUCION = "Promueve el intercambio de experiencias"

# Rows whose «Acciones» cell is not a cell of the row: a table cell spans its row's height and stays within
# its width; one taken out of the table layout (e.g. ``display: flex``) floats shorter, lower or wider.
ACCIONES_FUERA_DE_SU_FILA = """() => [...document.querySelectorAll("tbody tr")].filter((fila) => {
  const f = fila.getBoundingClientRect();
  return [...fila.querySelectorAll("td.acciones")].some((celda) => {
    const c = celda.getBoundingClientRect();
    return Math.abs(c.top - f.top) > 1 || Math.abs(c.bottom - f.bottom) > 1
      || c.left < f.left - 1 || c.right > f.right + 1;
  });
}).map((fila) => fila.id)"""

ANCHO_DEL_DOCUMENTO = "document.documentElement.scrollWidth"


@pytest.mark.archivos
@pytest.mark.usefixtures("capturista_y_auditor")
def test_capturista_updates_a_duty_inline_and_finds_it_reported(pagina, live_server, tmp_path):  # noqa: F811
    from playwright.sync_api import expect
    from weasyprint import HTML

    pdf = tmp_path / "acta-de-sesion.pdf"
    pdf.write_bytes(HTML(string="<h1>Acta de la sesión de la comisión</h1>").write_pdf())

    pagina.set_viewport_size({"width": 1366, "height": 900})
    iniciar_sesion(pagina, live_server, "capturista")
    pagina.goto(f"{live_server.url}{COMISION}")
    assert pagina.get_by_role("heading", level=1).inner_text().startswith("Comisión de Gobierno Abierto")
    assert pagina.locator("td.acciones").count() == 9
    assert pagina.evaluate(ACCIONES_FUERA_DE_SU_FILA) == []
    pagina.evaluate("window.sinRecargar = true")

    # The form opens in the duty's row, with the keyboard on its first field.
    pagina.locator("tr", has_text=ATRIBUCION).get_by_role("link", name="Actualizar estatus").click()
    fila = pagina.locator("tr.editando")
    estatus = fila.get_by_label("Nuevo estatus")
    expect(estatus).to_be_focused()
    expect(fila.locator("form")).to_be_in_viewport(ratio=1)
    assert ATRIBUCION in fila.locator(".texto-editando").inner_text()

    # An unfavourable status without a note is refused in the row, and nothing is written.
    estatus.select_option(label="Incumplido")
    with pagina.expect_response(lambda r: r.request.method == "POST") as respuesta:
        fila.get_by_role("button", name="Guardar").click()
    assert respuesta.value.status == 400
    error = "Escriba una nota que explique por qué el estatus pasa a «Incumplido»."
    expect(fila.get_by_text(error)).to_be_visible()
    expect(fila.get_by_label("Nota", exact=True)).to_be_focused()
    assert ActualizacionAtribucion.objects.count() == 0

    fila.get_by_label("Nota", exact=True).fill(
        "La comisión no sesionó para conformar la red en el plazo acordado."
    )
    fila.get_by_label("Evidencia (archivo)").set_input_files(str(pdf))
    fila.get_by_role("button", name="Guardar").click()

    actualizada = pagina.locator("tr.recien-actualizado")
    expect(actualizada.get_by_text("Estatus actualizado.")).to_be_visible()
    assert actualizada.locator(".estatus").inner_text() == "Incumplido"
    assert ATRIBUCION in actualizada.inner_text()
    expect(actualizada.get_by_role("link", name="Actualizar estatus")).to_be_focused()
    assert pagina.evaluate("window.sinRecargar") is True
    assert pagina.evaluate(ACCIONES_FUERA_DE_SU_FILA) == []

    # Another duty's form takes the focus, which the row just saved must not take back; Cancelar gives it back
    # to the row.
    otra = pagina.locator("tr", has_text=OTRA_ATRIBUCION)
    otra.get_by_role("link", name="Actualizar estatus").click()
    expect(pagina.locator("tr.editando").get_by_label("Nuevo estatus")).to_be_focused()
    expect(pagina.locator("tr.editando form")).to_be_in_viewport(ratio=1)
    pagina.locator("tr.editando").get_by_role("link", name="Cancelar").click()
    expect(pagina.locator("tr.editando")).to_have_count(0)
    expect(otra.get_by_role("link", name="Actualizar estatus")).to_be_focused()
    assert pagina.evaluate("window.sinRecargar") is True

    # The commission's report says the same, and links back.
    pagina.get_by_role("link", name="Informe de atribuciones").click()
    pagina.wait_for_url("**/reportes/comision/gobierno-abierto-y-transparencia-proactiva/**")
    renglon = pagina.locator("tbody tr", has_text=ATRIBUCION)
    assert renglon.locator(".estatus-celda").inner_text() == "Incumplido"
    ruta = pagina.get_by_role("navigation", name="Ruta")
    ruta.get_by_role("link", name="Comisión de Gobierno Abierto y de Transparencia Proactiva").click()
    pagina.wait_for_url(f"**{COMISION}")

    # The history lists the change and serves the very file that was attached.
    pagina.locator("tr", has_text=ATRIBUCION).get_by_role("link", name="Historial").click()
    pagina.wait_for_url("**/historial/")
    assert ATRIBUCION in pagina.locator("main").inner_text()
    filas = pagina.locator("tbody tr")
    assert filas.count() == 1
    assert "(inicial) a Incumplido" in " ".join(filas.first.inner_text().split())  # «→» drawn by CSS
    assert "capturista" in filas.first.inner_text()
    with pagina.expect_download() as descarga:
        filas.first.get_by_role("link", name="Descargar archivo").click()
    assert descarga.value.suggested_filename.endswith(".pdf")
    assert Path(descarga.value.path()).read_bytes() == pdf.read_bytes()

    # On a phone the duties stack as cards: the page never scrolls sideways, even with a form open.
    pagina.set_viewport_size({"width": 390, "height": 844})
    pagina.goto(f"{live_server.url}{COMISION}")
    assert pagina.evaluate(ANCHO_DEL_DOCUMENTO) <= 390
    pagina.locator("tr", has_text=OTRA_ATRIBUCION).get_by_role("link", name="Actualizar estatus").click()
    expect(pagina.locator("tr.editando").get_by_label("Nuevo estatus")).to_be_focused()
    expect(pagina.locator("tr.editando form")).to_be_in_viewport(ratio=1)
    assert pagina.evaluate(ANCHO_DEL_DOCUMENTO) <= 390
