"""Zip bombs for tests: files of a few hundred KB that expand to hundreds of MB, written to disk in
1 MB chunks so that building them costs the test no memory, and a way to measure a request's peak."""

import io
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

MB = 1024 * 1024
TAMANO_DE_BOMBA = 300  # MB of filler in the bomb's member

TIPOS_XLSX = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XLSX = {
    "[Content_Types].xml": TIPOS_XLSX,
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{R}"><sheets>'
        '<sheet name="Actualizaciones" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{R}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{R}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{R}/styles" Target="styles.xml"/></Relationships>'
    ),
    "xl/worksheets/sheet1.xml": (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>convenio</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>numero</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>estatus</t></is></c>'
        '<c r="D1" t="inlineStr"><is><t>fecha_efectiva</t></is></c>'
        '<c r="E1" t="inlineStr"><is><t>nota</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>convenio-de-colaboracion-www-datos-gob-mx</t></is></c>'
        '<c r="B2"><v>1</v></c><c r="C2" t="inlineStr"><is><t>cumplido</t></is></c>'
        '<c r="D2" t="inlineStr"><is><t>2021-01-01</t></is></c><c r="E2" t="s"><v>0</v></c></row>'
        "</sheetData></worksheet>"
    ),
    "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}"><si><t>Nota</t></si></sst>',
    "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"/>',
}
DOCX = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/></Types>'
    ),
    "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
}
ODT = {
    "mimetype": "application/vnd.oasis.opendocument.text",
    "content.xml": (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'
    ),
}


def escribir_zip(
    ruta: Path,
    miembros: dict[str, str],
    bomba: str,
    mb: int = TAMANO_DE_BOMBA,
    relleno: bytes = b"\0",
    antes: bytes = b"",
    despues: bytes = b"",
) -> Path:
    """A real document's members; ``bomba`` holds ``antes``, ``mb`` MB of ``relleno``, ``despues``."""
    trozo = relleno * MB
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as zip_:
        for nombre, contenido in miembros.items():
            if nombre != bomba:
                zip_.writestr(nombre, contenido)
                continue
            with zip_.open(nombre, "w") as miembro:
                miembro.write(antes)
                for _ in range(mb):
                    miembro.write(trozo)
                miembro.write(despues)
    return ruta


def mentir_tamano(ruta: Path, nombre: str, tamano: int = 10) -> Path:
    """Make the central directory claim that ``nombre`` expands to ``tamano`` bytes (with the CRC of
    that many bytes): ``zipfile.read`` then inflates all of it before cutting it to the claimed size."""
    datos = bytearray(ruta.read_bytes())
    cabecera = datos.rfind(b"PK\x01\x02", 0, datos.rfind(nombre.encode()))
    with zipfile.ZipFile(ruta) as zip_, zip_.open(nombre) as miembro:
        crc = zlib.crc32(miembro.read(tamano))
    struct.pack_into("<L", datos, cabecera + 16, crc)
    struct.pack_into("<L", datos, cabecera + 24, tamano)
    ruta.write_bytes(bytes(datos))
    return ruta


def zip_de_entradas(ruta: Path, entradas: int) -> Path:
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_STORED) as zip_:
        zip_.writestr("[Content_Types].xml", DOCX["[Content_Types].xml"])
        for numero in range(entradas):
            zip_.writestr(f"word/{numero}", b"")
    return ruta


def subida(ruta: Path, nombre: str | None = None) -> io.BytesIO:
    archivo = io.BytesIO(ruta.read_bytes())
    archivo.name = nombre or ruta.name
    return archivo


def pico_de_memoria(funcion: Callable):
    """(what ``funcion()`` returned, peak of memory allocated meanwhile, in MB)."""
    tracemalloc.start()
    try:
        resultado = funcion()
        pico = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return resultado, pico / MB


def deflate_corrupto(ruta: Path, miembros: dict[str, str], nombre: str) -> Path:
    """A real document whose member ``nombre`` has its first deflate bytes overwritten: the directory
    and headers are sound, inflating the member raises ``zlib.error`` (not ``BadZipFile``)."""
    contenido = {**miembros, nombre: miembros[nombre] * 200}
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as zip_:
        for miembro, texto in contenido.items():
            zip_.writestr(miembro, texto)
    datos = bytearray(ruta.read_bytes())
    with zipfile.ZipFile(ruta) as zip_:
        desde = zip_.getinfo(nombre).header_offset
    largo_nombre, largo_extra = struct.unpack_from("<HH", datos, desde + 26)
    inicio = desde + 30 + largo_nombre + largo_extra
    datos[inicio : inicio + 2] = b"\xff\xff"  # block type 3: «invalid block type»
    ruta.write_bytes(bytes(datos))
    return ruta
