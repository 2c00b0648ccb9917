"""The commitments table: its columns, and the CSV and XLSX files made from the same filtered queryset."""

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from seguimiento import celdas
from seguimiento.models import Estatus

TAMANO_PAGINA = 50
CORTE_TEXTO = 140


def _tal_cual(valor):
    return valor


@dataclass(frozen=True)
class Columna:
    encabezado: str
    campo: str  # path read with ``values()`` for the exports
    orden: str | None = None  # key of ``?orden=`` that sorts by this column
    en_pagina: bool = True  # False: only in the exported files
    formato: Callable[[object], object] = _tal_cual


def _local(valor: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(valor).replace(tzinfo=None, microsecond=0) if valor else None


def _o(si_vacio: str):
    return lambda valor: valor or si_vacio


CATEGORIAS = dict(Estatus.Categoria.choices)
COLUMNAS = [
    Columna(_("Convenio"), "convenio__nombre", "convenio"),
    Columna(_("Número"), "numero", en_pagina=False),
    Columna(
        _("Parte responsable"),
        "responsable__dependencia__nombre",
        "responsable",
        formato=_o("LAS PARTES"),
    ),
    Columna(_("Compromiso"), "texto", "texto"),
    Columna(
        _("Estatus actual"),
        "estatus_vigente__nombre",
        "estatus",
        formato=lambda v: v or "Sin estatus",
    ),
    Columna(
        _("Categoría"),
        "estatus_vigente__categoria",
        en_pagina=False,
        formato=lambda v: str(CATEGORIAS.get(v, "")),
    ),
    Columna(_("Fecha efectiva"), "fecha_vigente", "fecha"),
    Columna(_("Última actualización"), "ultima_actualizacion__registrado_en", "actualizado", formato=_local),
    Columna(_("Fecha límite"), "fecha_limite", "limite"),
    Columna(_("Última nota"), "nota_vigente", en_pagina=False, formato=_o("")),
]
COLUMNAS_PAGINA = [c for c in COLUMNAS if c.en_pagina]


def filas(compromisos: QuerySet) -> Iterator[list]:
    """The export rows of a filtered queryset: plain values, no model instances (10,000 rows in ~1 s)."""
    for fila in compromisos.values_list(*(c.campo for c in COLUMNAS)).iterator(chunk_size=2000):
        yield [columna.formato(valor) for columna, valor in zip(COLUMNAS, fila, strict=True)]


def resumen(texto: str) -> str:
    """The first words of a long text (the page shows the whole text on demand); "" when short."""
    if len(texto) <= CORTE_TEXTO:
        return ""
    return texto[:CORTE_TEXTO].rsplit(" ", 1)[0] + "…"


def nombre_archivo(hoy: datetime.date, extension: str) -> str:
    return f"compromisos-{hoy.isoformat()}.{extension}"


class _Eco:
    def write(self, valor):
        return valor


def respuesta_csv(compromisos: QuerySet, hoy: datetime.date) -> StreamingHttpResponse:
    """Streams UTF-8 with a BOM (so Excel reads accents right); the last column says the status date."""
    escritor = csv.writer(_Eco())
    encabezados = [str(c.encabezado) for c in COLUMNAS] + [str(_("Estatus al"))]

    def contenido():
        yield "\ufeff" + escritor.writerow(encabezados)
        for fila in filas(compromisos):
            yield escritor.writerow(
                [
                    celdas.escapar(v.isoformat(sep=" ") if isinstance(v, datetime.datetime) else v)
                    for v in fila
                ]
                + [hoy.isoformat()]
            )

    respuesta = StreamingHttpResponse(contenido(), content_type="text/csv; charset=utf-8")
    respuesta["Content-Disposition"] = content_disposition_header(True, nombre_archivo(hoy, "csv"))
    return respuesta


def respuesta_xlsx(compromisos: QuerySet, hoy: datetime.date) -> HttpResponse:
    libro = Workbook(write_only=True)
    hoja = libro.create_sheet(str(_("Compromisos")))
    hoja.append([str(c.encabezado) for c in COLUMNAS] + [str(_("Estatus al"))])
    for fila in filas(compromisos):
        hoja.append([celdas.valor_xlsx(valor) for valor in [*fila, hoy]])
    salida = io.BytesIO()
    libro.save(salida)
    respuesta = HttpResponse(
        salida.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    respuesta["Content-Disposition"] = content_disposition_header(True, nombre_archivo(hoy, "xlsx"))
    return respuesta
