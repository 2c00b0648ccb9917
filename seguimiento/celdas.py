"""Spreadsheet safety, decided here and nowhere else: every CSV and XLSX the application writes
passes its cells through this module, and every CSV and XLSX it reads undoes the escape.

A spreadsheet runs text that starts with ``= + - @`` (or a tab or carriage return before them) as a
formula: ``=HYPERLINK(...)`` in a note would become a live link or worse (CSV/formula injection).
Such text is written with a leading apostrophe, which spreadsheets treat as "this is text". Text
that already starts with apostrophes followed by one of those characters gets one more, so
reading a file removes exactly one and gives back the original text. JSON is not a spreadsheet and
is written as it is.
"""

import tablib
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

PELIGROSOS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def es_peligroso(texto: str) -> bool:
    """Whether a spreadsheet would run ``texto`` (or ``texto`` is an escaped one of those)."""
    return texto.lstrip(ESCAPE).startswith(PELIGROSOS)


def escapar(valor):
    """The cell value to write: dangerous text gets an apostrophe in front; anything else as is."""
    if isinstance(valor, str) and es_peligroso(valor):
        return ESCAPE + valor
    return valor


def desescapar(valor):
    """The inverse of ``escapar``, for a cell read from a CSV or XLSX file."""
    if isinstance(valor, str) and valor.startswith(ESCAPE) and es_peligroso(valor):
        return valor[1:]
    return valor


def es_formula(texto: str) -> bool:
    """A CSV cell that a spreadsheet saved as a formula: imports refuse it (copy values instead)."""
    return texto.startswith("=")


def valor_xlsx(valor):
    """The value to put in an XLSX cell: text stays text (openpyxl makes a formula only of text
    starting with "="), without the control characters an XLSX file cannot hold (the only change a
    round trip makes)."""
    if isinstance(valor, str):
        return escapar(ILLEGAL_CHARACTERS_RE.sub("", valor))
    return valor


def dataset_seguro(dataset: tablib.Dataset, xlsx: bool = False) -> tablib.Dataset:
    """A copy of ``dataset`` with every cell escaped, for the admin's CSV and XLSX exports."""
    celda = valor_xlsx if xlsx else escapar
    seguro = tablib.Dataset(headers=[celda(h) for h in dataset.headers or []], title=dataset.title)
    for fila in dataset:
        seguro.append([celda(v) for v in fila])
    return seguro
