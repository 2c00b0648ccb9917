"""LibreOffice (.ods) and legacy Excel (.xls) files: the template in both formats, and imports with
the rules of every other format (all or nothing, row-numbered errors, no formulas, zip limits), and a
review that lists what it would do and keeps no upload afterwards.

The .xls files are made here with ``xlwt`` (a dev dependency), the .ods ones with the project's own
writer or, for broken and hostile files, by hand.
"""

import datetime
import io
import zipfile
from types import SimpleNamespace
from xml.sax.saxutils import escape

import pytest
import python_calamine
import xlwt
from django.core.management import call_command
from django.urls import reverse

from convenios import importacion, views_importacion
from convenios.models import Actualizacion, Compromiso, Convenio
from convenios.plantilla import EJEMPLO, HOJAS_EJEMPLO, INSTRUCCIONES
from convenios.views_importacion import CARPETA_PENDIENTES, VIGENCIA_REVISION
from seguimiento.almacen import almacen_privado

from .conftest import SLUG_DE_LA_SEMILLA as SEMILLA
from .conftest import archivos_privados, filas_de_importacion

ENCABEZADO = ["convenio", "numero", "estatus", "fecha_efectiva", "nota"]
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def celda(valor) -> str:
    if isinstance(valor, int):  # a number typed in LibreOffice, not a text
        numero = f'office:value-type="float" office:value="{valor}"'
        return f"<table:table-cell {numero}><text:p>{valor}</text:p></table:table-cell>"
    return importacion.celda_ods(valor)


def contenido(hojas: dict[str, list[list]], formula: bool = False) -> str:
    tablas = ""
    for titulo, filas in hojas.items():
        renglones = "".join(
            "<table:table-row>" + "".join(celda(v) for v in fila) + "</table:table-row>" for fila in filas
        )
        if formula:
            renglones += (
                '<table:table-row><table:table-cell table:formula="of:=1+1" office:value-type="float" '
                'office:value="2"><text:p>2</text:p></table:table-cell></table:table-row>'
            )
        tablas += f'<table:table table:name="{escape(titulo)}">{renglones}</table:table>'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.2">'
        f"<office:body><office:spreadsheet>{tablas}</office:spreadsheet></office:body></office:document-content>"
    )


def paquete(miembros: dict[str, bytes | str], mimetype: bytes = importacion.MIMETYPE_ODS) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as zip_:
        zip_.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for nombre, datos in miembros.items():
            zip_.writestr(nombre, datos, compress_type=zipfile.ZIP_DEFLATED)
    return salida.getvalue()


def ods(hojas: dict[str, list[list]], formula: bool = False) -> bytes:
    return paquete(
        {"META-INF/manifest.xml": importacion.ODS_MANIFIESTO, "content.xml": contenido(hojas, formula)}
    )


def xls(hojas: dict[str, list[list]]) -> bytes:
    libro = xlwt.Workbook(encoding="utf-8")
    fecha = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for titulo, filas in hojas.items():
        hoja = libro.add_sheet(titulo)
        for i, fila in enumerate(filas):
            for j, valor in enumerate(fila):
                if isinstance(valor, datetime.date):
                    hoja.write(i, j, valor, fecha)
                elif valor is not None:
                    hoja.write(i, j, valor)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def subir(client, datos: bytes, nombre: str, **extra):
    archivo = io.BytesIO(datos)
    archivo.name = nombre
    return client.post(reverse("convenios:importar"), {"archivo": archivo, **extra})


def pendientes() -> list[str]:
    return archivos_privados(CARPETA_PENDIENTES)


@pytest.fixture
def importa(client, usuarios, semilla):
    client.force_login(usuarios["importador"])
    return client


# --- the template ---------------------------------------------------------------------------------


def test_the_template_downloads_as_ods_and_reads_back_as_the_xlsx_one(client, usuarios):
    client.force_login(usuarios["capturista"])
    respuesta = client.get(reverse("convenios:plantilla_importacion_ods"))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert respuesta["Content-Disposition"] == 'attachment; filename="plantilla-importacion.ods"'
    datos = respuesta.content
    with zipfile.ZipFile(io.BytesIO(datos)) as zip_:  # mimetype first and stored, as ODF requires
        primero = zip_.infolist()[0]
        assert (primero.filename, primero.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    libro = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(datos))
    assert libro.sheet_names == ["Convenios", "Actualizaciones", "Instrucciones"]
    assert libro.get_sheet_by_name("Instrucciones").to_python()[0][0] == INSTRUCCIONES[0][0]
    xlsx = client.get(reverse("convenios:plantilla_importacion")).content
    assert importacion.leer(datos, "p.ods") == importacion.leer(xlsx, "p.xlsx")


def test_the_import_page_links_both_templates(importa):
    pagina = importa.get(reverse("convenios:importar")).content.decode()
    assert reverse("convenios:plantilla_importacion") in pagina
    assert reverse("convenios:plantilla_importacion_ods") in pagina
    assert 'accept=".xlsx,.ods,.xls,.csv,.json"' in pagina


# --- importing .ods and .xls ----------------------------------------------------------------------


def test_the_ods_template_imports_whole_and_a_second_time_changes_nothing(usuarios, db):
    datos = importacion.como_ods(HOJAS_EJEMPLO, INSTRUCCIONES)
    informe = importacion.importar(importacion.leer(datos, "p.ods"), usuario=usuarios["importador"])
    assert informe.errores == [] and informe.escrito
    convenio = Convenio.objects.get(slug=EJEMPLO)
    assert list(convenio.compromisos.order_by("numero").values_list("numero", flat=True)) == [1, 2]
    assert Actualizacion.objects.filter(compromiso__convenio=convenio).count() == 2
    otra = importacion.importar(importacion.leer(datos, "p.ods"), usuario=usuarios["importador"])
    assert (otra.creados, otra.actualizados, otra.errores) == (0, 0, [])


@pytest.mark.parametrize("formato", ["ods", "xls"])
def test_numbers_and_dates_typed_in_the_sheet_import(usuarios, semilla, formato):
    fecha = "2021-01-01" if formato == "ods" else datetime.date(2021, 1, 1)
    hojas = {"Actualizaciones": [ENCABEZADO, [SEMILLA, 3, "en-proceso", fecha, "Desde LibreOffice"]]}
    datos = ods(hojas) if formato == "ods" else xls(hojas)
    informe = importacion.importar(importacion.leer(datos, f"a.{formato}"), usuario=usuarios["importador"])
    assert informe.errores == [] and informe.creados == 1
    nueva = Actualizacion.objects.get(nota="Desde LibreOffice")
    assert (nueva.compromiso.numero, nueva.fecha_efectiva) == (3, datetime.date(2021, 1, 1))


@pytest.mark.parametrize("formato", ["ods", "xls"])
def test_one_bad_row_rejects_the_whole_file_with_its_row_number(importa, formato):
    hojas = {
        "Actualizaciones": [
            ENCABEZADO,
            [SEMILLA, 1, "cumplido", "2021-01-01", ""],
            [SEMILLA, 2, "inventado", "2021-01-01", ""],
            [],
            [SEMILLA, 99, "cumplido", "2021-01-01", ""],
        ]
    }
    datos = ods(hojas) if formato == "ods" else xls(hojas)
    antes = filas_de_importacion()
    respuesta = subir(importa, datos, f"a.{formato}")
    assert respuesta.status_code == 400
    errores = [(e.hoja, e.fila, e.columna) for e in respuesta.context["informe"].errores]
    assert errores == [("Actualizaciones", 3, "estatus"), ("Actualizaciones", 5, "numero")]
    pagina = respuesta.content.decode()
    assert "No existe el estatus «inventado»" in pagina
    assert "no tiene compromiso número 99" in pagina
    assert filas_de_importacion() == antes and pendientes() == []


def test_an_ods_with_a_formula_is_refused_in_spanish(importa):
    datos = ods({"Actualizaciones": [ENCABEZADO, [SEMILLA, 1, "cumplido", "2021-01-01", ""]]}, formula=True)
    respuesta = subir(importa, datos, "a.ods")
    assert respuesta.status_code == 400
    assert "El archivo contiene fórmulas (1 celdas). Copie y pegue solo los valores." in (
        respuesta.content.decode()
    )


def test_formula_cells_are_counted_across_chunks():
    marca = b'<table:table-cell table:formula="of:=1"/>'
    texto = b"x" * 1000 + marca + b"y" * 50 + marca
    for corte in range(len(texto)):
        assert importacion.formulas_ods([texto[:corte], texto[corte:]]) == 2, corte


def test_an_ods_bomb_is_refused_by_the_zip_limits_before_calamine_reads_it(importa, monkeypatch):
    def no_debe_leer(*args, **kwargs):
        raise AssertionError("calamine read a file the zip limits should have refused")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", no_debe_leer)
    relleno = contenido({"Actualizaciones": [ENCABEZADO]}).replace(
        "</office:spreadsheet>", " " * (20 * 1024 * 1024) + "</office:spreadsheet>"
    )
    bomba = paquete({"META-INF/manifest.xml": importacion.ODS_MANIFIESTO, "content.xml": relleno})
    respuesta = subir(importa, bomba, "a.ods")
    assert respuesta.status_code == 400
    assert "parece una bomba de descompresión" in respuesta.content.decode()


@pytest.mark.parametrize(
    "datos, nombre, mensaje",
    [
        (b"PK\x03\x04 no es un zip", "a.ods", "El archivo no es una hoja de cálculo ODS válida."),
        (paquete({"content.xml": "<x/>"}, mimetype=b"application/zip"), "a.ods", "ODS válida"),
        (paquete({"otro.xml": "<x/>"}), "a.ods", "ODS válida"),
        (paquete({"content.xml": "<office:document-content"}), "a.ods", "ODS válida"),
        (b"no es un xls", "a.xls", "El archivo no es una hoja de cálculo XLS válida."),
        (importacion.FIRMA_XLS + b"\0" * 4000, "a.xls", "El archivo no es una hoja de cálculo XLS válida."),
        (importacion.FIRMA_XLS + b"\0" * importacion.XLS_MAXIMO, "a.xls", "el máximo es 10 MB"),
    ],
)
def test_broken_or_oversized_files_are_a_spanish_400_and_nothing_is_written(importa, datos, nombre, mensaje):
    antes = filas_de_importacion()
    respuesta = subir(importa, datos, nombre)
    assert respuesta.status_code == 400
    assert mensaje in respuesta.content.decode()
    assert filas_de_importacion() == antes and pendientes() == []


def test_an_xls_just_under_its_size_bound_is_read(monkeypatch):
    datos = xls({"Actualizaciones": [ENCABEZADO, [SEMILLA, 1, "cumplido", "2021-01-01", ""]]})
    monkeypatch.setattr(importacion, "XLS_MAXIMO", len(datos))
    assert len(importacion.leer(datos, "a.xls").actualizaciones) == 1
    monkeypatch.setattr(importacion, "XLS_MAXIMO", len(datos) - 1)
    with pytest.raises(importacion.ArchivoInvalido, match=r"Guárdelo como \.xlsx u \.ods"):
        importacion.leer(datos, "a.xls")


# --- the review: what it would do, never «Creados», no upload kept --------------------------------


@pytest.mark.parametrize("formato", ["ods", "xls"])
def test_the_review_lists_each_row_it_would_create_and_keeps_no_file_after_confirming(
    importa, formato, almacen
):
    hojas = {
        "Convenios": [
            ["tipo", "convenio", "numero", "texto"],
            ["compromiso", SEMILLA, 12, "Un compromiso nuevo."],
            ["compromiso", SEMILLA, 1, Compromiso.objects.get(convenio__slug=SEMILLA, numero=1).texto],
        ],
        "Actualizaciones": [ENCABEZADO, [SEMILLA, 4, "pendiente", "2021-02-02", ""]],
    }
    datos = ods(hojas) if formato == "ods" else xls(hojas)
    antes = filas_de_importacion()
    revision = subir(importa, datos, f"a.{formato}")
    assert revision.status_code == 200
    assert filas_de_importacion() == antes
    pagina = revision.content.decode()
    assert "Creados" not in pagina and "Actualizados" not in pagina
    assert "Se crearían" in pagina
    cambios = [(c.hoja, c.fila, c.accion, c.que) for c in revision.context["informe"].cambios]
    assert cambios == [
        ("Convenios", 2, "crear", f"compromiso 12 de {SEMILLA}"),
        ("Actualizaciones", 2, "crear", f"compromiso 4 de {SEMILLA}: pendiente desde 2021-02-02"),
    ]
    assert f"Se crearía compromiso 12 de {SEMILLA}" in pagina
    (pendiente,) = almacen()  # held for the confirmation only, on disk or in the bucket
    assert pendiente.startswith(f"{CARPETA_PENDIENTES}/")
    confirmada = importa.post(reverse("convenios:importar"), {"confirmar": revision.context["ficha"]})
    assert confirmada.status_code == 302
    assert Compromiso.objects.filter(convenio__slug=SEMILLA, numero=12).exists()
    assert almacen() == []


def reloj(momento: datetime.datetime) -> SimpleNamespace:
    """The import view's clock only (the session's stays frozen)."""
    return SimpleNamespace(now=lambda: momento)


def test_a_review_nobody_confirms_is_deleted_once_it_expires(importa, almacen, monkeypatch):
    datos = ods({"Actualizaciones": [ENCABEZADO, [SEMILLA, 4, "pendiente", "2021-02-02", ""]]})
    assert subir(importa, datos, "a.ods").status_code == 200
    (viejo,) = almacen()
    # Just inside the limit it is kept for its confirmation; just past it, the next post deletes it.
    ahora = almacen_privado().get_modified_time(viejo)  # the disk's clock is not the frozen test clock
    monkeypatch.setattr(
        views_importacion, "timezone", reloj(ahora + datetime.timedelta(seconds=VIGENCIA_REVISION - 60))
    )
    assert importa.post(reverse("convenios:importar"), {}).status_code == 400
    assert almacen() == [viejo]
    monkeypatch.setattr(
        views_importacion, "timezone", reloj(ahora + datetime.timedelta(seconds=VIGENCIA_REVISION + 60))
    )
    assert importa.post(reverse("convenios:importar"), {}).status_code == 400
    assert almacen() == []


def test_a_confirmation_that_finds_errors_keeps_no_file(importa, monkeypatch):
    datos = ods({"Actualizaciones": [ENCABEZADO, [SEMILLA, 4, "pendiente", "2021-02-02", ""]]})
    revision = subir(importa, datos, "a.ods")
    monkeypatch.setattr(importacion, "MIMETYPE_ODS", b"otra cosa")  # the file no longer reads
    respuesta = importa.post(reverse("convenios:importar"), {"confirmar": revision.context["ficha"]})
    assert respuesta.status_code == 400 and pendientes() == []


def test_the_dry_run_command_lists_the_rows_and_never_says_created(usuarios, semilla, tmp_path):
    archivo = tmp_path / "a.ods"
    archivo.write_bytes(ods({"Actualizaciones": [ENCABEZADO, [SEMILLA, 4, "pendiente", "2021-02-02", ""]]}))
    salida = io.StringIO()
    call_command("importar", str(archivo), "--dry-run", "--usuario", "importador", stdout=salida)
    texto = salida.getvalue()
    assert "Creados" not in texto
    assert (
        f"Actualizaciones, fila 2: se crearía compromiso 4 de {SEMILLA}: pendiente desde 2021-02-02" in texto
    )
    assert (
        "Se crearían: 1. Se cambiarían: 0. Sin cambios: 0. Errores: 0. (Prueba: no se escribió nada.)"
        in texto
    )
    assert not Actualizacion.objects.filter(fecha_efectiva="2021-02-02").exists()
