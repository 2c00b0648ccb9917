"""The lists of followed-up items (commitments, commission duties): their columns, and the CSV and XLSX
files made from the same filtered queryset the page shows."""

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from . import celdas
from .models import CAMPOS_AL, Estatus

TAMANO_PAGINA = 50
CORTE_TEXTO = 140
# XLSX column widths, in characters: a date or a timestamp must fit (Excel shows «#####» otherwise);
# long texts get a wide column, not one as wide as the longest text.
ANCHO_MINIMO, ANCHO_MAXIMO = 10, 60
ANCHO_FECHA, ANCHO_MOMENTO = 12, 20
# File names: at most this many characters of filters, so a long ``q`` cannot make a name too long.
LARGO_FILTROS = 80


def _tal_cual(valor):
    return valor


@dataclass(frozen=True)
class Columna:
    encabezado: str | Promise
    campo: str  # path read with ``values()`` for the exports
    orden: str | None = None  # key of ``?orden=`` that sorts by this column
    en_pagina: bool = True  # False: only in the exported files
    formato: Callable[[object], object] = _tal_cual
    encabezado_al: str | Promise | None = None  # the header of a list as of a date, when it differs

    def titulo(self, al: bool = False):
        return self.encabezado_al if al and self.encabezado_al else self.encabezado


@dataclass(frozen=True)
class Tabla:
    """One kind of item's list: its columns, and how its files and sheet are named."""

    columnas: list[Columna]
    nombre: str  # start of the exported files' names: «compromisos», «atribuciones»
    hoja: str | Promise  # the XLSX sheet's title
    # How the page names the items: «1 compromiso», «3 compromisos», «ningún compromiso», «exportar
    # los 3 compromisos filtrados».
    singular: str = ""
    plural: str = ""
    ninguno: str = ""
    los: str = "los"
    filtrados: str = "filtrados"

    @property
    def columnas_pagina(self) -> list[Columna]:
        return [c for c in self.columnas if c.en_pagina]


def local(valor: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(valor).replace(tzinfo=None, microsecond=0) if valor else None


def o(si_vacio: str):
    return lambda valor: valor or si_vacio


CATEGORIAS = dict(Estatus.Categoria.choices)


def categoria(valor) -> str:
    return str(CATEGORIAS.get(valor, ""))


def filas(tabla: Tabla, elementos: QuerySet, al: bool = False) -> Iterator[list]:
    """The export rows of a filtered queryset: plain values, no model instances (10,000 rows in ~1 s).
    ``al``: the queryset is a list as of a date (``con_copias_al``), read where it keeps the copies."""
    columnas = tabla.columnas
    campos = [CAMPOS_AL.get(c.campo, c.campo) if al else c.campo for c in columnas]
    for fila in elementos.values_list(*campos).iterator(chunk_size=2000):
        yield [columna.formato(valor) for columna, valor in zip(columnas, fila, strict=True)]


def resumen(texto: str) -> str:
    """The first words of a long text (the page shows the whole text on demand); "" when short."""
    if len(texto) <= CORTE_TEXTO:
        return ""
    return texto[:CORTE_TEXTO].rsplit(" ", 1)[0] + "…"


def nombre_archivo(
    nombre: str, filtros: list[tuple[str, list[str]]], hoy: datetime.date, extension: str
) -> str:
    """«compromisos_estatus-incumplido_2026-12-03.xlsx»: the kind, the filters in effect, the date."""
    partes = []
    for clave, valores in filtros:
        valor = "-".join(slugify(str(v)) for v in valores if str(v).strip())
        if valor:
            partes.append(f"{clave.replace('_', '-')}-{valor}")
    en_filtros = "_".join(partes)[:LARGO_FILTROS].strip("-_")
    return "_".join(p for p in (nombre, en_filtros, hoy.isoformat()) if p) + f".{extension}"


class _Eco:
    def write(self, valor):
        return valor


def respuesta_csv(
    tabla: Tabla, elementos: QuerySet, hoy: datetime.date, archivo: str, al: bool = False
) -> StreamingHttpResponse:
    """Streams UTF-8 with a BOM (so Excel reads accents right); the last column says the status date
    (``hoy``: today, or the date of a list as of a date, ``al``)."""
    escritor = csv.writer(_Eco())
    encabezados = [str(c.titulo(al)) for c in tabla.columnas] + [str(_("Estatus al"))]

    def contenido():
        yield "\ufeff" + escritor.writerow(encabezados)
        for fila in filas(tabla, elementos, al):
            yield escritor.writerow(
                [
                    celdas.escapar(v.isoformat(sep=" ") if isinstance(v, datetime.datetime) else v)
                    for v in fila
                ]
                + [hoy.isoformat()]
            )

    respuesta = StreamingHttpResponse(contenido(), content_type="text/csv; charset=utf-8")
    respuesta["Content-Disposition"] = content_disposition_header(True, archivo)
    return respuesta


def anchos(encabezados: list[str], muestra: list[list]) -> list[int]:
    """Each column's width from its header and a sample of its values (dates at a fixed width)."""
    resultado = []
    for i, encabezado in enumerate(encabezados):
        ancho = len(encabezado) + 2
        for fila in muestra:
            valor = fila[i]
            if isinstance(valor, datetime.datetime):
                largo = ANCHO_MOMENTO
            elif isinstance(valor, datetime.date):
                largo = ANCHO_FECHA
            else:
                largo = len(str(valor or "")) + 2
            ancho = max(ancho, largo)
        resultado.append(min(max(ancho, ANCHO_MINIMO), ANCHO_MAXIMO))
    return resultado


MUESTRA = 200  # rows read before the widths are set (a write-only sheet needs them before any row)


def respuesta_xlsx(
    tabla: Tabla, elementos: QuerySet, hoy: datetime.date, archivo: str, al: bool = False
) -> HttpResponse:
    libro = Workbook(write_only=True)
    hoja = libro.create_sheet(str(tabla.hoja))
    encabezados = [str(c.titulo(al)) for c in tabla.columnas] + [str(_("Estatus al"))]
    todas = filas(tabla, elementos, al)
    muestra = []
    for fila in todas:
        muestra.append([*fila, hoy])
        if len(muestra) == MUESTRA:
            break
    for i, ancho in enumerate(anchos(encabezados, muestra), start=1):
        hoja.column_dimensions[get_column_letter(i)].width = ancho
    hoja.freeze_panes = "A2"
    hoja.append(encabezados)
    # Plain values: openpyxl types dates and timestamps itself (``yyyy-mm-dd``, ``yyyy-mm-dd h:mm:ss``);
    # a styled cell per value tripled the time of a 10,000-row file.
    for fila in muestra:
        hoja.append([celdas.valor_xlsx(valor) for valor in fila])
    for fila in todas:
        hoja.append([celdas.valor_xlsx(valor) for valor in [*fila, hoy]])
    salida = io.BytesIO()
    libro.save(salida)
    respuesta = HttpResponse(
        salida.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    respuesta["Content-Disposition"] = content_disposition_header(True, archivo)
    return respuesta
