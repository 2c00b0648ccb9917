"""Anyone can verify an issued report: the address and QR code printed next to its folio open the
public page, which says whether it is valid and, for a signed one, who signed and whether the
signature validates; a copy with one byte changed is «no válido». Rate limited per address."""

import io
import subprocess
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from reportes.models import InformeEmitido

from .efirma import NOMBRE, RFC
from .test_firma import emitir, firmar, raices  # noqa: F401 - the fixture
from .test_reportes import normalizar, texto_pdf

pytestmark = pytest.mark.archivos


def pagina(respuesta) -> str:
    return normalizar(respuesta.content.decode())


def leer_qr(pdf: bytes, carpeta) -> str:
    """The QR code of the first page, read from its picture as a phone would."""
    (carpeta / "informe.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-singlefile", "-png", carpeta / "informe.pdf", carpeta / "pagina"],
        check=True,
    )
    (codigo,) = zxingcpp.read_barcodes(Image.open(carpeta / "pagina.png"))
    assert codigo.format == zxingcpp.BarcodeFormat.QRCode
    return codigo.text


@pytest.fixture
def firmado(client, semilla, gerente, raices):  # noqa: F811
    informe, _emitido = emitir(client, semilla)
    assert firmar(client, informe).status_code == 302
    informe.refresh_from_db()
    pdf = client.get(reverse("reportes:regenerar", args=[informe.folio])).content
    client.logout()
    return informe, pdf


def test_the_qr_code_opens_the_verification_page_of_that_folio(client, semilla, gerente, settings, tmp_path):
    informe, pdf = emitir(client, semilla)
    direccion = leer_qr(pdf, tmp_path)
    assert direccion == informe.direccion_de_verificacion
    assert direccion.startswith(settings.URL_BASE + reverse("reportes:verificar") + "?")
    assert direccion in texto_pdf(pdf).replace(" ", "") or "reportes/verificar/?folio=" in texto_pdf(pdf)
    client.logout()
    partes = urlsplit(direccion)
    respuesta = client.get(f"{partes.path}?{partes.query}")
    assert respuesta.status_code == 200
    contenido = pagina(respuesta)
    assert "Informe auténtico: válido" in contenido and informe.folio in contenido
    assert "Informe de Seguimiento de Convenio · " + semilla.nombre in contenido
    assert "7 de febrero de 2020" in contenido and informe.sha256 in contenido


def test_the_qr_code_is_a_figure_with_alternative_text(client, semilla, gerente):
    informe, pdf = emitir(client, semilla)
    lector = PdfReader(io.BytesIO(pdf))
    figuras = []
    pendientes = [lector.trailer["/Root"]["/StructTreeRoot"]]
    while pendientes:
        nodo = pendientes.pop().get_object()
        if isinstance(nodo, dict):
            if nodo.get("/S") == "/Figure":
                figuras.append(str(nodo.get("/Alt", "")))
            hijos = nodo.get("/K", [])
            pendientes.extend(hijos if isinstance(hijos, list) else [hijos])
    assert f"Código QR con la dirección para verificar el informe {informe.folio}" in figuras


def test_a_signed_report_is_shown_signed_and_its_signature_valid(client, firmado):
    informe, _pdf = firmado
    partes = urlsplit(informe.direccion_de_verificacion)
    contenido = pagina(client.get(f"{partes.path}?{partes.query}"))
    assert "Informe auténtico: válido" in contenido
    assert f"Firmante {NOMBRE}" in contenido and f"RFC {RFC}" in contenido
    assert "Firma Válida: el documento no cambió desde que se firmó" in contenido
    assert informe.sha256_firmado in contenido
    assert "Emitido por" not in contenido, "quién lo emitió, solo para quien descarga informes"


def test_the_signed_file_uploaded_is_valid_and_one_byte_changed_is_not(client, firmado):
    informe, pdf = firmado
    url = reverse("reportes:verificar")
    contenido = pagina(client.post(url, {"archivo": SimpleUploadedFile("i.pdf", pdf)}))
    assert "Informe auténtico: válido" in contenido and "Firma Válida" in contenido
    assert informe.folio in contenido

    posicion = len(pdf) // 3  # a byte inside the signed range
    alterado = pdf[:posicion] + bytes([pdf[posicion] ^ 1]) + pdf[posicion + 1 :]
    contenido = pagina(client.post(url, {"archivo": SimpleUploadedFile("i.pdf", alterado)}))
    assert "no válido" in contenido and "Informe auténtico: válido" not in contenido
    assert informe.folio not in contenido.split("Folio")[0]


def test_a_signature_from_a_root_no_longer_trusted_is_shown_not_valid(client, firmado, settings, tmp_path):
    informe, _pdf = firmado
    settings.FIRMA_RAICES = str(tmp_path / "vacia")
    partes = urlsplit(informe.direccion_de_verificacion)
    contenido = pagina(client.get(f"{partes.path}?{partes.query}"))
    assert "No válida: el certificado no proviene de una autoridad de confianza" in contenido


def test_the_unsigned_copy_of_a_signed_report_still_matches(client, semilla, gerente, raices):  # noqa: F811
    informe, emitido = emitir(client, semilla)
    firmar(client, informe)
    contenido = pagina(
        client.post(reverse("reportes:verificar"), {"archivo": SimpleUploadedFile("i.pdf", emitido)})
    )
    assert "antes de firmarlo" in contenido and "Informe auténtico: válido" in contenido


# The limit ----------------------------------------------------------------------------------------


def test_verifications_past_the_limit_get_a_spanish_429_per_address(client, settings, semilla, usuarios):
    settings.VERIFICAR_LIMITE = "3/min"
    informe = InformeEmitido.objects.create(
        tipo=InformeEmitido.Tipo.CONVENIO,
        convenio=semilla,
        fecha=semilla.fecha_inicio,
        emitido_por=usuarios["gerente"],
    )
    url = reverse("reportes:verificar")
    consulta = {"folio": informe.folio, "codigo": informe.codigo_legible}
    assert client.get(url).status_code == 200, "el formulario vacío no cuenta"
    for _ in range(2):
        assert client.get(url, consulta).status_code == 200
    assert client.post(url, consulta).status_code == 200
    respuesta = client.get(url, consulta)
    assert respuesta.status_code == 429
    assert 0 < int(respuesta["Retry-After"]) <= 60
    assert "Demasiadas verificaciones" in pagina(respuesta) and "válido" not in pagina(respuesta)
    assert client.get(url, consulta, REMOTE_ADDR="10.0.0.8").status_code == 200, "otra dirección"


def test_the_login_page_links_to_verification_open_data_and_password_reset(client, db):
    html = client.get(reverse("login")).content.decode()
    for nombre, texto in (
        ("reportes:verificar", "Verificar un informe"),
        ("datos:portal", "Datos abiertos"),
        ("password_reset", "¿Olvidó su contraseña?"),
    ):
        assert f'<a href="{reverse(nombre)}">{texto}</a>' in html
