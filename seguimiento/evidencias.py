"""Evidence files: stored privately, accepted by content, not by the name the user gave the file."""

import datetime
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import zip_seguro
from .almacen import almacen_privado

TAMANO_MAXIMO = 10 * 1024 * 1024

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODF = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
MIMETYPE_MAXIMO = 100  # the longest OpenDocument type has 47 characters
OOXML = {"word/": ".docx", "xl/": ".xlsx", "ppt/": ".pptx"}
TIPOS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
ACEPTADOS = "PDF, PNG, JPEG, WebP, Word, Excel, PowerPoint u OpenDocument"


def extensiones_por_contenido(archivo) -> set[str]:
    """The extensions the file's bytes are compatible with (empty when we do not accept it); a zip
    beyond ``zip_seguro``'s limits raises ``ValidationError`` with the reason."""
    archivo.seek(0)
    cabecera = archivo.read(16)
    archivo.seek(0)
    if cabecera.startswith(b"%PDF-"):
        return {".pdf"}
    if cabecera.startswith(b"\x89PNG\r\n\x1a\n"):
        return {".png"}
    if cabecera.startswith(b"\xff\xd8\xff"):
        return {".jpg", ".jpeg"}
    if cabecera[:4] == b"RIFF" and cabecera[8:12] == b"WEBP":
        return {".webp"}
    if cabecera.startswith(OLE2):
        return {".doc", ".xls", ".ppt"}
    if cabecera.startswith(b"PK\x03\x04"):
        return extensiones_de_zip(archivo)
    return set()


def extensiones_de_zip(archivo) -> set[str]:
    """OpenDocument by its ``mimetype`` member, Office by its parts; a zip beyond the limits is refused."""
    try:
        with zip_seguro.abrir(archivo) as zip_:
            nombres = zip_.namelist()
            if "mimetype" in nombres:
                tipo = zip_seguro.leer(zip_, "mimetype", MIMETYPE_MAXIMO).decode("ascii", "replace").strip()
                return {ODF[tipo]} if tipo in ODF else set()
            if "[Content_Types].xml" in nombres:
                return {ext for prefijo, ext in OOXML.items() if any(n.startswith(prefijo) for n in nombres)}
    except zip_seguro.ZipExcesivo as e:
        raise ValidationError(str(e), code="comprimido") from e
    except zip_seguro.ZipInvalido:
        return set()
    finally:
        archivo.seek(0)
    return set()


def validar_evidencia(archivo) -> None:
    """Refuse files over 10 MB and files whose content does not match an accepted type and its name."""
    if archivo.size > TAMANO_MAXIMO:
        raise ValidationError(
            _("El archivo pesa %(mb).1f MB; el máximo es 10 MB.") % {"mb": archivo.size / 1024 / 1024},
            code="tamano",
        )
    extension = PurePath(archivo.name or "").suffix.lower()
    compatibles = extensiones_por_contenido(archivo)
    if not compatibles:
        raise ValidationError(
            _("El contenido del archivo no es de un tipo aceptado (%(tipos)s).") % {"tipos": ACEPTADOS},
            code="tipo",
        )
    if extension not in compatibles:
        raise ValidationError(
            _("El archivo se llama «%(nombre)s» pero su contenido no corresponde a esa extensión.")
            % {"nombre": PurePath(archivo.name or "").name},
            code="disfrazado",
        )


def tipo_de_contenido(nombre: str) -> str:
    return TIPOS.get(PurePath(nombre).suffix.lower(), "application/octet-stream")


def descarga_de_evidencia(modelo_actualizacion, pk: int, usuario) -> FileResponse:
    """The evidence file of one update, as a private download; 404 when there is none or its item is
    not one ``usuario`` may read (``visibles_para``: an Enlace's other institutions)."""
    return servir_evidencia(modelo_actualizacion.objects.de_visibles_para(usuario), pk)


def servir_evidencia(consulta, pk: int) -> FileResponse:
    """The evidence file of the row ``pk`` of ``consulta`` (already limited to what the user may
    read), as a private download; 404 when it is not there or has no file."""
    actualizacion = get_object_or_404(consulta, pk=pk)
    if not actualizacion.evidencia:
        raise Http404(_("Esta actualización no tiene archivo de evidencia."))
    try:
        archivo = actualizacion.evidencia.open("rb")
    except FileNotFoundError:
        raise Http404(_("El archivo de evidencia no se encuentra.")) from None
    nombre = PurePath(actualizacion.evidencia.name).name
    respuesta = FileResponse(
        archivo, as_attachment=True, filename=nombre, content_type=tipo_de_contenido(nombre)
    )
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta


# Evidence held across a form that came back (400, 409) -------------------------------------------
#
# A browser never re-sends a file: the form that comes back with an error would lose it. The file is
# held here instead, under a random one-time token whose metadata file names the user, the item and
# the time; the form carries only the token. Nothing is held for more than ``RETENCION``.

PREFIJO_RETENIDAS = "retenidas"
RETENCION = datetime.timedelta(days=1)
FORMATO_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


class EvidenciaRetenidaInvalida(Exception):
    """The token names no file held for this user and item today."""

    mensaje = _(
        "El archivo adjuntado antes ya no está disponible (caducó o no corresponde a este formulario); "
        "vuelva a adjuntarlo."
    )


@dataclass(frozen=True)
class EvidenciaRetenida:
    token: str
    nombre: str


def _rutas(token: str) -> tuple[str, str]:
    return f"{PREFIJO_RETENIDAS}/{token}.bin", f"{PREFIJO_RETENIDAS}/{token}.json"


def _clave(elemento) -> str:
    return f"{elemento._meta.label_lower}:{elemento.pk}"


def retener_evidencia(archivo, usuario, elemento) -> EvidenciaRetenida:
    """Hold an accepted evidence file for the next submission of this user's form for this item."""
    limpiar_retenidas()
    almacen = almacen_privado()
    token = secrets.token_urlsafe(32)
    contenido, metadatos = _rutas(token)
    archivo.seek(0)
    almacen.save(contenido, archivo)
    nombre = PurePath(archivo.name or "evidencia").name
    datos = {
        "usuario": usuario.pk,
        "elemento": _clave(elemento),
        "nombre": nombre,
        "creado": timezone.now().isoformat(),
    }
    almacen.save(metadatos, ContentFile(json.dumps(datos).encode()))
    return EvidenciaRetenida(token, nombre)


def _metadatos(token: str, usuario, elemento) -> dict:
    if not FORMATO_TOKEN.fullmatch(token or ""):
        raise EvidenciaRetenidaInvalida()
    almacen = almacen_privado()
    contenido, metadatos = _rutas(token)
    try:
        with almacen.open(metadatos, "rb") as f:
            datos = json.loads(f.read())
        creado = datetime.datetime.fromisoformat(datos["creado"])
    except (OSError, ValueError, KeyError, TypeError):
        raise EvidenciaRetenidaInvalida() from None
    if timezone.now() - creado > RETENCION:
        descartar_retenida(token)
        raise EvidenciaRetenidaInvalida()
    if datos.get("usuario") != usuario.pk or datos.get("elemento") != _clave(elemento):
        raise EvidenciaRetenidaInvalida()
    if not almacen.exists(contenido):
        raise EvidenciaRetenidaInvalida()
    return datos


def evidencia_retenida(token: str, usuario, elemento) -> EvidenciaRetenida:
    """What ``token`` holds for this user and item; ``EvidenciaRetenidaInvalida`` otherwise."""
    return EvidenciaRetenida(token, _metadatos(token, usuario, elemento)["nombre"])


def abrir_retenida(token: str, usuario, elemento) -> ContentFile:
    """The held file, under the name the user gave it, ready to be validated and saved again."""
    datos = _metadatos(token, usuario, elemento)
    with almacen_privado().open(_rutas(token)[0], "rb") as f:
        return ContentFile(f.read(), name=datos["nombre"])


def soltar_retenida(token: str, usuario, elemento) -> None:
    """Delete the file ``token`` holds if it is this user's for this item (never someone else's)."""
    try:
        _metadatos(token, usuario, elemento)
    except EvidenciaRetenidaInvalida:
        return
    descartar_retenida(token)


def descartar_retenida(token: str) -> None:
    """Delete a held file and its metadata (used, replaced, removed or expired)."""
    if not FORMATO_TOKEN.fullmatch(token or ""):
        return
    almacen = almacen_privado()
    for ruta in _rutas(token):
        almacen.delete(ruta)


def limpiar_retenidas() -> int:
    """Delete every held file older than ``RETENCION`` (run on each new hold); returns how many."""
    almacen = almacen_privado()
    try:
        _, nombres = almacen.listdir(PREFIJO_RETENIDAS)
    except FileNotFoundError:
        return 0
    limite = timezone.now() - RETENCION
    borrados: set[str] = set()
    for nombre in nombres:
        token, _punto, extension = nombre.rpartition(".")
        if token in borrados or not FORMATO_TOKEN.fullmatch(token):
            continue
        ruta = f"{PREFIJO_RETENIDAS}/{nombre}"
        try:
            if extension == "json":
                with almacen.open(ruta, "rb") as f:
                    viejo = datetime.datetime.fromisoformat(json.loads(f.read())["creado"]) < limite
            else:  # a content file whose metadata was never written
                viejo = not almacen.exists(_rutas(token)[1]) and almacen.get_modified_time(ruta) < limite
        except (OSError, ValueError, KeyError, TypeError):
            viejo = True
        if viejo:
            descartar_retenida(token)
            borrados.add(token)
    return len(borrados)
