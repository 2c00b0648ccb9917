"""Zip bombs through every door that opens a zip: evidence uploads (.odt, .docx), the import page, the
admin's import and the ``importar`` command. Each is refused in Spanish, writes nothing, and the
request's peak memory stays far below what the bomb would expand to (300 MB)."""

import io
import os
import random
import struct
import tempfile
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from comisiones.models import Atribucion
from convenios import importacion
from convenios.models import Compromiso
from seguimiento import zip_seguro

from .bombas import (
    DOCX,
    MAIN,
    ODT,
    XLSX,
    deflate_corrupto,
    escribir_zip,
    mentir_tamano,
    pico_de_memoria,
    subida,
    zip_de_entradas,
)
from .conftest import archivos_privados

PICO_MAXIMO = 50  # MB
DESCOMPRIMIDO = "descomprim"  # every refusal for size or ratio says what decompressing would cost


@pytest.fixture(scope="session")
def bombas(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("bombas")
    sst = f'<sst xmlns="{MAIN}"><si><t>'.encode()
    return {
        # The OpenDocument type, followed by 300 MB of zeros: reading the entry whole read them all.
        "odt": escribir_zip(carpeta / "acta.odt", ODT, "mimetype", antes=ODT["mimetype"].encode()),
        "docx": escribir_zip(carpeta / "oficio.docx", DOCX, "word/document.xml"),
        "entradas": zip_de_entradas(carpeta / "muchas.docx", 30_000),
        # One shared string of 300 MB of valid text: openpyxl kept it whole.
        "xlsx_cadenas": escribir_zip(
            carpeta / "cadenas.xlsx",
            XLSX,
            "xl/sharedStrings.xml",
            relleno=b"A",
            antes=sst,
            despues=b"</t></si></sst>",
        ),
        # The directory claims 10 bytes; zipfile.read() inflates all 300 MB before cutting them.
        "xlsx_estilos_mentira": mentir_tamano(
            escribir_zip(carpeta / "estilos.xlsx", XLSX, "xl/styles.xml"), "xl/styles.xml"
        ),
    }


# --- evidence -------------------------------------------------------------------------------------


ELEMENTOS = {"compromiso": Compromiso, "atribucion": Atribucion}
RECHAZO_EVIDENCIA = {"odt": DESCOMPRIMIDO, "docx": DESCOMPRIMIDO, "entradas": "más de 2000 archivos"}


@pytest.mark.parametrize("bomba", list(RECHAZO_EVIDENCIA))
@pytest.mark.parametrize("tipo", list(ELEMENTOS))
def test_an_evidence_bomb_is_refused_in_spanish_without_filling_memory(
    client, usuarios, semilla, estatus, settings, bombas, bomba, tipo
):
    elemento = ELEMENTOS[tipo].objects.order_by("pk").first()
    antes = list(elemento.actualizaciones.values())
    client.force_login(usuarios["capturista"])
    datos = {
        "estatus": "cumplido",
        "fecha": timezone.localdate().isoformat(),
        "nota": "Se adjunta el acta.",
        "version": elemento.version,
        "evidencia": subida(bombas[bomba]),
    }
    respuesta, pico = pico_de_memoria(
        lambda: client.post(reverse(f"{elemento._meta.app_label}:actualizar", args=[elemento.pk]), datos)
    )
    assert respuesta.status_code == 400
    assert RECHAZO_EVIDENCIA[bomba] in respuesta.content.decode()
    assert pico < PICO_MAXIMO, f"pico de {pico:.0f} MB"
    assert list(elemento.actualizaciones.values()) == antes
    assert archivos_privados() == []


def documento(miembros: dict[str, str], almacenado: str | None = None) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as zip_:
        for nombre, contenido in miembros.items():
            tipo = zipfile.ZIP_STORED if nombre == almacenado else zipfile.ZIP_DEFLATED
            zip_.writestr(nombre, contenido, compress_type=tipo)
    return salida.getvalue()


@pytest.mark.parametrize(
    ("nombre", "contenido"),
    [
        ("acta.odt", lambda: documento(ODT, almacenado="mimetype")),
        ("oficio.docx", lambda: documento({**DOCX, "word/document.xml": "<w:p>texto</w:p>" * 20_000})),
        ("avance.xlsx", lambda: libro_real()),
    ],
)
@pytest.mark.archivos
def test_real_office_documents_are_still_accepted_as_evidence(
    client, usuarios, semilla, settings, nombre, contenido
):
    compromiso = Compromiso.objects.order_by("pk").first()
    client.force_login(usuarios["capturista"])
    archivo = io.BytesIO(contenido())
    archivo.name = nombre
    respuesta = client.post(
        reverse("convenios:actualizar", args=[compromiso.pk]),
        {
            "estatus": "cumplido",
            "fecha": timezone.localdate().isoformat(),
            "version": compromiso.version,
            "evidencia": archivo,
        },
    )
    assert respuesta.status_code == 302
    assert [r.rsplit(".", 1)[-1] for r in archivos_privados()] == [nombre.rsplit(".", 1)[-1]]


# --- import -----------------------------------------------------------------------------------------


def libro_real(filas: int = 3) -> bytes:
    libro = Workbook()
    libro.active.title = "Actualizaciones"
    libro.active.append(["convenio", "numero", "estatus", "fecha_efectiva", "nota"])
    for numero in range(1, filas + 1):
        libro.active.append(
            ["convenio-de-colaboracion-www-datos-gob-mx", numero, "cumplido", "2021-01-01", f"Nota {numero}"]
        )
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


RECHAZO_IMPORTACION = {
    "xlsx_cadenas": DESCOMPRIMIDO,
    "xlsx_estilos_mentira": "no es una hoja de cálculo XLSX válida",
}


@pytest.mark.parametrize("bomba", list(RECHAZO_IMPORTACION))
def test_the_import_page_refuses_a_spreadsheet_bomb_without_filling_memory(
    client, importador, semilla, settings, bombas, bomba
):
    client.force_login(importador)
    antes = importacion.exportar()
    respuesta, pico = pico_de_memoria(
        lambda: client.post(reverse("convenios:importar"), {"archivo": subida(bombas[bomba])})
    )
    assert respuesta.status_code == 400
    assert RECHAZO_IMPORTACION[bomba] in respuesta.content.decode()
    assert pico < PICO_MAXIMO, f"pico de {pico:.0f} MB"
    assert importacion.exportar() == antes
    assert archivos_privados() == []


def test_the_admin_import_refuses_a_spreadsheet_bomb_before_keeping_the_file(
    client, importador, semilla, bombas, tmp_path, monkeypatch
):
    temporales = tmp_path / "tmp"
    temporales.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporales))
    client.force_login(importador)
    antes = importacion.exportar()
    respuesta, pico = pico_de_memoria(
        lambda: client.post(
            reverse("admin:convenios_actualizacion_import"),
            {"import_file": subida(bombas["xlsx_cadenas"]), "format": "0", "resource": "0"},
        )
    )
    assert respuesta.status_code == 200  # the admin shows the form again, with the error
    assert respuesta.context["form"].errors
    assert DESCOMPRIMIDO in respuesta.content.decode()
    assert pico < PICO_MAXIMO, f"pico de {pico:.0f} MB"
    assert importacion.exportar() == antes
    assert list(temporales.iterdir()) == []


def test_the_import_command_refuses_a_spreadsheet_bomb_without_filling_memory(usuarios, semilla, bombas):
    antes = importacion.exportar()

    def importar():
        with pytest.raises(CommandError) as error:
            call_command("importar", str(bombas["xlsx_cadenas"]), "--usuario", "admin")
        return str(error.value)

    mensaje, pico = pico_de_memoria(importar)
    assert DESCOMPRIMIDO in mensaje
    assert pico < PICO_MAXIMO, f"pico de {pico:.0f} MB"
    assert importacion.exportar() == antes


@pytest.mark.archivos
def test_a_real_spreadsheet_still_imports_through_the_page_and_the_admin(
    client, importador, semilla, tmp_path, monkeypatch
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client.force_login(importador)
    datos = libro_real()
    archivo = io.BytesIO(datos)
    archivo.name = "actualizaciones.xlsx"
    revision = client.post(reverse("convenios:importar"), {"archivo": archivo})
    assert revision.status_code == 200 and "ficha" in revision.context
    archivo = io.BytesIO(datos)
    archivo.name = "actualizaciones.xlsx"
    vista_previa = client.post(
        reverse("admin:convenios_actualizacion_import"),
        {"import_file": archivo, "format": "0", "resource": "0"},
    )
    resultado = vista_previa.context["result"]
    assert not resultado.has_errors() and not resultado.has_validation_errors()
    assert resultado.totals["new"] == 3


# --- the limits themselves (seguimiento.zip_seguro) -------------------------------------------------


def abrir(ruta):
    with open(ruta, "rb") as archivo, zip_seguro.abrir(archivo) as zip_:
        return zip_.namelist()


def test_a_member_that_lies_about_its_size_is_refused_before_it_is_inflated(bombas):
    def abrir_la_bomba():
        with pytest.raises(zip_seguro.ZipInvalido, match="dañado"):
            abrir(bombas["xlsx_estilos_mentira"])

    _, pico = pico_de_memoria(abrir_la_bomba)
    assert pico < 5, f"pico de {pico:.0f} MB"


def test_a_directory_that_lies_about_its_entry_count_is_still_refused(bombas, tmp_path):
    datos = bytearray(bombas["entradas"].read_bytes())
    fin = datos.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", datos, fin + 8, 5, 5)  # «5 entries», over a directory of 30,000
    ruta = tmp_path / "mentira.docx"
    ruta.write_bytes(bytes(datos))
    with pytest.raises(zip_seguro.ZipExcesivo, match="más de 2000 archivos"):
        abrir(ruta)


def test_members_that_inflate_over_100_times_are_refused_even_when_small(tmp_path):
    ruta = escribir_zip(tmp_path / "ceros.docx", DOCX, "word/document.xml", mb=5)
    with pytest.raises(zip_seguro.ZipExcesivo, match=r"se descomprime a \d+ veces su tamaño"):
        abrir(ruta)


def con_proporcion(ruta, objetivo_min: float, objetivo_max: float) -> float:
    """A .docx whose 2 MB document inflates between the two ratios: random bytes (which do not
    compress) in a run of spaces, their share found by bisection. Returns the ratio reached."""
    tamano = 2 * zip_seguro.MB
    azar = random.Random(24).randbytes(tamano)
    bajo, alto = 0, tamano // 20
    for _ in range(40):
        medio = (bajo + alto) // 2
        with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as zip_:
            zip_.writestr("[Content_Types].xml", DOCX["[Content_Types].xml"])
            zip_.writestr("word/document.xml", azar[:medio] + b" " * (tamano - medio))
        with zipfile.ZipFile(ruta) as zip_:
            info = zip_.getinfo("word/document.xml")
        proporcion = info.file_size / info.compress_size
        if objetivo_min < proporcion <= objetivo_max:
            return proporcion
        bajo, alto = (medio, alto) if proporcion > objetivo_max else (bajo, medio)
    raise AssertionError(f"no se logró una proporción entre {objetivo_min} y {objetivo_max}")


def test_the_ratio_limit_is_100_to_1_on_both_sides(tmp_path):
    """Just inside (≤100:1) opens; just outside (>100:1) is refused: a limit moved to 500:1 fails here."""
    adentro = tmp_path / "adentro.docx"
    assert 99 < con_proporcion(adentro, 99, 100) <= 100
    assert "word/document.xml" in abrir(adentro)
    afuera = tmp_path / "afuera.docx"
    assert 100 < con_proporcion(afuera, 100, 101) < 101
    with pytest.raises(
        zip_seguro.ZipExcesivo, match=r"se descomprime a 100 veces su tamaño \(el máximo es 100\)"
    ):
        abrir(afuera)


def test_the_whole_archive_has_a_limit_too(tmp_path, monkeypatch):
    monkeypatch.setattr(zip_seguro, "TOTAL_MAXIMO", zip_seguro.MB)
    ruta = tmp_path / "dos.docx"
    with zipfile.ZipFile(ruta, "w") as zip_:
        for nombre in ("word/a.xml", "word/b.xml"):
            zip_.writestr(nombre, os.urandom(600 * 1024))
    with pytest.raises(zip_seguro.ZipExcesivo, match="el archivo ocuparía más de 1 MB"):
        abrir(ruta)


def test_other_compression_methods_and_encryption_are_refused(tmp_path):
    ruta = tmp_path / "bzip2.docx"
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_BZIP2) as zip_:
        zip_.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(zip_seguro.ZipInvalido, match="método de compresión"):
        abrir(ruta)
    ruta = tmp_path / "cifrado.docx"
    ruta.write_bytes(documento(DOCX))
    datos = bytearray(ruta.read_bytes())
    for cabecera in (datos.find(b"PK\x01\x02"), datos.find(b"PK\x03\x04")):
        desplazamiento = 8 if datos[cabecera + 2] == 1 else 6
        datos[cabecera + desplazamiento] |= 1
    ruta.write_bytes(bytes(datos))
    with pytest.raises(zip_seguro.ZipInvalido, match="cifrado"):
        abrir(ruta)


@given(
    st.lists(st.sampled_from(["valor", "formula", "vacia", "prefijo"]), min_size=1, max_size=30),
    st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=50),
)
def test_formulas_are_found_wherever_the_chunks_split_the_sheet(celdas, cortes):
    plantillas = {
        "valor": '<c r="A{n}" t="n"><v>{n}</v></c>',
        "formula": '<c r="B{n}">\n  <f>SUM(A1:A{n})</f><v>1</v></c>',
        "vacia": '<c r="C{n}" s="1"/>',
        "prefijo": '<x:c r="D{n}"><x:f>TODAY()</x:f></x:c>',
    }
    hoja = "<sheetData><row>" + "".join(plantillas[c].format(n=n) for n, c in enumerate(celdas, 1)) + "</row>"
    datos = hoja.encode()
    trozos, inicio = [], 0
    for corte in cortes * (len(datos) // sum(cortes) + 1):
        trozos.append(datos[inicio : inicio + corte])
        inicio += corte
    assert b"".join(trozos) == datos
    assert importacion.formulas_de_hoja([t for t in trozos if t]) == importacion.formulas_de_hoja([datos])
    columnas = {"formula": "B", "prefijo": "D"}
    esperadas = [f"{columnas[c]}{n}" for n, c in enumerate(celdas, 1) if c in columnas]
    assert importacion.formulas_de_hoja([datos]) == esperadas


def test_a_workbook_with_broken_xml_inside_is_refused_not_a_500(client, importador, semilla, tmp_path):
    ruta = escribir_zip(tmp_path / "roto.xlsx", XLSX, "xl/styles.xml", mb=0, antes=b"\0<no es xml")
    client.force_login(importador)
    respuesta = client.post(reverse("convenios:importar"), {"archivo": subida(ruta)})
    assert respuesta.status_code == 400
    assert "no es una hoja de cálculo XLSX válida" in respuesta.content.decode()


# --- corrupt deflate data: zlib.error, not BadZipFile, on every door that opens a zip -------------


@pytest.mark.parametrize("puerta", ["pagina", "api"])
@pytest.mark.parametrize("tipo", list(ELEMENTOS))
def test_evidence_with_corrupt_deflate_data_is_a_spanish_400_not_a_500(
    client, usuarios, semilla, estatus, settings, tmp_path, tipo, puerta
):
    elemento = ELEMENTOS[tipo].objects.order_by("pk").first()
    antes = list(elemento.actualizaciones.values())
    client.force_login(usuarios["capturista"])
    ruta = deflate_corrupto(tmp_path / "oficio.docx", DOCX, "word/document.xml")
    datos = {
        "estatus": "cumplido",
        "nota": "Se adjunta.",
        "version": elemento.version,
        "evidencia": subida(ruta),
    }
    if puerta == "pagina":
        url = reverse(f"{elemento._meta.app_label}:actualizar", args=[elemento.pk])
        datos["fecha"] = timezone.localdate().isoformat()
    else:
        url = reverse(f"api:{elemento._meta.model_name}-actualizaciones", args=[elemento.pk])
        datos["fecha_efectiva"] = timezone.localdate().isoformat()
    respuesta = client.post(url, datos)
    assert respuesta.status_code == 400
    assert "no es de un tipo aceptado" in respuesta.content.decode()
    assert list(elemento.actualizaciones.values()) == antes
    assert archivos_privados() == []


@pytest.mark.parametrize("miembro", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_a_spreadsheet_with_corrupt_deflate_data_is_refused_by_the_page_the_admin_and_the_command(
    client, importador, semilla, tmp_path, monkeypatch, miembro
):
    ruta = deflate_corrupto(tmp_path / "roto.xlsx", XLSX, miembro)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client.force_login(importador)
    antes = importacion.exportar()
    pagina = client.post(reverse("convenios:importar"), {"archivo": subida(ruta)})
    assert pagina.status_code == 400
    assert "no es una hoja de cálculo XLSX válida" in pagina.content.decode()
    admin = client.post(
        reverse("admin:convenios_actualizacion_import"),
        {"import_file": subida(ruta), "format": "0", "resource": "0"},
    )
    assert admin.status_code == 200 and admin.context["form"].errors
    assert "no es una hoja de cálculo XLSX válida" in admin.content.decode()
    with pytest.raises(CommandError, match="no es una hoja de cálculo XLSX válida"):
        call_command("importar", str(ruta), "--usuario", "admin")
    assert importacion.exportar() == antes


def test_zip_seguro_calls_corrupt_deflate_data_damaged(tmp_path):
    ruta = deflate_corrupto(tmp_path / "oficio.docx", DOCX, "word/document.xml")
    with pytest.raises(zip_seguro.ZipInvalido, match=r"dañado: «word/document\.xml» no se lee"):
        abrir(ruta)
