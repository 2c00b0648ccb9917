"""Signing an issued report with e.firma (PAdES, pyHanko): certificates built like the SAT's, a
test root in ``FIRMA_RAICES``, the signed seed report validated by pyHanko's own validator."""

import datetime
import io

import pytest
from asn1crypto import x509 as asn1_x509
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from reportes import firma
from reportes.models import InformeEmitido

from .conftest import archivos_privados
from .efirma import CONTRASENA, CURP, NOMBRE, RFC, efirma
from .test_reportes import normalizar

pytestmark = pytest.mark.archivos

D = datetime.date


@pytest.fixture
def raices(settings, tmp_path):
    """``FIRMA_RAICES``: a folder holding the test root (DER), as an office holds the SAT's."""
    carpeta = tmp_path / "raices"
    carpeta.mkdir()
    (carpeta / "ac-pruebas.cer").write_bytes(efirma().raiz)
    settings.FIRMA_RAICES = str(carpeta)
    return carpeta


def emitir(client, semilla) -> tuple[InformeEmitido, bytes]:
    respuesta = client.post(reverse("reportes:informe_pdf", args=[semilla.slug]), {"fecha": "2020-02-07"})
    assert respuesta.status_code == 200
    return InformeEmitido.objects.latest("pk"), respuesta.content


def firmar(client, informe, fiel=None, contrasena=CONTRASENA):
    fiel = fiel or efirma()
    return client.post(
        reverse("reportes:firmar", args=[informe.folio]),
        {
            "cer": SimpleUploadedFile("fiel.cer", fiel.cer),
            "key": SimpleUploadedFile("fiel.key", fiel.key),
            "contrasena": contrasena,
        },
    )


# The SAT's certificates ----------------------------------------------------------------------------


def test_a_sat_subject_is_read_with_its_rfc_and_curp():
    certificado = asn1_x509.Certificate.load(efirma().cer)
    assert firma.Firmante.del_certificado(certificado) == firma.Firmante(NOMBRE, RFC, CURP)


def test_without_the_fix_asn1crypto_cannot_read_a_sat_subject(monkeypatch):
    """asn1crypto issue #228: x500UniqueIdentifier as a PrintableString. The fix is what reads it."""
    from asn1crypto import core

    monkeypatch.setitem(asn1_x509.NameTypeAndValue._oid_specs, "unique_identifier", core.OctetBitString)
    with pytest.raises(ValueError, match="tag"):
        asn1_x509.Certificate.load(efirma().cer).subject.native  # noqa: B018


# Signing -------------------------------------------------------------------------------------------


def test_a_signed_seed_report_validates_with_pyhanko_against_the_test_root(
    client, semilla, gerente, raices, almacen
):
    informe, emitido = emitir(client, semilla)
    respuesta = firmar(client, informe)
    assert respuesta.status_code == 302
    informe.refresh_from_db()
    assert almacen() == sorted([informe.archivo.name, informe.archivo_firmado.name])
    assert respuesta["Location"] == reverse("reportes:emitido", args=[informe.folio])

    descarga = client.get(reverse("reportes:regenerar", args=[informe.folio]))
    firmado = descarga.content
    assert firmado.startswith(emitido) and len(firmado) > len(emitido), "la firma se agrega al emitido"
    assert descarga["X-Coincide-Con-Emitido"] == "si", "compara el contenido, sin la firma"

    lector = PdfFileReader(io.BytesIO(firmado))
    (firma_pdf,) = lector.embedded_signatures
    raiz = asn1_x509.Certificate.load(efirma().raiz)
    estado = validate_pdf_signature(firma_pdf, ValidationContext(trust_roots=[raiz], allow_fetching=False))
    assert estado.intact and estado.valid and estado.trusted and estado.bottom_line
    assert firma.Firmante.del_certificado(estado.signing_cert).rfc == RFC
    assert firma_pdf.sig_object["/SubFilter"] == "/ETSI.CAdES.detached", "PAdES"

    informe.refresh_from_db()
    assert informe.firmado_por == gerente and informe.firmante == NOMBRE and informe.firmante_rfc == RFC
    assert informe.firmante_curp == CURP and informe.firmado_en is not None
    assert informe.sha256 != informe.sha256_firmado


def test_the_stamp_sits_above_elaboro_on_the_last_page(client, semilla, gerente, raices):
    informe, emitido = emitir(client, semilla)
    firmar(client, informe)
    firmado = client.get(reverse("reportes:regenerar", args=[informe.folio])).content
    lector = PdfFileReader(io.BytesIO(firmado))
    campo = lector.embedded_signatures[0].sig_field
    paginas = lector.root["/Pages"]["/Count"]
    izquierda, abajo, derecha, arriba = (float(v) for v in campo["/Rect"])
    assert (derecha - izquierda, arriba - abajo) == (firma.ANCHO, firma.ALTO)
    assert campo["/P"] == lector.find_page_for_modification(paginas - 1)[0].get_object()
    assert PdfFileReader(io.BytesIO(emitido)).root["/Pages"]["/Count"] == paginas, "misma paginación"


def test_the_register_and_the_issued_page_say_who_signed_and_when(client, semilla, gerente, raices):
    informe, _ = emitir(client, semilla)
    pagina = normalizar(client.get(reverse("reportes:emitido", args=[informe.folio])).content.decode())
    assert "Firmar con e.firma" in pagina
    firmar(client, informe)
    pagina = normalizar(client.get(reverse("reportes:emitido", args=[informe.folio])).content.decode())
    assert f"con la e.firma de {NOMBRE} (RFC {RFC})" in pagina and "Firmar con e.firma" not in pagina
    indice = normalizar(client.get(reverse("reportes:indice")).content.decode())
    assert f"{NOMBRE}, 4 de diciembre" in indice or NOMBRE in indice


@pytest.mark.parametrize(
    ("caso", "fiel", "contrasena", "mensaje"),
    [
        ("contraseña", {}, "otra", "La contraseña de la clave privada no es correcta"),
        ("vencido", {"vence": -datetime.timedelta(days=1)}, CONTRASENA, "El certificado no está vigente"),
        ("ajeno", {"raiz": "OTRA AUTORIDAD"}, CONTRASENA, "no proviene de una autoridad de confianza"),
        ("llave", {"llave_ajena": True}, CONTRASENA, "no corresponde al certificado"),
    ],
)
def test_a_bad_efirma_is_refused_in_spanish_and_nothing_changes(
    client, semilla, gerente, raices, caso, fiel, contrasena, mensaje
):
    informe, emitido = emitir(client, semilla)
    respuesta = firmar(client, informe, efirma(**fiel), contrasena)
    assert respuesta.status_code == 400, caso
    assert mensaje in normalizar(respuesta.content.decode())
    informe.refresh_from_db()
    assert not informe.firmado and not informe.sha256_firmado and not informe.archivo_firmado
    assert archivos_privados() == [informe.archivo.name]
    (nombre,) = archivos_privados("informes")  # the issued PDF only, no signed copy beside it
    assert nombre == informe.archivo.name and nombre.endswith(f"/{informe.folio}.pdf")
    assert client.get(reverse("reportes:regenerar", args=[informe.folio])).content == emitido


def test_a_report_is_signed_once(client, semilla, gerente, raices):
    informe, _ = emitir(client, semilla)
    assert firmar(client, informe).status_code == 302
    informe.refresh_from_db()
    primero = (informe.sha256_firmado, informe.firmado_en)
    respuesta = firmar(client, informe)
    assert respuesta.status_code == 409
    assert "ya fue firmado" in normalizar(respuesta.content.decode())
    informe.refresh_from_db()
    assert (informe.sha256_firmado, informe.firmado_en) == primero
    assert "Ya está firmado" in client.get(reverse("reportes:firmar", args=[informe.folio])).content.decode()


def test_the_database_lets_the_signature_fill_in_only_once(client, semilla, gerente, raices):
    informe, _ = emitir(client, semilla)
    firmar(client, informe)
    for cambio in ({"firmante": "Otra Persona"}, {"firmado_en": None}, {"sha256_firmado": "0" * 64}):
        with pytest.raises(DatabaseError), transaction.atomic():
            InformeEmitido.objects.filter(pk=informe.pk).update(**cambio)


def test_the_efirma_never_touches_the_disk(client, semilla, gerente, raices, settings, monkeypatch):
    """Even when Django would write every upload to a temporary file."""
    from django.core.files import uploadedfile

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0

    def a_disco(*args, **kwargs):
        raise AssertionError("la e.firma se escribió en disco")

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", a_disco)
    informe, _ = emitir(client, semilla)
    assert firmar(client, informe).status_code == 302


def test_a_request_bigger_than_an_efirma_is_refused_before_it_is_read(client, semilla, gerente, raices):
    informe, _ = emitir(client, semilla)
    respuesta = client.post(
        reverse("reportes:firmar", args=[informe.folio]),
        {"cer": SimpleUploadedFile("a.cer", b"0" * 70_000), "key": SimpleUploadedFile("a.key", b"0")},
    )
    assert respuesta.status_code == 413


def test_only_those_who_may_sign_see_the_form(client, semilla, usuarios, raices):
    client.force_login(usuarios["gerente"])
    informe, _ = emitir(client, semilla)
    client.force_login(usuarios["auditor"])
    assert client.get(reverse("reportes:firmar", args=[informe.folio])).status_code == 403
    assert firmar(client, informe).status_code == 403
    informe.refresh_from_db()
    assert not informe.firmado


@pytest.fixture
def sellador(settings):
    """An RFC 3161 time-stamping authority over HTTP on the loopback, answering with pyHanko's test
    stamper (certificate issued by the test root)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from asn1crypto import keys, tsp
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    from .efirma import sellador_de_tiempo

    certificado, llave = sellador_de_tiempo()
    sello = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificado.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(
            llave.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
    )
    pedidos = []

    class Sellos(BaseHTTPRequestHandler):
        def do_POST(self):
            pedido = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            pedidos.append(pedido)
            respuesta = sello.request_tsa_response(pedido).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(respuesta)))
            self.end_headers()
            self.wfile.write(respuesta)

        def log_message(self, *args):
            pass

    servidor = ThreadingHTTPServer(("127.0.0.1", 0), Sellos)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    settings.FIRMA_TSA_URL = f"http://127.0.0.1:{servidor.server_address[1]}/"
    yield pedidos
    servidor.shutdown()
    servidor.server_close()


def test_with_a_time_stamping_authority_the_signature_is_pades_b_t(
    client, semilla, gerente, raices, sellador
):
    informe, _ = emitir(client, semilla)
    assert firmar(client, informe).status_code == 302
    firmado = client.get(reverse("reportes:regenerar", args=[informe.folio])).content
    (firma_pdf,) = PdfFileReader(io.BytesIO(firmado)).embedded_signatures
    raiz = asn1_x509.Certificate.load(efirma().raiz)
    estado = validate_pdf_signature(firma_pdf, ValidationContext(trust_roots=[raiz], allow_fetching=False))
    assert estado.bottom_line and len(sellador) == 1
    sello = estado.timestamp_validity
    assert sello is not None and sello.intact and sello.valid and sello.trusted


def test_an_unreachable_time_stamping_authority_signs_nothing(client, semilla, gerente, raices, settings):
    import socket

    with socket.socket() as libre:  # a loopback port nobody listens on
        libre.bind(("127.0.0.1", 0))
        settings.FIRMA_TSA_URL = f"http://127.0.0.1:{libre.getsockname()[1]}/"
    informe, _ = emitir(client, semilla)
    respuesta = firmar(client, informe)
    assert respuesta.status_code == 503
    assert "no respondió; no se firmó" in normalizar(respuesta.content.decode())
    informe.refresh_from_db()
    assert not informe.firmado and not informe.archivo_firmado


def test_a_damaged_key_that_matches_the_certificate_is_refused(client, semilla, gerente, raices):
    """The key is loaded without RSA's slow consistency check; a test signature catches it instead."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    from .efirma import _llave, cifrar_3des

    numeros = _llave(1).private_numbers()
    danada = rsa.RSAPrivateNumbers(
        numeros.p,
        numeros.q,
        numeros.d ^ 2,
        numeros.dmp1 ^ 2,
        numeros.dmq1 ^ 2,
        numeros.iqmp,
        numeros.public_numbers,
    ).private_key(unsafe_skip_rsa_key_validation=True)
    fiel = efirma()
    fiel.key = cifrar_3des(danada, CONTRASENA)
    informe, _ = emitir(client, semilla)
    respuesta = firmar(client, informe, fiel)
    assert respuesta.status_code == 400
    assert "está dañada" in normalizar(respuesta.content.decode())


def test_an_error_while_signing_never_reports_the_password_or_the_key(
    client, semilla, gerente, raices, monkeypatch
):
    """Django's error report (what the admins get by e-mail on a 500) hides them: the POST field, and
    every frame's variables that hold them."""
    import sys

    from django.core.signals import got_request_exception
    from django.views.debug import ExceptionReporter

    informe, _ = emitir(client, semilla)
    fiel = efirma()
    informes = []

    def informar(sender, request, **kwargs):
        informes.append(ExceptionReporter(request, *sys.exc_info()).get_traceback_html())

    def falla(pdf):
        raise RuntimeError("falla al buscar el lugar de la firma")

    monkeypatch.setattr(firma, "_caja_de_la_firma", falla)
    got_request_exception.connect(informar)
    client.raise_request_exception = False
    try:
        respuesta = firmar(client, informe, fiel)
    finally:
        got_request_exception.disconnect(informar)
    assert respuesta.status_code == 500
    (texto,) = informes
    assert "falla al buscar el lugar de la firma" in texto and "firmar_informe" in texto
    assert CONTRASENA not in texto
    assert repr(fiel.key)[2:40] not in texto
