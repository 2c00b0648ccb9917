"""Private files go through one storage (``ALMACEN_URL``): no module reaches MEDIA_ROOT by itself."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import FileField
from django.utils import timezone

from config.almacen import almacen_desde_url

RAIZ = Path(__file__).resolve().parent.parent
APPS = ["api", "avisos", "comisiones", "config", "convenios", "reportes", "seguimiento", "tablero"]
# Where the storage is defined and configured: the only modules that may name what lies beneath it.
PERMITIDOS = {"config/settings.py", "seguimiento/almacen.py"}


def campos_de_archivo() -> set[str]:
    return {
        campo.name
        for modelo in apps.get_models()
        for campo in modelo._meta.concrete_fields
        if isinstance(campo, FileField)
    }


def infracciones(origen: str, campos: set[str]) -> list[str]:
    """Each place of ``origen`` that reaches a private file without the storage: MEDIA_ROOT (every
    media path derives from it), a FileSystemStorage of its own, or a file field's ``.path``."""
    encontradas = []
    for nodo in ast.walk(ast.parse(origen)):
        if (isinstance(nodo, ast.Attribute) and nodo.attr == "MEDIA_ROOT") or (
            isinstance(nodo, ast.Name) and nodo.id == "MEDIA_ROOT"
        ):
            encontradas.append(f"línea {nodo.lineno}: MEDIA_ROOT")
        elif isinstance(nodo, ast.Call) and getattr(nodo.func, "id", getattr(nodo.func, "attr", "")) == (
            "FileSystemStorage"
        ):
            encontradas.append(f"línea {nodo.lineno}: FileSystemStorage()")
        elif (
            isinstance(nodo, ast.Attribute)
            and nodo.attr == "path"
            and isinstance(nodo.value, ast.Attribute)
            and nodo.value.attr in campos
        ):
            encontradas.append(f"línea {nodo.lineno}: .{nodo.value.attr}.path")
    return encontradas


@pytest.mark.parametrize(
    "codigo",
    [
        "open(Path(settings.MEDIA_ROOT) / 'importaciones' / nombre, 'rb')",
        "(Path(settings.MEDIA_ROOT) / nombre).write_bytes(datos)",
        "FileSystemStorage(location='x').save(nombre, archivo)",
        "open(actualizacion.evidencia.path, 'rb')",
        "Path(informe.archivo_firmado.path).read_bytes()",
    ],
)
def test_the_scan_catches_each_way_around_the_storage(codigo):
    assert infracciones(codigo, campos_de_archivo())


def test_no_module_opens_a_private_file_without_the_storage():
    campos = campos_de_archivo()
    encontradas = {}
    for app in APPS:
        for ruta in sorted((RAIZ / app).rglob("*.py")):
            relativa = str(ruta.relative_to(RAIZ))
            if "/migrations/" in relativa or relativa in PERMITIDOS:
                continue
            if halladas := infracciones(ruta.read_text(encoding="utf-8"), campos):
                encontradas[relativa] = halladas
    assert encontradas == {}, "use almacen_privado() (seguimiento/almacen.py), never the file system"


def test_without_almacen_url_files_stay_under_media_root():
    assert almacen_desde_url("") == {"BACKEND": "seguimiento.almacen.AlmacenLocal"}


def test_an_s3_url_names_the_bucket_prefix_endpoint_and_region():
    assert almacen_desde_url("s3://seguimiento/privado/?endpoint=http://minio:9000&region=mx-central-1") == {
        "BACKEND": "seguimiento.almacen.AlmacenS3",
        "OPTIONS": {
            "bucket_name": "seguimiento",
            "location": "privado",
            "endpoint_url": "http://minio:9000",
            "region_name": "mx-central-1",
        },
    }
    assert almacen_desde_url("s3://cubeta")["OPTIONS"] == {
        "bucket_name": "cubeta",
        "location": "",
        "endpoint_url": None,
        "region_name": None,
    }


@pytest.mark.parametrize("url", ["http://minio:9000/cubeta", "s3:///sin-cubeta", "s3://c/p?clave=secreta"])
def test_a_malformed_almacen_url_stops_the_start_in_spanish(url):
    with pytest.raises(ValueError, match="ALMACEN_URL"):
        almacen_desde_url(url)


def test_a_private_file_has_no_public_url_on_either_backend(almacen):
    from django.core.files.base import ContentFile

    from seguimiento.almacen import almacen_privado

    nombre = almacen_privado().save("evidencias/x.pdf", ContentFile(b"%PDF-1.4"))
    assert almacen() == [nombre]
    with pytest.raises(ValueError, match="privados"):
        almacen_privado().url(nombre)


def test_a_missing_evidence_file_is_a_404_on_either_backend(client, usuarios, semilla, almacen, estatus):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from convenios.models import Compromiso
    from seguimiento.services import registrar_actualizacion

    actualizacion = registrar_actualizacion(
        Compromiso.objects.order_by("pk")[0],
        estatus=estatus["cumplido"],
        fecha_efectiva=timezone.localdate(),
        usuario=usuarios["capturista"],
        evidencia=SimpleUploadedFile("oficio.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    actualizacion.evidencia.storage.delete(actualizacion.evidencia.name)
    client.force_login(usuarios["auditor"])
    respuesta = client.get(actualizacion.url_evidencia)
    assert respuesta.status_code == 404


class Prueba:
    """A test item as the guard sees it: its markers and its fixtures."""

    def __init__(self, marcas=(), fixtures=()):
        self.marcas, self.fixturenames = set(marcas), list(fixtures)

    def get_closest_marker(self, nombre):
        return getattr(pytest.mark, nombre).mark if nombre in self.marcas else None


@pytest.mark.archivos
def test_the_guard_fails_a_test_that_leaves_private_files_without_the_marker(tmp_path):
    """The check `medios_privados` runs after each test on the local disk (tests/conftest.py)."""
    from .conftest import falta_la_marca

    raiz = tmp_path / "otra-carpeta-privada"
    assert falta_la_marca(Prueba(fixtures=["db"]), raiz) is None  # nothing written, nothing to say
    (raiz / "evidencias" / "2026").mkdir(parents=True)
    (raiz / "evidencias" / "2026" / "oficio.pdf").write_bytes(b"%PDF-1.4")
    mensaje = falta_la_marca(Prueba(fixtures=["db"]), raiz)
    assert mensaje is not None
    assert "evidencias/2026/oficio.pdf" in mensaje and "@pytest.mark.archivos" in mensaje
    assert falta_la_marca(Prueba(marcas=["archivos"]), raiz) is None
    assert falta_la_marca(Prueba(marcas=["motor"]), raiz) == mensaje
    assert falta_la_marca(Prueba(fixtures=["almacen"]), raiz) is None
    assert falta_la_marca(Prueba(fixtures=["almacen_s3"]), raiz) is None
