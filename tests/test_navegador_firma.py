"""A manager signs an issued report with their e.firma and an anonymous visitor verifies it from the
printed address, in a real browser at 1366 and 390 px: axe-core finds no serious or critical
violation, nothing is wider than the window (screenshots for a person to see)."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from reportes.models import InformeEmitido

from .efirma import CONTRASENA, NOMBRE, RFC, efirma
from .test_navegador import datos, iniciar_sesion, navegador  # noqa: F401 (the module's chromium, the seed)
from .test_navegador_datos import violaciones_graves

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True), pytest.mark.archivos]

CAPTURAS = Path(os.environ.get("CAPTURAS", "/tmp/capturas-firma"))
ANCHOS = [1366, 390]


def ajusta(page, ancho: int, nombre: str):
    assert violaciones_graves(page) == [], (nombre, ancho)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= ancho, (nombre, ancho)
    page.screenshot(path=CAPTURAS / f"{nombre}-{ancho}.png", full_page=True)


@pytest.mark.parametrize("ancho", ANCHOS)
def test_a_manager_signs_and_anyone_verifies_the_signed_report(
    navegador,  # noqa: F811
    live_server,
    datos,  # noqa: F811
    settings,
    tmp_path,
    ancho,
):
    CAPTURAS.mkdir(parents=True, exist_ok=True)
    fiel = efirma()
    (tmp_path / "raices").mkdir()
    (tmp_path / "raices" / "ac.cer").write_bytes(fiel.raiz)
    settings.FIRMA_RAICES = str(tmp_path / "raices")
    (tmp_path / "fiel.cer").write_bytes(fiel.cer)
    (tmp_path / "fiel.key").write_bytes(fiel.key)
    datos.groups.add(Group.objects.get(name="Gerente"))

    contexto = navegador.new_context(locale="es-MX", viewport={"width": ancho, "height": 900})
    page = contexto.new_page()
    iniciar_sesion(page, live_server, "gerente")
    slug = "convenio-de-colaboracion-www-datos-gob-mx"
    url_pdf = f"{live_server.url}{reverse('reportes:informe_pdf', args=[slug])}?fecha=2020-02-07"
    page.goto(url_pdf)  # the form that issues (a POST with its CSRF token)
    with page.expect_download():
        page.get_by_role("button", name="Emitir y descargar PDF").click()
    informe = InformeEmitido.objects.latest("pk")

    page.goto(f"{live_server.url}{reverse('reportes:emitido', args=[informe.folio])}")
    page.get_by_role("link", name="Firmar con e.firma").click()
    page.wait_for_url(f"**{reverse('reportes:firmar', args=[informe.folio])}")
    page.get_by_label("Certificado (.cer)").set_input_files(tmp_path / "fiel.cer")
    page.get_by_label("Clave privada (.key)").set_input_files(tmp_path / "fiel.key")
    page.get_by_label("Contraseña de la clave privada").fill("equivocada")
    ajusta(page, ancho, "firmar")
    page.get_by_role("button", name="Firmar el informe").click()
    assert "La contraseña de la clave privada no es correcta" in page.get_by_role("alert").inner_text()
    page.get_by_label("Certificado (.cer)").set_input_files(tmp_path / "fiel.cer")
    page.get_by_label("Clave privada (.key)").set_input_files(tmp_path / "fiel.key")
    page.get_by_label("Contraseña de la clave privada").fill(CONTRASENA)
    page.get_by_role("button", name="Firmar el informe").click()
    page.wait_for_url(f"**{reverse('reportes:emitido', args=[informe.folio])}")
    assert f"con la e.firma de {NOMBRE} (RFC {RFC})" in page.inner_text("main")
    ajusta(page, ancho, "emitido-firmado")
    firmado = page.request.get(
        f"{live_server.url}{reverse('reportes:regenerar', args=[informe.folio])}"
    ).body()
    (tmp_path / "firmado.pdf").write_bytes(firmado)
    contexto.close()

    # Anyone, without a session, from the address printed on the report.
    informe.refresh_from_db()
    direccion = urlsplit(informe.direccion_de_verificacion)
    anonimo = navegador.new_context(locale="es-MX", viewport={"width": ancho, "height": 900})
    page = anonimo.new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    ajusta(page, ancho, "login")
    page.get_by_role("link", name="Verificar un informe").click()
    assert page.get_by_role("heading", name="Verificar un informe emitido").is_visible()
    page.goto(f"{live_server.url}{direccion.path}?{direccion.query}")
    resultado = page.get_by_role("status").inner_text()
    assert "Informe auténtico: válido" in resultado and NOMBRE in resultado
    assert "Válida: el documento no cambió" in resultado
    ajusta(page, ancho, "verificar-firmado")
    page.get_by_label("o el archivo PDF recibido").set_input_files(tmp_path / "firmado.pdf")
    page.get_by_label("Folio").fill("")
    page.get_by_label("Código de verificación").fill("")
    page.get_by_role("button", name="Verificar").click()
    assert "El archivo es idéntico, byte por byte" in page.get_by_role("status").inner_text()
    anonimo.close()
