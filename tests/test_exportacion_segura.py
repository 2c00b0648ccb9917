"""No export runs a formula: text a spreadsheet would execute leaves every door as text, with a
leading apostrophe, and comes back as the original text when the file is imported again."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from convenios import importacion
from convenios.models import Actualizacion, Compromiso, Convenio
from convenios.plantilla import HOJAS_EJEMPLO
from seguimiento import celdas

from .conftest import filas_de_importacion
from .factories import CompromisoFactory, registrar_actualizacion

SEMILLA = "convenio-de-colaboracion-www-datos-gob-mx"
NOTAS = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1+2"]
# Texts a note cannot hold (notes are stripped), but a commitment's text can. The page writes them
# as they are; the import format, like the import, strips the outer blanks first.
TEXTOS = ["\tcon tabulador", "\r=1+1"]
TEXTOS_SIN_BLANCOS = ["con tabulador", "=1+1"]
PELIGROSOS = ("=", "+", "-", "@", "\t", "\r")
XLSX, CSV, JSON = "0", "1", "2"  # the admin's export formats, in the order it lists them


def escapado(texto: str) -> str:
    return "'" + texto


def anotar(semilla: Convenio, estatus) -> Convenio:
    """The seed's commitments 1-4 each end with one of the notes; two more commitments' texts."""
    for numero, nota in enumerate(NOTAS, start=1):
        registrar_actualizacion(
            Compromiso.objects.get(convenio=semilla, numero=numero),
            estatus=estatus["en-proceso"],
            fecha_efectiva=datetime.date(2021, 1, numero),
            nota=nota,
        )
    for numero, texto in enumerate(TEXTOS, start=12):
        CompromisoFactory(convenio=semilla, numero=numero, texto=texto)
    return semilla


@pytest.fixture
def notas(semilla, estatus):
    return anotar(semilla, estatus)


def sin_formulas_xlsx(datos: bytes) -> list[list]:
    """Every sheet's values, after checking that no cell is a formula nor text that starts one."""
    libro = openpyxl.load_workbook(io.BytesIO(datos))
    valores = []
    for hoja in libro.worksheets:
        for fila in hoja.iter_rows():
            for celda in fila:
                assert celda.data_type != "f", celda.coordinate
                assert not (isinstance(celda.value, str) and celda.value.startswith(PELIGROSOS)), celda.value
            valores.append([c.value for c in fila])
    return valores


def sin_formulas_csv(datos: bytes) -> list[list[str]]:
    filas = list(csv.reader(io.StringIO(datos.decode("utf-8-sig"), newline="")))
    for fila in filas:
        for valor in fila:
            assert not valor.startswith(PELIGROSOS), valor
    return filas


def todos(valores) -> set:
    return {v for fila in valores for v in fila}


# --- the commitments page --------------------------------------------------------------------------


@pytest.mark.parametrize("formato", ["csv", "xlsx"])
def test_the_commitments_page_exports_text_not_formulas(client, usuarios, notas, formato):
    client.force_login(usuarios["auditor"])
    respuesta = client.get(reverse("convenios:compromisos"), {"formato": formato})
    assert respuesta.status_code == 200
    if formato == "csv":
        valores = todos(sin_formulas_csv(b"".join(respuesta.streaming_content)))
    else:
        # XML reads a carriage return back as a line feed; the apostrophe in front is what counts.
        valores = {
            v.replace("\n", "\r") if isinstance(v, str) else v
            for v in todos(sin_formulas_xlsx(respuesta.content))
        }
    assert {escapado(t) for t in NOTAS + TEXTOS} <= valores


# --- the admin's export ------------------------------------------------------------------------------


def exportar_en_admin(client, modelo: str, formato: str) -> bytes:
    url = reverse(f"admin:convenios_{modelo}_export")
    formulario = client.get(url).context["form"]
    recurso = {"actualizacion": "actualizacionresource", "compromiso": "compromisoresource"}[modelo]
    datos = {"format": formato, "resource": "0"}
    datos.update({nombre: "on" for nombre in formulario.fields if nombre.startswith(recurso)})
    respuesta = client.post(url, datos)
    assert respuesta.status_code == 200
    return respuesta.content


@pytest.mark.parametrize("formato", [XLSX, CSV])
def test_the_admin_export_writes_text_not_formulas_and_imports_back_unchanged(
    client, importador, notas, formato
):
    client.force_login(importador)
    actualizaciones = exportar_en_admin(client, "actualizacion", formato)
    compromisos = exportar_en_admin(client, "compromiso", formato)
    revisar = sin_formulas_xlsx if formato == XLSX else sin_formulas_csv
    assert {escapado(n) for n in NOTAS} <= todos(revisar(actualizaciones))
    assert {"con tabulador", escapado("=1+1")} <= todos(revisar(compromisos))

    # Read back as the import reads it: the original text, exactly.
    nombre = "a.xlsx" if formato == XLSX else "a.csv"
    filas = (
        importacion.leer_xlsx_primera(actualizaciones)
        if formato == XLSX
        else next(iter(importacion.leer_csv(actualizaciones).values()))
    )
    assert set(NOTAS) <= {fila["nota"] for _n, fila in filas}
    # And importing it again in the admin finds every update already recorded.
    antes = filas_de_importacion()
    archivo = io.BytesIO(actualizaciones)
    archivo.name = nombre
    vista_previa = client.post(
        reverse("admin:convenios_actualizacion_import"), {"import_file": archivo, "format": formato}
    )
    resultado = vista_previa.context["result"]
    assert not resultado.has_errors() and not resultado.has_validation_errors()
    assert resultado.totals["new"] == 0 and resultado.totals["skip"] == Actualizacion.objects.count()
    assert filas_de_importacion() == antes


def test_the_admin_json_export_keeps_the_text_as_it_is(client, importador, notas):
    client.force_login(importador)
    filas = json.loads(exportar_en_admin(client, "actualizacion", JSON))
    assert set(NOTAS) <= {fila["nota"] for fila in filas}


# --- the command ------------------------------------------------------------------------------------


@pytest.mark.parametrize("destino", ["todo.xlsx", "carpeta", "todo.json"])
def test_the_export_command_writes_text_not_formulas_and_a_fresh_import_restores_it(
    importador, estatus, tmp_path, destino
):
    ruta = tmp_path / destino
    punto = transaction.savepoint()
    call_command("cargar_semilla", stdout=io.StringIO())
    anotar(Convenio.objects.get(slug=SEMILLA), estatus)
    call_command("exportar", str(ruta), stdout=io.StringIO())
    if destino.endswith(".xlsx"):
        valores = todos(sin_formulas_xlsx(ruta.read_bytes()))
        assert {*map(escapado, NOTAS), "con tabulador", escapado("=1+1")} <= valores
    elif destino.endswith(".json"):  # not a spreadsheet: the text as it is
        hojas = json.loads(ruta.read_bytes())
        assert set(NOTAS) <= {f["nota"] for f in hojas["actualizaciones"]}
        assert set(TEXTOS_SIN_BLANCOS) <= {f["texto"] for f in hojas["convenios"]}
    else:
        valores = todos(sin_formulas_csv((ruta / "actualizaciones.csv").read_bytes()))
        valores |= todos(sin_formulas_csv((ruta / "convenios.csv").read_bytes()))
        assert {*map(escapado, NOTAS), "con tabulador", escapado("=1+1")} <= valores
    transaction.savepoint_rollback(punto)
    assert not Convenio.objects.exists()

    call_command("importar", str(ruta), "--usuario", "importador", stdout=io.StringIO())
    assert set(NOTAS) <= set(Actualizacion.objects.values_list("nota", flat=True))
    assert set(TEXTOS_SIN_BLANCOS) <= set(Compromiso.objects.values_list("texto", flat=True))


# --- the template -----------------------------------------------------------------------------------


def test_the_import_template_writes_text_not_formulas_and_imports_back(
    client, usuarios, importador, monkeypatch
):
    monkeypatch.setitem(HOJAS_EJEMPLO["actualizaciones"][0], "nota", NOTAS[0])
    monkeypatch.setitem(HOJAS_EJEMPLO["convenios"][0], "nota", NOTAS[1])
    client.force_login(usuarios["capturista"])
    respuesta = client.get(reverse("convenios:plantilla_importacion"))
    assert {escapado(NOTAS[0]), escapado(NOTAS[1])} <= todos(sin_formulas_xlsx(respuesta.content))
    informe = importacion.importar(importacion.leer(respuesta.content, "plantilla.xlsx"), usuario=importador)
    assert not informe.errores
    assert Actualizacion.objects.filter(nota=NOTAS[0]).exists()
    assert Convenio.objects.get(slug="convenio-de-ejemplo").nota == NOTAS[1]


# --- the rule itself --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "texto",
    [*NOTAS, *TEXTOS, "'=ya con apóstrofo", "''@dos", "'solo apóstrofo", "normal", "", "1-2", "'"],
)
def test_escaping_is_undone_exactly_on_import(texto):
    seguro = celdas.escapar(texto)
    assert not seguro.startswith(PELIGROSOS)
    assert celdas.desescapar(seguro) == texto


def test_only_text_that_a_spreadsheet_would_run_is_escaped():
    assert celdas.escapar("Oficio CG/77") == "Oficio CG/77"
    assert celdas.escapar("'hola") == "'hola"
    assert celdas.escapar(-5) == -5 and celdas.escapar(None) is None
    assert celdas.escapar("-5") == "'-5"
