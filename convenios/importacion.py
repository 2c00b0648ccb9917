"""The import/export workbook: one sheet of convenios with their parties and commitments, one of
status updates. Reading refuses what is not a clean spreadsheet; importing is all or nothing.

Formats: ``.xlsx`` (sheets «Convenios» and «Actualizaciones»), ``.ods`` and ``.xls`` (the same
sheets, read by calamine), ``.csv`` (one file per sheet; a folder of both for the commands) and
``.json`` (``{"convenios": [...], "actualizaciones": [...]}``).
"""

import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import python_calamine
import tablib
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.results import RowResult
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from seguimiento import celdas, json_seguro, zip_seguro
from seguimiento.autoria import como_autor
from seguimiento.services import FILAS_PARA_ANALIZAR, analizar_tras_carga

from .models import Compromiso, Convenio, Dependencia, Parte
from .resources import ActualizacionResource, CompromisoResource, ConvenioResource, ParteResource

TAMANO_MAXIMO = 20 * 1024 * 1024
# An .xls is not compressed, but calamine holds it whole, with every cell as an object: a smaller bound
# (the format itself stops at 65,536 rows a sheet).
XLS_MAXIMO = 10 * 1024 * 1024
EXTENSIONES = (".xlsx", ".ods", ".xls", ".csv", ".json")
FILAS_MAXIMAS = 200_000
CONVENIOS, ACTUALIZACIONES = "Convenios", "Actualizaciones"
TIPOS = {"convenio": ConvenioResource, "parte": ParteResource, "compromiso": CompromisoResource}
COLUMNAS_CONVENIOS = ["tipo", *dict.fromkeys(c for r in TIPOS.values() for c in r().get_export_headers())]
COLUMNAS_ACTUALIZACIONES = ActualizacionResource().get_export_headers()


class ArchivoInvalido(Exception):
    """The file as a whole cannot be read; the message says why, in Spanish."""


@dataclass
class Libro:
    """The two sheets, as lists of rows (dicts by column name) with their row numbers in the file."""

    convenios: list[tuple[int, dict]] = field(default_factory=list)
    actualizaciones: list[tuple[int, dict]] = field(default_factory=list)


@dataclass
class Error:
    hoja: str
    fila: int | None
    columna: str
    mensaje: str


@dataclass
class Cambio:
    """A row that creates or changes something (or would, in a dry run), as the review lists it."""

    hoja: str
    fila: int
    accion: str  # "crear" or "cambiar"
    que: str


@dataclass
class Informe:
    creados: int = 0
    actualizados: int = 0
    sin_cambios: int = 0
    errores: list[Error] = field(default_factory=list)
    escrito: bool = False
    cambios: list[Cambio] = field(default_factory=list)

    @property
    def filas_con_error(self) -> int:
        return len({(e.hoja, e.fila) for e in self.errores})


# --- reading ------------------------------------------------------------------------------------


def leer(datos: bytes, nombre: str) -> Libro:
    """Read an uploaded file; raise ``ArchivoInvalido`` for anything that is not a clean workbook."""
    extension = Path(nombre).suffix.lower()
    if extension not in EXTENSIONES:
        raise ArchivoInvalido(
            _("Tipo de archivo no admitido («%(e)s»): use .xlsx, .ods, .xls, .csv o .json.")
            % {"e": extension or nombre}
        )
    comprobar_tamano(len(datos))
    if not datos.strip():
        raise ArchivoInvalido(_("El archivo está vacío."))
    lectores = {".xlsx": leer_xlsx, ".ods": leer_ods, ".xls": leer_xls, ".csv": leer_csv, ".json": leer_json}
    hojas = lectores[extension](datos)
    libro = Libro()
    for hoja, filas in hojas.items():
        setattr(libro, hoja, filas)
    if not libro.convenios and not libro.actualizaciones:
        raise ArchivoInvalido(_("El archivo no tiene filas de datos."))
    return libro


def comprobar_tamano(tamano: int) -> None:
    if tamano > TAMANO_MAXIMO:
        raise ArchivoInvalido(
            _("El archivo pesa %(mb).1f MB; el máximo es %(max)d MB. Divídalo en varios archivos.")
            % {"mb": tamano / 1024 / 1024, "max": TAMANO_MAXIMO // 1024 // 1024}
        )


def comprobar_subida(archivo) -> None:
    """What can be refused of an upload before anything keeps a copy: its size and, for a zip, its
    limits (the admin's import stores the file before reading it)."""
    comprobar_tamano(archivo.size)
    archivo.seek(0)
    es_zip = archivo.read(4) == b"PK\x03\x04"
    archivo.seek(0)
    if es_zip:
        with xlsx_acotado(archivo):
            pass


def leer_ruta(ruta: Path) -> Libro:
    """A file, or a folder of CSV files, from disk (for the commands); an oversized file is never read."""
    if ruta.is_dir():
        return leer_carpeta(ruta)
    comprobar_tamano(ruta.stat().st_size)
    return leer(ruta.read_bytes(), ruta.name)


def leer_carpeta(carpeta: Path) -> Libro:
    """The CSV form of the workbook for the commands: convenios.csv and actualizaciones.csv."""
    libro = Libro()
    for hoja in ("convenios", "actualizaciones"):
        ruta = carpeta / f"{hoja}.csv"
        if ruta.exists() and ruta.stat().st_size:
            comprobar_tamano(ruta.stat().st_size)
            for nombre, filas in leer(ruta.read_bytes(), ruta.name).__dict__.items():
                if filas:
                    setattr(libro, nombre, filas)
    if not libro.convenios and not libro.actualizaciones:
        raise ArchivoInvalido(_("La carpeta no tiene convenios.csv ni actualizaciones.csv con datos."))
    return libro


def hoja_de(columnas) -> str:
    return "actualizaciones" if "estatus" in columnas else "convenios"


def filas_de(columnas: list, valores, inicio: int = 2) -> list[tuple[int, dict]]:
    columnas = [str(c).strip().lower() if c is not None else "" for c in columnas]
    filas = []
    for numero, fila in enumerate(valores, start=inicio):
        if len(filas) >= FILAS_MAXIMAS:
            raise ArchivoInvalido(_("El archivo tiene más de %(n)d filas.") % {"n": FILAS_MAXIMAS})
        if all(v is None or str(v).strip() == "" for v in fila):
            continue
        filas.append((numero, {c: v for c, v in zip(columnas, fila, strict=False) if c}))
    return filas


HOJAS_XLSX = ("convenios", "actualizaciones", "hoja1", "sheet1")
CELDA_CON_FORMULA = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*>\s*<(?:\w+:)?f\b')
INICIO_DE_CELDA = re.compile(rb"<(?:\w+:)?c\b")
FORMULA = re.compile(rb"<(?:\w+:)?f\b")
PENDIENTE_MAXIMO = 64 * 1024  # a cell's opening tag longer than this is not looked into


def xlsx_invalido() -> ArchivoInvalido:
    return invalido("XLSX")


def invalido(formato: str) -> ArchivoInvalido:
    return ArchivoInvalido(_("El archivo no es una hoja de cálculo %(f)s válida.") % {"f": formato})


@contextmanager
def xlsx_acotado(archivo, formato: str = "XLSX") -> Iterator[zipfile.ZipFile]:
    """The workbook's zip within ``zip_seguro``'s limits, its refusals said as ``ArchivoInvalido``."""
    try:
        with zip_seguro.abrir(archivo) as zip_:
            yield zip_
    except zip_seguro.ZipExcesivo as e:
        raise ArchivoInvalido(str(e)) from e
    except zip_seguro.ZipInvalido as e:
        raise invalido(formato) from e


def comprobar_formulas(zip_: zipfile.ZipFile) -> None:
    """Refuse formula cells, found in the sheets' XML (far faster than asking cell by cell); the
    sheets are read in chunks, so a large one is never held whole."""
    celdas = []
    for info in zip_.infolist():
        if info.filename.startswith(zip_seguro.HOJAS):
            celdas += formulas_de_hoja(zip_seguro.trozos(zip_, info))
    if celdas:
        raise ArchivoInvalido(
            _("El archivo contiene fórmulas (celdas %(c)s). Copie y pegue solo los valores.")
            % {"c": ", ".join(celdas[:10]) + ("…" if len(celdas) > 10 else "")}
        )


def formulas_de_hoja(trozos: Iterable[bytes]) -> list[str]:
    """The references of formula cells in a worksheet's XML given in chunks. What follows the last
    cell start of a chunk waits for the next chunk, so no cell is split between two searches."""
    celdas, con_formula, pendiente = [], False, b""
    for trozo in [*trozos, b""]:
        texto = pendiente + trozo
        corte = len(texto)
        if trozo:
            ultima = None
            for ultima in INICIO_DE_CELDA.finditer(texto):  # noqa: B007 — only the last one is wanted
                pass
            corte = ultima.start() if ultima else texto.rfind(b"<")
            if corte < 0 or len(texto) - corte > PENDIENTE_MAXIMO:
                corte = len(texto)
        celdas += [c.decode() for c in CELDA_CON_FORMULA.findall(texto, 0, corte)]
        con_formula = con_formula or FORMULA.search(texto, 0, corte) is not None
        pendiente = texto[corte:]
    if con_formula and not celdas:
        celdas = [_("sin referencia")]
    return celdas


def hojas_xlsx(datos: bytes, solo_la_primera: bool = False) -> list[tuple[str, list]]:
    """(title, rows of values) of the data sheets, once the zip is within limits and has no formulas."""
    with xlsx_acotado(io.BytesIO(datos)) as zip_:
        comprobar_formulas(zip_)
    resultado = []
    try:
        libro = load_workbook(io.BytesIO(datos), read_only=True, data_only=True)
        try:
            for hoja in libro.worksheets[:1] if solo_la_primera else libro.worksheets:
                if not solo_la_primera and hoja.title.lower() not in HOJAS_XLSX:
                    continue
                filas = []
                for fila in hoja.iter_rows(values_only=True):
                    filas.append([celdas.desescapar(v) for v in fila])
                    if len(filas) > FILAS_MAXIMAS + 1:
                        raise ArchivoInvalido(
                            _("El archivo tiene más de %(n)d filas.") % {"n": FILAS_MAXIMAS}
                        )
                resultado.append((hoja.title.lower(), filas))
        finally:
            libro.close()
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        TypeError,
        AttributeError,
        IndexError,
        SyntaxError,  # the XML parser's ParseError
    ) as e:
        raise xlsx_invalido() from e
    return resultado


def leer_xlsx(datos: bytes) -> dict:
    hojas = {}
    for titulo, filas in hojas_xlsx(datos):
        if filas:
            columnas = filas[0]
            nombre = titulo if titulo in ("convenios", "actualizaciones") else None
            hojas[nombre or hoja_de([str(c).lower() for c in columnas if c])] = filas_de(columnas, filas[1:])
    return hojas


# --- LibreOffice (.ods) and legacy Excel (.xls), read by calamine --------------------------------

MIMETYPE_ODS = b"application/vnd.oasis.opendocument.spreadsheet"
FORMULA_ODS = re.compile(rb"\btable:formula\s*=")
FIRMA_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file, as every .xls is


def leer_ods(datos: bytes) -> dict:
    """An OpenDocument spreadsheet: its zip within ``zip_seguro``'s limits and free of formulas
    before calamine inflates anything."""
    with xlsx_acotado(io.BytesIO(datos), "ODS") as zip_:
        try:
            mimetype = zip_seguro.leer(zip_, "mimetype", 200).strip()
        except (KeyError, zip_seguro.ZipInvalido) as e:
            raise invalido("ODS") from e
        if mimetype != MIMETYPE_ODS or "content.xml" not in zip_.namelist():
            raise invalido("ODS")
        if formulas := formulas_ods(zip_seguro.trozos(zip_, zip_.getinfo("content.xml"))):
            raise ArchivoInvalido(
                _("El archivo contiene fórmulas (%(n)d celdas). Copie y pegue solo los valores.")
                % {"n": formulas}
            )
    return hojas_de_calamine(datos, "ODS")


def formulas_ods(trozos: Iterable[bytes]) -> int:
    """How many cells carry a formula in a content.xml given in chunks (a match is never split:
    each chunk is searched with the tail of the one before)."""
    cuenta, cola = 0, b""
    for trozo in trozos:
        texto = cola + trozo
        cuenta += len(FORMULA_ODS.findall(texto))
        cola = texto[-32:]
        cuenta -= len(FORMULA_ODS.findall(cola))  # counted again with the next chunk
    return cuenta + len(FORMULA_ODS.findall(cola))


def leer_xls(datos: bytes) -> dict:
    """A legacy Excel 97–2003 workbook (BIFF in an OLE2 file); calamine reads each formula's last
    computed value, as a copy of the values would give."""
    if len(datos) > XLS_MAXIMO:
        raise ArchivoInvalido(
            _("El archivo .xls pesa %(mb).1f MB; el máximo es %(max)d MB. Guárdelo como .xlsx u .ods.")
            % {"mb": len(datos) / 1024 / 1024, "max": XLS_MAXIMO // 1024 // 1024}
        )
    if not datos.startswith(FIRMA_XLS):
        raise invalido("XLS")
    return hojas_de_calamine(datos, "XLS")


def valor_de_calamine(valor):
    """A cell as the xlsx reader gives it: whole numbers as int (calamine reads every number as a
    float), texts unescaped, empty cells as None."""
    if isinstance(valor, float) and valor.is_integer():
        return int(valor)
    if valor == "":
        return None
    if isinstance(valor, (datetime.time, datetime.timedelta)):
        return str(valor)
    return celdas.desescapar(valor)


def hojas_de_calamine(datos: bytes, formato: str) -> dict:
    hojas = {}
    try:
        libro = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(datos))
        for titulo in libro.sheet_names:
            if titulo.lower() not in HOJAS_XLSX:
                continue
            hoja = libro.get_sheet_by_name(titulo)
            if hoja.height > FILAS_MAXIMAS + 1:
                raise ArchivoInvalido(_("El archivo tiene más de %(n)d filas.") % {"n": FILAS_MAXIMAS})
            filas = [[valor_de_calamine(v) for v in fila] for fila in hoja.to_python(skip_empty_area=False)]
            if filas:
                columnas = filas[0]
                nombre = titulo.lower() if titulo.lower() in ("convenios", "actualizaciones") else None
                nombre = nombre or hoja_de([str(c).lower() for c in columnas if c])
                hojas[nombre] = filas_de(columnas, filas[1:])
    except ArchivoInvalido:
        raise
    except (python_calamine.CalamineError, ValueError, TypeError, OverflowError, OSError) as e:
        raise invalido(formato) from e
    except BaseException as e:  # a Rust panic in calamine arrives as pyo3's PanicException
        if type(e).__name__ == "PanicException":
            raise invalido(formato) from e
        raise
    return hojas


def leer_csv(datos: bytes) -> dict:
    try:
        contenido = datos.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ArchivoInvalido(_("El CSV debe estar guardado en UTF-8.")) from e
    if "\x00" in contenido:
        raise ArchivoInvalido(_("El archivo no es un CSV de texto."))
    try:
        filas = list(csv.reader(io.StringIO(contenido)))
    except csv.Error as e:
        raise ArchivoInvalido(_("El CSV está mal formado: %(e)s.") % {"e": e}) from e
    if not filas:
        raise ArchivoInvalido(_("El archivo está vacío."))
    formulas = [
        f"{columna_letra(j)}{i}"
        for i, fila in enumerate(filas, start=1)
        for j, v in enumerate(fila)
        if celdas.es_formula(v)
    ]
    if formulas:
        raise ArchivoInvalido(
            _("El archivo contiene fórmulas (celdas %(c)s). Copie y pegue solo los valores.")
            % {"c": ", ".join(formulas[:10])}
        )
    filas = [[celdas.desescapar(v) for v in fila] for fila in filas]
    columnas = [c.strip().lower() for c in filas[0]]
    return {hoja_de(columnas): filas_de(columnas, filas[1:])}


def leer_json(datos: bytes) -> dict:
    try:
        contenido = json_seguro.leer(datos)
    except json_seguro.JSONInvalido as e:
        raise ArchivoInvalido(_("El archivo no es un JSON válido: %(e)s") % {"e": e}) from e
    if isinstance(contenido, list):
        contenido = {hoja_de(contenido[0] if contenido and isinstance(contenido[0], dict) else {}): contenido}
    if not isinstance(contenido, dict):
        raise ArchivoInvalido(_("El JSON debe ser un objeto con las listas «convenios» y «actualizaciones»."))
    hojas = {}
    for hoja in ("convenios", "actualizaciones"):
        registros = contenido.get(hoja) or []
        if not isinstance(registros, list) or not all(isinstance(r, dict) for r in registros):
            raise ArchivoInvalido(_("«%(h)s» debe ser una lista de objetos.") % {"h": hoja})
        if len(registros) > FILAS_MAXIMAS:
            raise ArchivoInvalido(_("El archivo tiene más de %(n)d filas.") % {"n": FILAS_MAXIMAS})
        hojas[hoja] = [
            (
                i,
                {
                    str(k).lower(): v if not isinstance(v, (dict, list)) else json.dumps(v)
                    for k, v in r.items()
                },
            )
            for i, r in enumerate(registros, start=1)
        ]
    return hojas


def columna_letra(indice: int) -> str:
    letras = ""
    indice += 1
    while indice:
        indice, resto = divmod(indice - 1, 26)
        letras = chr(65 + resto) + letras
    return letras


# --- importing ----------------------------------------------------------------------------------


def importar(libro: Libro, *, usuario, dry_run: bool = False, progreso=None) -> Informe:
    """Import the whole workbook in ONE transaction: any rejected row and nothing is written.

    ``usuario`` is who imports: every status update and text version is recorded as theirs, now.
    """
    informe = Informe()
    partes = {"convenio": [], "parte": [], "compromiso": []}
    for numero, fila in libro.convenios:
        tipo = str(fila.get("tipo") or "").strip().lower().rstrip("s")
        if tipo not in partes:
            informe.errores.append(
                Error(CONVENIOS, numero, "tipo", _("El tipo de fila debe ser convenio, parte o compromiso."))
            )
            continue
        partes[tipo].append((numero, fila))
    pasos = [(CONVENIOS, TIPOS[tipo], filas) for tipo, filas in partes.items() if filas]
    if libro.actualizaciones:
        pasos.append((ACTUALIZACIONES, ActualizacionResource, libro.actualizaciones))

    with transaction.atomic(), como_autor(usuario):
        for hoja, clase, filas in pasos:
            kwargs = {"usuario": usuario} if hoja == ACTUALIZACIONES else {}
            resource = clase(progreso=progreso, numeros=[n for n, _f in filas], **kwargs)
            columnas = list(dict.fromkeys(c for _n, f in filas for c in f))
            dataset = tablib.Dataset(*[[f.get(c) for c in columnas] for _n, f in filas], headers=columnas)
            resultado = resource.import_data(dataset, dry_run=False, use_transactions=True, user=usuario)
            sumar(informe, resultado, resource, hoja, [n for n, _f in filas])
            anotar_cambios(informe, resultado, hoja, filas)
        if dry_run or informe.errores:
            transaction.set_rollback(True)
        else:
            informe.escrito = True
            if informe.creados or informe.actualizados:
                anotar_en_bitacora(usuario, informe)
            if informe.creados + informe.actualizados >= FILAS_PARA_ANALIZAR:
                analizar_tras_carga(Dependencia, Convenio, Parte, Compromiso)
    return informe


def anotar_en_bitacora(usuario, informe: Informe) -> None:
    """The admin's log records an import as it records an edit in the admin: whoever reads the log
    sees this door too, and the open data's version (datos/version.py) moves with it."""
    LogEntry.objects.create(
        user=usuario,
        content_type=ContentType.objects.get_for_model(Convenio),
        object_repr=_("Importación masiva"),
        action_flag=CHANGE,
        change_message=_("Importación: %(creados)s filas nuevas, %(actualizados)s cambiadas.")
        % {"creados": informe.creados, "actualizados": informe.actualizados},
    )


ACCIONES = {RowResult.IMPORT_TYPE_NEW: "crear", RowResult.IMPORT_TYPE_UPDATE: "cambiar"}
CAMBIOS_LISTADOS = 1000  # the review lists this many rows that create or change something; counts cover all


def anotar_cambios(informe: Informe, resultado, hoja: str, filas: list[tuple[int, dict]]) -> None:
    """The rows that create or change something, by their row number and what they name."""
    for indice, fila in enumerate(resultado.rows):
        accion = ACCIONES.get(fila.import_type)
        if accion and indice < len(filas) and len(informe.cambios) < CAMBIOS_LISTADOS:
            numero, datos = filas[indice]
            informe.cambios.append(Cambio(hoja, numero, accion, descripcion(hoja, datos)))


def descripcion(hoja: str, fila: dict) -> str:
    """What a row names, in the file's own words: «compromiso 3 de convenio-x», «parte …»."""
    valor = {c: str(v).strip() for c, v in fila.items() if v is not None and str(v).strip()}
    convenio = valor.get("convenio", "")
    if hoja == ACTUALIZACIONES:
        return _("compromiso %(n)s de %(c)s: %(e)s desde %(f)s") % {
            "n": valor.get("numero", "?"),
            "c": convenio,
            "e": valor.get("estatus", "?"),
            "f": valor.get("fecha_efectiva", "?"),
        }
    tipo = valor.get("tipo", "").lower().rstrip("s")
    if tipo == "parte":
        return _("parte %(d)s de %(c)s") % {"d": valor.get("dependencia", "?"), "c": convenio}
    if tipo == "compromiso":
        return _("compromiso %(n)s de %(c)s") % {"n": valor.get("numero", "?"), "c": convenio}
    return _("convenio %(c)s") % {"c": convenio}


def sumar(informe: Informe, resultado, resource, hoja: str, numeros: list[int]) -> None:
    """Add one resource's result to the report, with the file's row numbers and column names."""
    totales = resultado.totals
    informe.creados += totales["new"]
    informe.actualizados += totales["update"]
    informe.sin_cambios += totales["skip"]
    columnas = {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    columnas.update({n: f.column_name for n, f in resource.fields.items()})
    columnas = {campo: resource.renombradas.get(columna, columna) for campo, columna in columnas.items()}
    for error in resultado.base_errors:
        informe.errores.append(Error(hoja, None, "", str(error.error)))
    for fila in resultado.invalid_rows:
        for campo, mensajes in fila.error_dict.items():
            columna = columnas.get(campo, "" if campo == "__all__" else campo)
            for mensaje in mensajes:
                informe.errores.append(Error(hoja, numeros[fila.number - 1], columna, str(mensaje)))
    for numero, errores in resultado.row_errors():
        for error in errores:
            informe.errores.append(
                Error(hoja, numeros[numero - 1], "", _("Error al guardar: %(e)s") % {"e": error.error})
            )


# --- exporting ----------------------------------------------------------------------------------


def exportar() -> dict[str, list[dict]]:
    """Everything (convenios, parties, commitments and the whole history) as the two sheets."""
    convenios = []
    por_tipo = {
        "convenio": (ConvenioResource(), Convenio.objects.order_by("slug")),
        "parte": (ParteResource(), ParteResource().get_queryset().order_by("convenio__slug", "orden", "pk")),
        "compromiso": (
            CompromisoResource(),
            CompromisoResource().get_queryset().order_by("convenio__slug", "numero"),
        ),
    }
    filas = {}
    for tipo, (resource, queryset) in por_tipo.items():
        for objeto in queryset:
            slug = objeto.slug if tipo == "convenio" else objeto.convenio.slug
            fila = {
                "tipo": tipo,
                **dict(zip(resource.get_export_headers(), resource.export_resource(objeto), strict=True)),
            }
            filas.setdefault(slug, []).append(fila)
    for slug in sorted(filas):
        convenios.extend({c: fila.get(c, "") for c in COLUMNAS_CONVENIOS} for fila in filas[slug])
    resource = ActualizacionResource()
    historial = resource.get_queryset().order_by(
        "compromiso__convenio__slug", "compromiso__numero", "registrado_en", "pk"
    )
    actualizaciones = [
        dict(zip(COLUMNAS_ACTUALIZACIONES, resource.export_resource(a), strict=True))
        for a in historial.iterator(2000)
    ]
    return {"convenios": convenios, "actualizaciones": actualizaciones}


def como_xlsx(hojas: dict[str, list[dict]], instrucciones: list[list[str]] | None = None) -> bytes:
    """The workbook; every cell goes through ``seguimiento.celdas``, so no text becomes a formula."""
    libro = Workbook(write_only=True)
    for titulo, columnas, filas in (
        (CONVENIOS, COLUMNAS_CONVENIOS, hojas["convenios"]),
        (ACTUALIZACIONES, COLUMNAS_ACTUALIZACIONES, hojas["actualizaciones"]),
    ):
        hoja = libro.create_sheet(titulo)
        hoja.freeze_panes = "A2"
        encabezado = []
        for columna in columnas:
            celda = WriteOnlyCell(hoja, columna)
            celda.font = Font(bold=True)
            encabezado.append(celda)
        hoja.append(encabezado)
        for fila in filas:
            hoja.append([celdas.valor_xlsx(fila.get(c, "")) for c in columnas])
    if instrucciones:
        hoja = libro.create_sheet("Instrucciones")
        for fila in instrucciones:
            hoja.append([celdas.valor_xlsx(v) for v in fila])
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


ODS_CONTENIDO = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>{tablas}</office:spreadsheet></office:body></office:document-content>"
)
ODS_MANIFIESTO = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def celda_ods(valor) -> str:
    """One cell as text (what the template holds), escaped as every export's cells are."""
    texto = celdas.valor_xlsx("" if valor is None else str(valor))
    if not texto:
        return "<table:table-cell/>"
    parrafos = "".join(f"<text:p>{escape(linea)}</text:p>" for linea in texto.split("\n"))
    return f'<table:table-cell office:value-type="string">{parrafos}</table:table-cell>'


def como_ods(hojas: dict[str, list[dict]], instrucciones: list[list[str]] | None = None) -> bytes:
    """The workbook as an OpenDocument spreadsheet (LibreOffice's own format): the minimal package
    (mimetype first and stored, the manifest, content.xml), every cell a text."""
    tablas = []
    for titulo, columnas, filas in (
        (CONVENIOS, COLUMNAS_CONVENIOS, hojas["convenios"]),
        (ACTUALIZACIONES, COLUMNAS_ACTUALIZACIONES, hojas["actualizaciones"]),
        ("Instrucciones", None, instrucciones),
    ):
        if columnas is None and not filas:
            continue
        valores = [[f.get(c, "") for c in columnas] for f in filas] if columnas else filas
        renglones = [columnas, *valores] if columnas else valores
        cuerpo = "".join(
            f"<table:table-row>{''.join(celda_ods(v) for v in renglon)}</table:table-row>"
            for renglon in renglones
        )
        tablas.append(f"<table:table table:name={quoteattr(titulo)}>{cuerpo}</table:table>")
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as zip_:
        zip_.writestr("mimetype", MIMETYPE_ODS, compress_type=zipfile.ZIP_STORED)
        zip_.writestr("META-INF/manifest.xml", ODS_MANIFIESTO, compress_type=zipfile.ZIP_DEFLATED)
        contenido = ODS_CONTENIDO.format(tablas="".join(tablas))
        zip_.writestr("content.xml", contenido, compress_type=zipfile.ZIP_DEFLATED)
    return salida.getvalue()


def como_csv(filas: list[dict], columnas: list[str]) -> bytes:
    salida = io.StringIO()
    escritor = csv.DictWriter(salida, fieldnames=columnas, extrasaction="ignore", lineterminator="\n")
    escritor.writeheader()
    for fila in filas:
        escritor.writerow({c: celdas.escapar(v) for c, v in fila.items()})
    return salida.getvalue().encode("utf-8")


def como_json(hojas: dict[str, list[dict]]) -> bytes:
    return json.dumps(hojas, ensure_ascii=False, indent=1).encode("utf-8")


def guardar(hojas: dict[str, list[dict]], destino: Path) -> list[Path]:
    """Write the export where the commands ask: .xlsx, .json, or a folder of .csv files."""
    if destino.suffix.lower() == ".xlsx":
        destino.write_bytes(como_xlsx(hojas))
        return [destino]
    if destino.suffix.lower() == ".json":
        destino.write_bytes(como_json(hojas))
        return [destino]
    if destino.suffix:
        raise ArchivoInvalido(
            _("Formato no admitido («%(e)s»): use .xlsx, .json o una carpeta para .csv.")
            % {"e": destino.suffix}
        )
    destino.mkdir(parents=True, exist_ok=True)
    rutas = [destino / "convenios.csv", destino / "actualizaciones.csv"]
    rutas[0].write_bytes(como_csv(hojas["convenios"], COLUMNAS_CONVENIOS))
    rutas[1].write_bytes(como_csv(hojas["actualizaciones"], COLUMNAS_ACTUALIZACIONES))
    return rutas


# --- the same reading rules for the admin's one-table import ----------------------------------


class FormatoSeguro:
    """Admin import formats that read with the rules above: size limit, no formulas, one table."""

    def create_dataset(self, in_stream):
        datos = in_stream.encode("utf-8") if isinstance(in_stream, str) else bytes(in_stream)
        extension = f".{self.get_extension()}"
        comprobar_tamano(len(datos))
        if not datos.strip():
            raise ArchivoInvalido(_("El archivo está vacío."))
        if extension == ".json":
            contenido = leer_json(datos)
            filas = next((f for f in contenido.values() if f), [])
        elif extension == ".csv":
            filas = next(iter(leer_csv(datos).values()))
        else:
            hojas = leer_xlsx_primera(datos)
            filas = hojas
        columnas = list(dict.fromkeys(c for _n, f in filas for c in f))
        return tablib.Dataset(*[[f.get(c) for c in columnas] for _n, f in filas], headers=columnas)


def leer_xlsx_primera(datos: bytes) -> list[tuple[int, dict]]:
    """The first sheet of any name (what the admin exports), with the same rules as ``leer_xlsx``."""
    hojas = hojas_xlsx(datos, solo_la_primera=True)
    filas = hojas[0][1] if hojas else []
    return filas_de(filas[0], filas[1:]) if filas else []


class XLSXSeguro(FormatoSeguro, base_formats.XLSX):
    pass


class CSVSeguro(FormatoSeguro, base_formats.CSV):
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"


class JSONSeguro(FormatoSeguro, base_formats.JSON):
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"


class XLSXExportacion(base_formats.XLSX):
    """The admin's XLSX export, with the cells of every other export (``seguimiento.celdas``)."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(celdas.dataset_seguro(dataset, xlsx=True), **kwargs)


class CSVExportacion(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        return super().export_data(celdas.dataset_seguro(dataset), **kwargs)


FORMATOS_IMPORTACION = [XLSXSeguro, CSVSeguro, JSONSeguro]
FORMATOS_EXPORTACION = [XLSXExportacion, CSVExportacion, base_formats.JSON]
