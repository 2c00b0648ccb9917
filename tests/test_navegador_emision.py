"""Issuing a report in a real browser: «Emitir PDF» always issues for the date in the field, even when
«Ver» was not pressed, through the form that issues by POST; the register's search. At a desktop's
width and a phone's."""

from pathlib import Path

import pytest
from pypdf import PdfReader

from reportes.models import InformeEmitido

from .test_navegador import datos, iniciar_sesion, navegador  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True), pytest.mark.archivos]

CAPTURAS = Path("/work/wt/notas/capturas/i23-emision")
SEMILLA = "/reportes/informe/convenio-de-colaboracion-www-datos-gob-mx/"


@pytest.mark.parametrize(("ancho", "alto"), [(1366, 900), (390, 844)])
def test_the_pdf_control_issues_for_the_date_in_the_field_even_without_pressing_ver(
    navegador,  # noqa: F811
    live_server,
    datos,  # noqa: F811
    ancho,
    alto,
    tmp_path,
):
    contexto = navegador.new_context(
        locale="es-MX", viewport={"width": ancho, "height": alto}, accept_downloads=True
    )
    pagina = contexto.new_page()
    iniciar_sesion(pagina, live_server, "gerente")
    pagina.goto(f"{live_server.url}{SEMILLA}?fecha=2021-06-30")
    assert "30 de junio de 2021" in pagina.locator("main").inner_text()
    pagina.get_by_label("Estatus al").fill("2020-02-07")  # changed, «Ver» not pressed
    if CAPTURAS.parent.exists():
        CAPTURAS.mkdir(exist_ok=True)
        pagina.screenshot(path=CAPTURAS / f"informe-controles-{ancho}.png")
    pagina.get_by_role("button", name="Emitir PDF").click()
    pagina.wait_for_url("**/pdf/?fecha=2020-02-07")
    assert pagina.get_by_label("Estatus al").input_value() == "2020-02-07"
    if CAPTURAS.parent.exists():
        CAPTURAS.mkdir(exist_ok=True)
        pagina.screenshot(path=CAPTURAS / f"emitir-{ancho}.png", full_page=True)
    with pagina.expect_download() as descarga:
        pagina.get_by_role("button", name="Emitir y descargar PDF").click()
    archivo = tmp_path / "informe.pdf"
    descarga.value.save_as(archivo)
    assert descarga.value.suggested_filename.endswith("-2020-02-07.pdf")
    texto = " ".join(" ".join(p.extract_text() for p in PdfReader(archivo).pages).split())
    assert "Estatus al 7 de febrero de 2020" in texto
    informe = InformeEmitido.objects.get()
    assert informe.fecha.isoformat() == "2020-02-07" and informe.emitido_por.username == "gerente"

    # The register lists it, and its search finds it by folio, convenio and issuer.
    pagina.goto(f"{live_server.url}/reportes/")
    busqueda = pagina.get_by_role("search", name="Buscar en el registro")
    busqueda.get_by_label("Convenio o comisión").fill("datos.gob")
    busqueda.get_by_label("Emitido por").fill("gerente")
    busqueda.get_by_role("button", name="Buscar").click()
    pagina.wait_for_url("**objeto=datos.gob**")
    assert pagina.get_by_role("link", name=informe.folio, exact=True).count() == 1
    busqueda = pagina.get_by_role("search", name="Buscar en el registro")
    assert pagina.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if CAPTURAS.parent.exists():
        busqueda.scroll_into_view_if_needed()
        pagina.screenshot(path=CAPTURAS / f"registro-busqueda-{ancho}.png", full_page=True)
    busqueda.get_by_label("Folio").fill("IS-1999-000001")
    busqueda.get_by_role("button", name="Buscar").click()
    pagina.wait_for_url("**folio=IS-1999**")
    assert "Ningún informe del registro coincide con la búsqueda." in pagina.locator("main").inner_text()
    contexto.close()
