"""The commitments table: its columns, and the CSV and XLSX files made from the same filtered queryset."""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .models import LAS_PARTES, Compromiso

TAMANO_PAGINA = 50
CORTE_TEXTO = 140


@dataclass(frozen=True)
class Columna:
    encabezado: str
    valor: Callable[[Compromiso], object]
    orden: str | None = None  # key of ``?orden=`` that sorts by this column
    en_pagina: bool = True  # False: only in the exported files


def _responsable(c: Compromiso) -> str:
    return c.responsable.dependencia.nombre if c.responsable else LAS_PARTES.removeprefix("COMPROMISOS DE ")


def _actualizacion(c: Compromiso, campo: str):
    return getattr(c.ultima_actualizacion, campo) if c.ultima_actualizacion else None


def _registrado_en(c: Compromiso) -> datetime.datetime | None:
    valor = _actualizacion(c, "registrado_en")
    return timezone.localtime(valor).replace(tzinfo=None, microsecond=0) if valor else None


COLUMNAS = [
    Columna(_("Convenio"), lambda c: c.convenio.nombre, "convenio"),
    Columna(_("Número"), lambda c: c.numero, en_pagina=False),
    Columna(_("Parte responsable"), _responsable, "responsable"),
    Columna(_("Compromiso"), lambda c: c.texto, "texto"),
    Columna(
        _("Estatus actual"), lambda c: str(c.estatus_actual) if c.estatus_actual else "Sin estatus", "estatus"
    ),
    Columna(
        _("Categoría"),
        lambda c: c.estatus_actual.get_categoria_display() if c.estatus_actual else "",
        en_pagina=False,
    ),
    Columna(_("Fecha efectiva"), lambda c: _actualizacion(c, "fecha_efectiva"), "fecha"),
    Columna(_("Última actualización"), _registrado_en, "actualizado"),
    Columna(_("Fecha límite"), lambda c: c.fecha_limite, "limite"),
    Columna(_("Última nota"), lambda c: _actualizacion(c, "nota") or "", en_pagina=False),
]
COLUMNAS_PAGINA = [c for c in COLUMNAS if c.en_pagina]


def filas(compromisos: Iterable[Compromiso]) -> Iterator[list]:
    for compromiso in compromisos:
        yield [columna.valor(compromiso) for columna in COLUMNAS]


def nombre_archivo(hoy: datetime.date, extension: str) -> str:
    return f"compromisos-{hoy.isoformat()}.{extension}"


def _celda_segura(valor):
    """Text that a spreadsheet would run as a formula is written as text (CSV/formula injection)."""
    if isinstance(valor, str) and valor[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + valor
    return valor


class _Eco:
    def write(self, valor):
        return valor


def respuesta_csv(compromisos: Iterable[Compromiso], hoy: datetime.date) -> StreamingHttpResponse:
    """Streams UTF-8 with a BOM (so Excel reads accents right); the last column says the status date."""
    escritor = csv.writer(_Eco())
    encabezados = [str(c.encabezado) for c in COLUMNAS] + [str(_("Estatus al"))]

    def contenido():
        yield "\ufeff" + escritor.writerow(encabezados)
        for fila in filas(compromisos):
            yield escritor.writerow(
                [_celda_segura(v.isoformat(sep=" ") if isinstance(v, datetime.datetime) else v) for v in fila]
                + [hoy.isoformat()]
            )

    respuesta = StreamingHttpResponse(contenido(), content_type="text/csv; charset=utf-8")
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre_archivo(hoy, "csv")}"'
    return respuesta


def respuesta_xlsx(compromisos: Iterable[Compromiso], hoy: datetime.date) -> HttpResponse:
    libro = Workbook(write_only=True)
    hoja = libro.create_sheet(str(_("Compromisos")))
    hoja.append([str(c.encabezado) for c in COLUMNAS] + [str(_("Estatus al"))])
    for fila in filas(compromisos):
        hoja.append([_celda_xlsx(hoja, valor) for valor in [*fila, hoy]])
    salida = io.BytesIO()
    libro.save(salida)
    respuesta = HttpResponse(
        salida.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre_archivo(hoy, "xlsx")}"'
    return respuesta


def _celda_xlsx(hoja, valor):
    if not isinstance(valor, str):
        return valor
    # Strings are always text: a leading "=" must not become a formula; control characters are invalid XML.
    celda = WriteOnlyCell(hoja, value=ILLEGAL_CHARACTERS_RE.sub("", valor))
    celda.data_type = "s"
    return celda
