"""Zip archives (Office and OpenDocument files) opened within limits, so that no upload can make the
server inflate more than a real document needs: the one place that decides how far any zip may expand.

``abrir`` checks the archive before anything is inflated: the end record (entries, directory size),
then each member's declared size and compression ratio, then the members themselves, inflated in
chunks to prove their real size is the declared one (``zipfile.read`` trusts the directory and
would inflate a lying member whole before cutting it). After that, a member's declared size bounds
any read of it, including the whole-member reads of openpyxl.
"""

import copy
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from django.utils.translation import gettext as _

MB = 1024 * 1024
ENTRADAS_MAXIMAS = 2000  # a long presentation has a few hundred
DIRECTORIO_MAXIMO = 1 * MB  # bytes of central directory that many entries need at most
MIEMBRO_MAXIMO = 100 * MB  # any member read whole (shared strings, styles, a document's XML)
HOJA_MAXIMA = 400 * MB  # worksheets, which are only ever streamed; 200,000 rows take ~120 MB
HOJAS = "xl/worksheets/"
TOTAL_MAXIMO = 400 * MB
PROPORCION_MAXIMA = 100  # real documents inflate 5-20 times; zeros inflate ~1000 times
PROPORCION_DESDE = 1 * MB  # tiny members may inflate more (a run of spaces) and cost nothing
TROZO = 256 * 1024

FIN_DE_DIRECTORIO = b"PK\x05\x06"
LOCALIZADOR_ZIP64 = b"PK\x06\x07"
TAMANO_FIN = 22
VENTANA = TAMANO_FIN + (1 << 16) + 20  # where zipfile looks for the end record, and the zip64 locator
COMPRESIONES = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # the only ones Office and ODF write
ERRORES_DE_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,  # deflate data that is not deflate: not an OSError, so named on its own
    OSError,
    EOFError,
    ValueError,
    struct.error,
    NotImplementedError,
    RuntimeError,
)


class ZipInvalido(ValueError):
    """Not a zip this application reads (damaged, encrypted, an unusual format); says why in Spanish."""


class ZipExcesivo(ZipInvalido):
    """A zip that would expand beyond the limits: a decompression bomb, or a document nobody needs."""


@contextmanager
def abrir(archivo: BinaryIO) -> Iterator[zipfile.ZipFile]:
    """The archive, once it is proven to stay within the limits; raises ``ZipInvalido`` otherwise."""
    comprobar_directorio(archivo)
    try:
        zip_ = zipfile.ZipFile(archivo)
    except ERRORES_DE_ZIP as e:
        raise ZipInvalido(_("El archivo comprimido está dañado o no es un ZIP.")) from e
    with zip_:
        comprobar_miembros(zip_)
        yield zip_


def leer(zip_: zipfile.ZipFile, nombre: str, maximo: int) -> bytes:
    """A member that should be small, read at most ``maximo`` bytes at a time and never more."""
    with zip_.open(nombre) as miembro:
        datos = miembro.read(maximo + 1)
    if len(datos) > maximo:
        raise ZipExcesivo(
            _("«%(nombre)s» es más grande de lo que admite este tipo de documento.") % {"nombre": nombre}
        )
    return datos


def trozos(zip_: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member inflated chunk by chunk, for reading a large one without holding it whole."""
    with zip_.open(info) as miembro:
        while trozo := miembro.read(TROZO):
            yield trozo


def comprobar_directorio(archivo: BinaryIO) -> None:
    """Entries and directory size from the end record, found as ``zipfile`` finds it, before
    ``zipfile`` builds an object per entry (a 16 MB file can hold 200,000 of them)."""
    try:
        archivo.seek(0, 2)
        tamano = archivo.tell()
        archivo.seek(max(0, tamano - VENTANA))
        cola = archivo.read()
    finally:
        archivo.seek(0)
    fin = len(cola) - TAMANO_FIN
    if not (fin >= 0 and cola[fin : fin + 4] == FIN_DE_DIRECTORIO and cola[-2:] == b"\0\0"):
        fin = cola.rfind(FIN_DE_DIRECTORIO)
    if fin < 0 or len(cola) - fin < TAMANO_FIN:
        raise ZipInvalido(_("El archivo comprimido está dañado o no es un ZIP."))
    _firma, _disco, _disco_dir, _aqui, entradas, bytes_directorio, _desde, _comentario = struct.unpack(
        "<4s4H2LH", cola[fin : fin + TAMANO_FIN]
    )
    if fin >= 20 and cola[fin - 20 : fin - 16] == LOCALIZADOR_ZIP64:
        raise ZipInvalido(_("El archivo comprimido usa ZIP64, que ningún documento de este tamaño necesita."))
    if entradas > ENTRADAS_MAXIMAS or bytes_directorio > DIRECTORIO_MAXIMO:
        raise ZipExcesivo(
            _("El archivo comprimido contiene más de %(n)d archivos; no se acepta.") % {"n": ENTRADAS_MAXIMAS}
        )


def comprobar_miembros(zip_: zipfile.ZipFile) -> None:
    infos = zip_.infolist()
    if len(infos) > ENTRADAS_MAXIMAS:
        raise ZipExcesivo(
            _("El archivo comprimido contiene más de %(n)d archivos; no se acepta.") % {"n": ENTRADAS_MAXIMAS}
        )
    total = 0
    for info in infos:
        comprobar_declarado(info)
        total += info.file_size
        if total > TOTAL_MAXIMO:
            raise ZipExcesivo(
                _("Al descomprimirse, el archivo ocuparía más de %(max)d MB; no se acepta.")
                % {"max": TOTAL_MAXIMO // MB}
            )
    for info in infos:
        comprobar_real(zip_, info)


def comprobar_declarado(info: zipfile.ZipInfo) -> None:
    if info.flag_bits & 0x1:
        raise ZipInvalido(_("El archivo comprimido está cifrado; súbalo sin contraseña."))
    if info.compress_type not in COMPRESIONES:
        raise ZipInvalido(_("El archivo comprimido usa un método de compresión no admitido."))
    maximo = HOJA_MAXIMA if info.filename.startswith(HOJAS) else MIEMBRO_MAXIMO
    if info.file_size > maximo:
        raise ZipExcesivo(
            _("Al descomprimirse, «%(nombre)s» ocuparía %(mb)d MB (el máximo es %(max)d MB); no se acepta.")
            % {"nombre": info.filename[:80], "mb": info.file_size // MB, "max": maximo // MB}
        )
    proporcion = info.file_size / max(info.compress_size, 1)
    if info.file_size > PROPORCION_DESDE and proporcion > PROPORCION_MAXIMA:
        raise ZipExcesivo(
            _(
                "«%(nombre)s» se descomprime a %(p)d veces su tamaño (el máximo es %(max)d): "
                "parece una bomba de descompresión; no se acepta."
            )
            % {"nombre": info.filename[:80], "p": proporcion, "max": PROPORCION_MAXIMA}
        )


def comprobar_real(zip_: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Inflate the member in chunks, stopping one byte past its declared size."""
    nombre = info.filename[:80]
    sin_confiar = copy.copy(info)
    sin_confiar.file_size = info.file_size + 1
    real = 0
    try:
        for trozo in trozos(zip_, sin_confiar):
            real += len(trozo)
    except ERRORES_DE_ZIP as e:
        raise ZipInvalido(_("El archivo comprimido está dañado: «%(n)s» no se lee.") % {"n": nombre}) from e
    if real != info.file_size:
        raise ZipInvalido(
            _("El archivo comprimido está dañado: «%(n)s» no mide lo que declara.") % {"n": nombre}
        )
