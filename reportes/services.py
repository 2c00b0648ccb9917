"""Issuing a report: register it, draw it with its folio on every page, record the file's hash."""

import datetime
import hashlib

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

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
    """The PDF of an issued report from the history known at its issue time (later records,
    even back-dated ones, are left out), with the issue time as generation time."""
    reporte = REPORTES[informe.tipo]
    contexto = reporte.contexto(informe.objeto, informe.fecha, conocido_al=informe.emitido_en)
    return html_a_pdf(html_del_informe(reporte, informe.objeto, contexto, emision=informe))


@transaction.atomic
def emitir_informe(tipo: str, objeto, fecha: datetime.date, usuario) -> tuple[InformeEmitido, bytes]:
    """Register a download and return its PDF; the row and its hash are written together."""
    informe = InformeEmitido.objects.create(
        tipo=tipo,
        convenio=objeto if tipo == InformeEmitido.Tipo.CONVENIO else None,
        comision=objeto if tipo == InformeEmitido.Tipo.COMISION else None,
        fecha=fecha,
        emitido_por=usuario,
        emitido_en=timezone.now(),
    )
    pdf = dibujar(informe)
    informe.sha256 = hashlib.sha256(pdf).hexdigest()
    InformeEmitido.objects.filter(pk=informe.pk).update(sha256=informe.sha256)
    return informe, pdf
