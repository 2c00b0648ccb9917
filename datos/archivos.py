"""The open data files, built from ``conjuntos``: CSV (UTF-8, one header row, ISO 8601 dates), JSON
(the same table: a header list, then one list per row) and the data dictionary of each. Built on
each download (under a second for 10,000 commitments); an unchanged file is answered 304 by its
ETag (``version.py``) before anything is built."""

import csv
import io
import json

from seguimiento import celdas

from .conjuntos import CONJUNTOS, Conjunto, valor_json

FORMATOS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
TIPO_DICCIONARIO = "text/csv; charset=utf-8"
COLUMNAS_DICCIONARIO = ["columna", "tipo", "descripcion", "ejemplo", "obligatoria"]


def _csv(encabezado: list[str], filas) -> bytes:
    salida = io.StringIO()
    escritor = csv.writer(salida, lineterminator="\r\n")
    escritor.writerow(encabezado)
    for fila in filas:
        # A text a spreadsheet would run as a formula gets the apostrophe every export of ours gives it.
        escritor.writerow([celdas.escapar(valor_json(v)) for v in fila])
    return salida.getvalue().encode("utf-8")


def construir(conjunto: Conjunto, formato: str) -> bytes:
    filas = conjunto.filas()
    if formato == "csv":
        return _csv(conjunto.nombres, filas)
    # Like the CSV: a list whose first element names the columns, then one list per row (native
    # numbers, null for a missing value). Frictionless reads it as a table even with no rows, which
    # a list of objects cannot be.
    registros = [conjunto.nombres, *([valor_json(v) for v in fila] for fila in filas)]
    return json.dumps(registros, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def diccionario(conjunto: Conjunto) -> bytes:
    """Each column's name, type, description and an example (the «Guía de Implementación de la
    Política de Datos Abiertos» asks for one per file)."""
    filas = [
        (c.nombre, c.tipo, str(c.descripcion), c.ejemplo, "sí" if c.requerida else "no")
        for c in conjunto.columnas
    ]
    return _csv(COLUMNAS_DICCIONARIO, filas)


def conjunto_o_none(nombre: str) -> Conjunto | None:
    return CONJUNTOS.get(nombre)
