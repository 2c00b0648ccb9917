"""Issuing a report: register it, draw it with its folio on every page, keep the file and its hash.

Regenerating serves the kept file (after checking its hash) and says whether today's history still
draws it byte for byte; reports issued before files were kept are drawn again, as they always were.
"""

import copy
import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from seguimiento import integridad

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


@transaction.atomic
def emitir_informe(tipo: str, objeto, fecha: datetime.date, usuario) -> tuple[InformeEmitido, bytes]:
    """Register a download and return its PDF. The PDF prints the record's chain head at issue time
    (``cadena_al_emitir``); the register's row, with the PDF's hash and file, is then written at once
    as the chain's next link. The chain's head is locked only for that write, not while drawing."""
    (folio,) = integridad.reservar_ids(InformeEmitido, 1)
    informe = InformeEmitido(
        pk=folio,
        tipo=tipo,
        convenio=objeto if tipo == InformeEmitido.Tipo.CONVENIO else None,
        comision=objeto if tipo == InformeEmitido.Tipo.COMISION else None,
        fecha=fecha,
        emitido_por=usuario,
        emitido_en=timezone.now(),
        cadena_al_emitir=integridad.cabeza().huella,
    )
    pdf = dibujar(informe)
    informe.sha256 = sha256(pdf)
    informe.archivo.save(f"{informe.folio}.pdf", ContentFile(pdf), save=False)
    integridad.encadenar(informe)
    informe.save(force_insert=True)
    return informe, pdf


def sha256(contenido: bytes) -> str:
    return hashlib.sha256(contenido).hexdigest()


class ArchivoAlterado(Exception):
    """The kept file of an issued report is missing or its bytes no longer match the issued hash."""


def leer_archivado(informe: InformeEmitido) -> bytes | None:
    """The issued PDF as kept, checked against its SHA-256; None if it was issued before files were kept."""
    if not informe.archivo:
        return None
    try:
        with informe.archivo.open("rb") as archivo:
            contenido = archivo.read()
    except FileNotFoundError:
        raise ArchivoAlterado(
            _("No se encuentra el archivo del informe %(folio)s; no se entrega otro en su lugar.")
            % {"folio": informe.folio}
        ) from None
    if sha256(contenido) != informe.sha256:
        raise ArchivoAlterado(
            _(
                "El archivo guardado del informe %(folio)s fue alterado: su SHA-256 ya no es el que se "
                "registró al emitirlo, así que no se entrega."
            )
            % {"folio": informe.folio}
        )
    return contenido


@dataclass
class Comprobacion:
    pdf: bytes  # what is handed out: the kept file, or the redraw if none was kept
    archivado: bool
    coincide: bool  # today's history (and software) draws the issued bytes again


def comprobar(informe: InformeEmitido) -> Comprobacion:
    """The issued PDF and whether today's history still redraws it byte for byte.

    Raises ``ArchivoAlterado`` when the kept file is missing or tampered with.
    """
    archivado = leer_archivado(informe)
    redibujado = dibujar(informe)
    coincide = sha256(redibujado) == informe.sha256
    return Comprobacion(archivado if archivado is not None else redibujado, archivado is not None, coincide)


def archivar(informe: InformeEmitido) -> bool:
    """Keep the file of a report issued before files were kept, if today's history still draws it
    byte for byte (then it is the issued document); False when it can no longer be reproduced."""
    pdf = dibujar(informe)
    if sha256(pdf) != informe.sha256:
        return False
    informe.archivo.save(f"{informe.folio}.pdf", ContentFile(pdf), save=False)
    InformeEmitido.objects.filter(pk=informe.pk).update(archivo=informe.archivo.name)
    return True
