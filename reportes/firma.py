"""Signing an issued report with the issuer's e.firma (PAdES, pyHanko) and checking a signed one.

The e.firma is the SAT's certificate (``.cer``, DER X.509) and its private key (``.key``, PKCS#8 DER
encrypted with 3DES) with its password. They are read from memory and never written anywhere.
The certificate must be valid now and chain to a certificate of ``settings.FIRMA_RAICES``; with
``settings.FIRMA_TSA_URL`` the signature carries an RFC 3161 time stamp (PAdES B-T, else B-B).
"""

import asyncio
import atexit
import datetime
import io
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from asn1crypto import core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from seguimiento.templatetags.fechas import fecha_larga


class IdentificadorUnico(core.Choice):
    """``x500UniqueIdentifier`` (2.5.4.45) as X.520 defines it (a BIT STRING) or as the SAT writes it
    (a PrintableString holding the RFC); asn1crypto only knows the first and fails to read a SAT
    certificate's subject (asn1crypto issue #228)."""

    _alternatives = [
        ("bit_string", core.OctetBitString),
        ("printable_string", core.PrintableString),
        ("utf8_string", core.UTF8String),
    ]


asn1_x509.NameTypeAndValue._oid_specs["unique_identifier"] = IdentificadorUnico

# The stamp's box, in points: ``.firma-electronica`` in static/css/impresion.css, whose top-left
# corner the PDF names (the destination ``firma-electronica`` WeasyPrint writes for its id).
DESTINO = "firma-electronica"
ANCHO, ALTO = 170, 42
CAMPO = "FirmaElectronica"
FUENTE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


TAMANO = 6.5
# Room for the CMS signature (bytes; twice as many hex digits in the file), so pyHanko needs no dry
# run to measure it: the certificates (~2 KB each), the signature, and a time stamp token.
RESERVA = 16 * 1024


@cache
def _fuente_reducida() -> str:
    """DejaVu Sans cut to Latin-1 once per process, in a temporary file: pyHanko subsets the stamp's
    font on every signature, which takes ~0.7 s for the whole font and a few ms for this one."""
    opciones = subset.Options()
    opciones.layout_features = []
    opciones.name_IDs = ["*"]
    subconjunto = subset.Subsetter(opciones)
    subconjunto.populate(unicodes=[*range(0x20, 0x7F), *range(0xA0, 0x100), 0x2013, 0x2014])
    fuente = TTFont(FUENTE)
    subconjunto.subset(fuente)
    scale_upem(fuente, 1000)  # pyHanko writes glyph widths in font units, which PDF reads as 1/1000
    archivo = tempfile.NamedTemporaryFile(prefix="firma-", suffix=".ttf", delete=False)  # noqa: SIM115
    with archivo:
        fuente.save(archivo)
    atexit.register(os.unlink, archivo.name)
    return archivo.name


class FirmadorRSA(signers.SimpleSigner):
    """pyHanko's signer with the key kept as loaded: SimpleSigner loads it again from DER for every
    raw signature (two per PDF, the size estimate and the signature), ~70 ms each with RSA's checks.
    The SAT's e.firma keys are RSA (PKCS#1 v1.5)."""

    def __init__(self, llave: rsa.RSAPrivateKey, **kwargs):
        super().__init__(**kwargs)
        self.llave = llave

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        return self.llave.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


class FirmaInvalida(ValueError):
    """The e.firma cannot sign: the message says why, in Spanish."""


class SelloNoDisponible(FirmaInvalida):
    """The time-stamping authority did not answer: nothing was signed (503, not the signer's fault)."""


@dataclass(frozen=True)
class Firmante:
    nombre: str
    rfc: str
    curp: str

    @classmethod
    def del_certificado(cls, certificado: asn1_x509.Certificate) -> "Firmante":
        """Name, RFC and CURP as the SAT writes them: ``x500UniqueIdentifier`` = "RFC / RFC of the
        legal representative", ``serialNumber`` = "CURP / CURP of the representative"."""
        sujeto = certificado.subject.native

        def primero(valor) -> str:
            partes = [p.strip() for p in str(valor or "").split("/")]
            return next((p for p in partes if p), "")

        return cls(
            nombre=sujeto.get("common_name") or sujeto.get("name") or "",
            rfc=primero(sujeto.get("unique_identifier")),
            curp=primero(sujeto.get("serial_number")),
        )


@dataclass(frozen=True)
class Firmado:
    pdf: bytes
    firmante: Firmante
    firmado_en: datetime.datetime


def _certificados_de(carpeta: str) -> list[asn1_x509.Certificate]:
    """Every certificate (DER or PEM) in the folder ``FIRMA_RAICES``."""
    certificados = []
    for ruta in sorted(Path(carpeta).glob("*")) if carpeta else []:
        if ruta.suffix.lower() not in (".cer", ".crt", ".der", ".pem"):
            continue
        datos = ruta.read_bytes()
        if b"-----BEGIN" in datos:
            certificados.extend(
                asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
                for c in x509.load_pem_x509_certificates(datos)
            )
        else:
            certificados.append(asn1_x509.Certificate.load(datos))
    return certificados


def contexto_de_validacion(momento: datetime.datetime | None = None) -> ValidationContext:
    """Trust what ``FIRMA_RAICES`` holds: self-signed certificates as roots, the rest as
    intermediates. Nothing is fetched (no OCSP or CRL): revocation is not checked."""
    certificados = _certificados_de(settings.FIRMA_RAICES)
    raices = [c for c in certificados if c.self_signed]
    return ValidationContext(
        trust_roots=raices,
        other_certs=[c for c in certificados if not c.self_signed],
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=momento,
        best_signature_time=momento,
    )


@sensitive_variables("key", "contrasena", "llave", "firmado")
def cargar_efirma(cer: bytes, key: bytes, contrasena: str, ahora: datetime.datetime):
    """The certificate and key of an e.firma, checked: readable, the key opens with the password and
    is the certificate's, the certificate is valid at ``ahora`` and chains to ``FIRMA_RAICES``."""
    try:
        certificado = x509.load_der_x509_certificate(cer)
    except ValueError:
        raise FirmaInvalida(_("El archivo .cer no es un certificado (X.509 en DER) de e.firma.")) from None
    try:
        # RSA's consistency check costs ~70-300 ms here; a test signature below proves the key instead.
        llave = serialization.load_der_private_key(
            key, contrasena.encode(), unsafe_skip_rsa_key_validation=True
        )
    except (ValueError, TypeError):
        raise FirmaInvalida(
            _(
                "La contraseña de la clave privada no es correcta, o el archivo .key no es una clave "
                "de e.firma."
            )
        ) from None
    if not isinstance(llave, rsa.RSAPrivateKey):
        raise FirmaInvalida(_("La clave privada no es RSA, como las de la e.firma del SAT."))
    if llave.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != certificado.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise FirmaInvalida(_("La clave privada (.key) no corresponde al certificado (.cer)."))
    prueba = b"e.firma"
    try:
        certificado.public_key().verify(
            llave.sign(prueba, PKCS1v15(), SHA256()), prueba, PKCS1v15(), SHA256()
        )
    except (InvalidSignature, ValueError):
        raise FirmaInvalida(_("La clave privada (.key) está dañada: no produce firmas válidas.")) from None
    if not certificado.not_valid_before_utc <= ahora <= certificado.not_valid_after_utc:
        raise FirmaInvalida(
            _("El certificado no está vigente: vale del %(desde)s al %(hasta)s.")
            % {
                "desde": timezone.localtime(certificado.not_valid_before_utc).date().isoformat(),
                "hasta": timezone.localtime(certificado.not_valid_after_utc).date().isoformat(),
            }
        )
    certificado_asn1 = asn1_x509.Certificate.load(cer)
    try:
        validador = CertificateValidator(certificado_asn1, validation_context=contexto_de_validacion(ahora))
        asyncio.run(validador.async_validate_usage({"digital_signature"}))
    except (PathBuildingError, PathValidationError):
        raise FirmaInvalida(
            _(
                "El certificado no proviene de una autoridad de confianza (FIRMA_RAICES) o no sirve "
                "para firmar."
            )
        ) from None
    return certificado_asn1, llave


def _caja_de_la_firma(pdf: bytes) -> tuple[int, tuple[float, float, float, float]]:
    """The page (from 0) and box of the stamp: the named destination the report leaves for it."""
    lector = PdfFileReader(io.BytesIO(pdf))
    nombres = lector.root["/Names"]["/Dests"]
    pendientes = [nombres]
    while pendientes:
        nodo = pendientes.pop()
        pendientes.extend(hijo.get_object() for hijo in nodo.get("/Kids", []))
        pares = list(nodo.get("/Names", []))
        for nombre, destino in zip(pares[::2], pares[1::2], strict=True):
            if str(nombre) != DESTINO:
                continue
            destino = destino.get_object()
            destino = destino["/D"] if isinstance(destino, generic.DictionaryObject) else destino
            pagina, izquierda, arriba = destino.raw_get(0), destino[2], destino[3]
            paginas = [
                lector.find_page_for_modification(i)[0] for i in range(lector.root["/Pages"]["/Count"])
            ]
            numero = paginas.index(pagina)
            return numero, (float(izquierda), float(arriba) - ALTO, float(izquierda) + ANCHO, float(arriba))
    raise FirmaInvalida(_("El informe no tiene lugar para la firma; emítalo de nuevo."))


@sensitive_variables("key", "contrasena", "llave", "firmador")
def firmar(pdf: bytes, cer: bytes, key: bytes, contrasena: str) -> Firmado:
    """The PDF signed (PAdES, an incremental update: the issued bytes come first, unchanged), with
    a visible block (name, RFC/CURP, date) in the place the report leaves for it."""
    ahora = timezone.now()
    certificado, llave = cargar_efirma(cer, key, contrasena, ahora)
    firmante = Firmante.del_certificado(certificado)
    pagina, caja = _caja_de_la_firma(pdf)
    identificacion = " · ".join(
        f"{etiqueta} {valor}" for etiqueta, valor in (("RFC", firmante.rfc), ("CURP", firmante.curp)) if valor
    )
    texto = "\n".join(
        [
            _("Firmado con e.firma por"),
            firmante.nombre,
            identificacion,
            f"{fecha_larga(ahora)} h",
        ]
    )
    estilo = TextStampStyle(
        stamp_text=texto,
        border_width=0,
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(_fuente_reducida(), font_size=TAMANO), font_size=TAMANO, leading=8
        ),
    )
    metadatos = signers.PdfSignatureMetadata(
        field_name=CAMPO,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=firmante.nombre,
        reason=_("Emisión del informe"),
    )
    firmador = FirmadorRSA(
        llave,
        signing_cert=certificado,
        signing_key=translate_pyca_cryptography_key_to_asn1(llave),
        cert_registry=SimpleCertificateStore.from_certs(_certificados_de(settings.FIRMA_RAICES)),
    )
    try:
        salida = firmador_pdf(metadatos, firmador, estilo, pagina, caja).sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)), in_place=False, bytes_reserved=RESERVA
        )
    except TimestampRequestError:
        raise SelloNoDisponible(
            _(
                "La autoridad de sellado de tiempo (FIRMA_TSA_URL) no respondió; no se firmó. "
                "Intente más tarde."
            )
        ) from None
    return Firmado(salida.getvalue(), firmante, ahora)


def firmador_pdf(metadatos, firmador, estilo, pagina: int, caja) -> signers.PdfSigner:
    """pyHanko's signer of the report, with the time-stamping authority when FIRMA_TSA_URL names one."""
    sellador = None
    if settings.FIRMA_TSA_URL:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        sellador = HTTPTimeStamper(settings.FIRMA_TSA_URL)
    return signers.PdfSigner(
        metadatos,
        firmador,
        timestamper=sellador,
        stamp_style=estilo,
        new_field_spec=fields.SigFieldSpec(CAMPO, on_page=pagina, box=caja),
    )


@dataclass(frozen=True)
class EstadoFirma:
    firmante: Firmante
    firmado_en: datetime.datetime | None
    intacta: bool  # the signed bytes are unchanged
    confiable: bool  # the certificate chains to FIRMA_RAICES
    valida: bool  # intact, trusted, and nothing added after it


def revisar_firma(pdf: bytes) -> EstadoFirma | None:
    """pyHanko's verdict on the PDF's e.firma signature; None if it carries none."""
    lector = PdfFileReader(io.BytesIO(pdf), strict=False)
    firmas = lector.embedded_signatures
    if not firmas:
        return None
    estado = validate_pdf_signature(firmas[-1], contexto_de_validacion())
    momento = estado.signer_reported_dt or firmas[-1].self_reported_timestamp
    return EstadoFirma(
        firmante=Firmante.del_certificado(estado.signing_cert),
        firmado_en=momento,
        intacta=estado.intact and estado.valid,
        confiable=estado.trusted,
        valida=estado.bottom_line,
    )
