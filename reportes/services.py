"""Issuing a report: register it, draw it with its folio on every page, keep the file and its hash;
the same content asked again by the same person gets the folio and file issued the first time.

Regenerating serves the kept file (after checking its hash) and says whether today's history still
draws it byte for byte; reports issued before files were kept are drawn again, as they always were.
"""

import copy
import datetime
import hashlib
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from seguimiento import integridad
from seguimiento.almacen import atomico

from . import firma
from .informes import REPORTES
from .models import InformeEmitido
from .pdf import html_a_pdf


def html_del_informe(
    reporte, objeto, contexto: dict, emision: InformeEmitido | None = None, request=None
) -> str:
    """The report page; with ``emision``, the printable document carrying folio and code."""
    return render_to_string(
        reporte.plantilla,
        {
            **contexto,
            "base": "reportes/impresion.html" if emision else "base.html",
            "titulo": reporte.titulo(objeto),
            "emision": emision,
            "qr": qr(emision.direccion_de_verificacion) if emision else None,
            "institucion": settings.INSTITUCION,
        },
        request=request,
    )


def dibujar(informe: InformeEmitido) -> bytes:
    """The PDF of an issued report from the history and the texts known at its issue time (later
    records, even back-dated ones, and later text edits are left out), with the issue time as
    generation time."""
    reporte = REPORTES[informe.tipo]
    objeto = copy.copy(informe.objeto)  # its texts are put back as they were at the issue (``textos_al``)
    contexto = reporte.contexto(objeto, informe.fecha, conocido_al=informe.emitido_en)
    return html_a_pdf(html_del_informe(reporte, objeto, contexto, emision=informe))


# What a report's drawing carries in place of folio, code and issue time when its content is compared.
SIN_EMISION = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def sha256_del_contenido(reporte, objeto, contexto: dict) -> str:
    """The hash of what the PDF would show, without what each issue adds (folio, code, time): the
    printable HTML drawn with a neutral issue. Equal data, date and report give equal hashes; any change
    the PDF would show (a status, a name, the stylesheet) gives another."""
    neutro = InformeEmitido(pk=0, tipo=reporte.tipo, fecha=contexto["fecha"], emitido_en=SIN_EMISION)
    neutro.codigo = "0" * 8
    clave = f"{reporte.tipo}:{getattr(objeto, 'pk', '')}:{contexto['fecha'].isoformat()}:"
    return sha256((clave + html_del_informe(reporte, objeto, contexto, emision=neutro)).encode())


@atomico()
def emitir_informe(tipo: str, objeto, fecha: datetime.date, usuario) -> tuple[InformeEmitido, bytes]:
    """Register a download and return its PDF; the row, with its hashes and file, is written at once as
    the chain's next link (the PDF prints the chain's head at issue time, ``cadena_al_emitir``; the
    head is locked only for that write, not while drawing). If ``usuario`` already issued this
    content, their report and its kept file instead (no new row).

    Raises ``ArchivoAlterado`` when that earlier report's file is missing or tampered with."""
    reporte = REPORTES[tipo]
    ahora = timezone.now()
    contexto = reporte.contexto(objeto, fecha, conocido_al=ahora)  # what dibujar() redraws later
    contenido = sha256_del_contenido(reporte, objeto, contexto)
    if anterior := _ya_emitido(usuario, contenido):
        return anterior
    (folio,) = integridad.reservar_ids(InformeEmitido, 1)
    informe = InformeEmitido(
        pk=folio,
        tipo=tipo,
        convenio=objeto if tipo == InformeEmitido.Tipo.CONVENIO else None,
        comision=objeto if tipo == InformeEmitido.Tipo.COMISION else None,
        fecha=fecha,
        emitido_por=usuario,
        emitido_en=ahora,
        sha256_contenido=contenido,
        cadena_al_emitir=integridad.cabeza().huella,
    )
    pdf = html_a_pdf(html_del_informe(reporte, objeto, contexto, emision=informe))
    informe.sha256 = sha256(pdf)
    informe.archivo.save(f"{informe.folio}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            integridad.encadenar(informe)
            informe.save(force_insert=True)
    except IntegrityError:  # the same person's identical request, a moment earlier
        informe.archivo.delete(save=False)
        if anterior := _ya_emitido(usuario, contenido):
            return anterior
        raise
    return informe, pdf


def _ya_emitido(usuario, contenido: str) -> tuple[InformeEmitido, bytes] | None:
    informe = (
        InformeEmitido.objects.filter(emitido_por=usuario, sha256_contenido=contenido)
        .select_related("convenio", "comision")
        .first()
    )
    if informe is None:
        return None
    archivado = leer_archivado(informe)
    return informe, archivado if archivado is not None else dibujar(informe)


def qr(texto: str) -> str:
    """A QR code of ``texto`` as an SVG ``data:`` URI (drawn by WeasyPrint, nothing fetched)."""
    return segno.make(texto, error="m").svg_data_uri(border=0, dark="#1d1d1b")


def sha256(contenido: bytes) -> str:
    return hashlib.sha256(contenido).hexdigest()


class ArchivoAlterado(Exception):
    """The kept file of an issued report is missing or its bytes no longer match the issued hash."""

    def __init__(self, mensaje: str, informe: InformeEmitido):
        super().__init__(mensaje)
        self.informe = informe


def leer_archivado(informe: InformeEmitido, firmado: bool = False) -> bytes | None:
    """The issued PDF as kept (with ``firmado``, its signed file), checked against its SHA-256;
    None if it was issued before files were kept (or, with ``firmado``, is not signed)."""
    campo, suma = (
        (informe.archivo_firmado, informe.sha256_firmado) if firmado else (informe.archivo, informe.sha256)
    )
    if not campo:
        return None
    try:
        with campo.open("rb") as archivo:
            contenido = archivo.read()
    except FileNotFoundError:
        raise ArchivoAlterado(
            _("No se encuentra el archivo del informe %(folio)s; no se entrega otro en su lugar.")
            % {"folio": informe.folio},
            informe,
        ) from None
    if sha256(contenido) != suma:
        raise ArchivoAlterado(
            _(
                "El archivo guardado del informe %(folio)s fue alterado: su SHA-256 ya no es el que se "
                "registró al emitirlo, así que no se entrega."
            )
            % {"folio": informe.folio},
            informe,
        )
    return contenido


@dataclass
class Comprobacion:
    pdf: bytes  # what is handed out: the signed file, else the kept file, else the redraw
    archivado: bool
    coincide: bool  # today's history (and software) draws the issued content (unsigned) again


def comprobar(informe: InformeEmitido) -> Comprobacion:
    """The PDF handed out and whether today's history still redraws its content byte for byte
    (the drawing before any signature: a signature is added to the issued bytes, never redrawn).

    Raises ``ArchivoAlterado`` when a kept file is missing or tampered with.
    """
    archivado = leer_archivado(informe)
    firmado = leer_archivado(informe, firmado=True)
    redibujado = dibujar(informe)
    coincide = sha256(redibujado) == informe.sha256
    entregado = firmado or (archivado if archivado is not None else redibujado)
    return Comprobacion(entregado, archivado is not None, coincide)


class YaFirmado(Exception):
    """A report is signed once."""


@sensitive_variables("key", "contrasena")
def firmar_informe(
    informe: InformeEmitido, usuario, cer: bytes, key: bytes, contrasena: str
) -> InformeEmitido:
    """Sign the kept PDF with the issuer's e.firma and keep the signed file, which is handed out
    from then on; who signed, when and as whom go on the register, once. Raises
    ``firma.FirmaInvalida`` (nothing changed), ``YaFirmado`` or ``ArchivoAlterado``. (Atomic inside: a
    decorator's frame would show the e.firma in an error report.)"""
    with atomico():
        informe = InformeEmitido.objects.select_for_update().get(pk=informe.pk)
        if informe.firmado:
            raise YaFirmado(
                _("El informe %(folio)s ya fue firmado; un informe se firma una sola vez.")
                % {"folio": informe.folio}
            )
        archivado = leer_archivado(informe)
        if archivado is None:
            raise firma.FirmaInvalida(
                _("El informe %(folio)s no tiene archivo guardado; emítalo de nuevo para firmarlo.")
                % {"folio": informe.folio}
            )
        firmado = firma.firmar(archivado, cer, key, contrasena)
        informe.archivo_firmado.save(f"{informe.folio}-firmado.pdf", ContentFile(firmado.pdf), save=False)
        cambios = {
            "firmado_en": firmado.firmado_en,
            "firmado_por": usuario,
            "firmante": firmado.firmante.nombre,
            "firmante_rfc": firmado.firmante.rfc,
            "firmante_curp": firmado.firmante.curp,
            "sha256_firmado": sha256(firmado.pdf),
            "archivo_firmado": informe.archivo_firmado.name,
        }
        InformeEmitido.objects.filter(pk=informe.pk).update(**cambios)
        for campo, valor in cambios.items():
            setattr(informe, campo, valor)
        return informe


@atomico()
def archivar(informe: InformeEmitido) -> bool:
    """Keep the file of a report issued before files were kept, if today's history still draws it
    byte for byte (then it is the issued document); False when it can no longer be reproduced."""
    pdf = dibujar(informe)
    if sha256(pdf) != informe.sha256:
        return False
    informe.archivo.save(f"{informe.folio}.pdf", ContentFile(pdf), save=False)
    InformeEmitido.objects.filter(pk=informe.pk).update(archivo=informe.archivo.name)
    return True
