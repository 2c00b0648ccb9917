"""Backups: `respaldar` writes the whole state in one archive, `restaurar` gives it back identical, or
refuses (non-empty database, altered or foreign archive) without changing anything.

Everything runs in processes of its own against databases of its own (on the engine this test run
uses), as an operator would: the source is migrated and populated, the destination starts empty.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from seguimiento.busqueda import sin_acentos

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor

RAIZ = Path(__file__).resolve().parent.parent
EN_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]

POBLAR = """
import datetime
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from weasyprint import HTML
from comisiones.models import Atribucion, Comision
from convenios.models import Compromiso, Convenio
from reportes.models import InformeEmitido
from reportes.services import emitir_informe
from seguimiento.models import Estatus
from seguimiento.services import registrar_actualizacion

call_command("cargar_semilla", verbosity=0)
gerente = User.objects.create_user("gerente", "gerente@example.org", "clave-de-prueba-larga")
gerente.groups.add(Group.objects.get(name="Gerente"))
capturista = User.objects.create_user("capturista", "", "clave-de-prueba-larga")
capturista.groups.add(Group.objects.get(name="Capturista"))
User.objects.create_superuser("admin", "admin@example.org", "clave-de-prueba-larga")
pdf = HTML(string="<h1>Oficio de cumplimiento</h1><p>Evidencia.</p>").write_pdf()
estatus = list(Estatus.objects.order_by("pk"))
hoy = timezone.localdate()
elementos = [*Compromiso.objects.order_by("pk")[:2], *Atribucion.objects.order_by("pk")[:2]]
for i, elemento in enumerate(elementos):
    registrar_actualizacion(
        elemento, estatus=estatus[i % len(estatus)], fecha_efectiva=hoy - datetime.timedelta(days=10 - i),
        nota=f"Avance {i}", usuario=capturista,
        evidencia=SimpleUploadedFile(f"oficio-{i}.pdf", pdf + bytes([i]), content_type="application/pdf"),
    )
emitir_informe(InformeEmitido.Tipo.CONVENIO, Convenio.objects.order_by("pk").first(), hoy, gerente)
emitir_informe(InformeEmitido.Tipo.COMISION, Comision.objects.order_by("pk").first(), hoy, gerente)
# Texts edited after issuing: their versions travel with the backup, and the reports still redraw.
for elemento in elementos:
    elemento.texto = f"{elemento.texto} (corregido)"
    elemento.save()
"""

REGENERAR = """
import hashlib, json
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from reportes.models import InformeEmitido
cliente = Client()
cliente.force_login(User.objects.get(username="gerente"), "config.seguridad.PermisosEnUnaConsulta")
resultado = {}
for informe in InformeEmitido.objects.order_by("pk"):
    respuesta = cliente.get(reverse("reportes:regenerar", args=[informe.folio]))
    resultado[informe.folio] = {
        "estado": respuesta.status_code,
        "sha256": hashlib.sha256(respuesta.content).hexdigest(),
        "coincide": respuesta.get("X-Coincide-Con-Emitido"),
        "emitido": informe.sha256,
        "archivo": informe.archivo.name,
    }
print("RESULTADO" + json.dumps(resultado))
"""

SUELTOS = ["tmp/subida-a-medias.part", "evidencias/suelto.pdf", "informes/2020/huerfano.pdf", "notas.txt"]


@dataclass
class Instalacion:
    """One database and its MEDIA_ROOT, reached by manage.py in processes of their own. Their private
    files are on the local disk unless a test gives them ``ALMACEN_URL`` (``en_s3``): the tests'
    ``PRUEBAS_ALMACEN`` does not reach them, so reading ``medios`` from the disk is right here."""

    nombre: str
    medios: Path
    url: str
    extra: dict[str, str] = field(default_factory=dict)  # ALMACEN_URL and its credentials, for S3

    def entorno(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PYTEST"))}
        env.update(
            SECRET_KEY="x",
            DEBUG="1",
            DATABASE_URL=self.url,
            MEDIA_ROOT=str(self.medios),
            ALLOWED_HOSTS="testserver,localhost",
            LOG_LEVEL="ERROR",
        )
        env.update(self.extra)
        return env

    def manage(self, *argumentos: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *argumentos],
            cwd=RAIZ,
            env=self.entorno(),
            capture_output=True,
            text=True,
            timeout=180,
        )

    def ejecutar(self, *argumentos: str) -> str:
        resultado = self.manage(*argumentos)
        assert resultado.returncode == 0, resultado.stdout + resultado.stderr
        return resultado.stdout

    def conectar(self):
        if EN_POSTGRESQL:
            import psycopg

            return psycopg.connect(self.url)
        conexion = sqlite3.connect(self.nombre)
        # As every connection of the application: the search columns are computed with it.
        conexion.create_function("sin_acentos", 1, sin_acentos, deterministic=True)
        return conexion

    def filas(self) -> dict[str, list]:
        """Every row of every table, by content."""
        with self.conectar() as conexion:
            cursor = conexion.cursor()
            if EN_POSTGRESQL:
                cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            else:
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            tablas = sorted(t for (t,) in cursor.fetchall())
            resultado = {}
            for tabla in tablas:
                cursor.execute(f'SELECT * FROM "{tabla}" ORDER BY 1')
                resultado[tabla] = cursor.fetchall()
            return resultado

    def archivos(self) -> dict[str, bytes]:
        return {
            str(ruta.relative_to(self.medios)): ruta.read_bytes()
            for ruta in sorted(self.medios.rglob("*"))
            if ruta.is_file()
        }


def url_de_base(nombre: str) -> str:
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{nombre}").geturl()


def base_vacia(nombre: str, carpeta: Path) -> Instalacion:
    """A database with nothing in it (not even tables) and an empty MEDIA_ROOT."""
    medios = carpeta / f"medios-{nombre}"
    shutil.rmtree(medios, ignore_errors=True)
    medios.mkdir(parents=True)
    if EN_POSTGRESQL:
        import psycopg

        with psycopg.connect(url_de_base("postgres"), autocommit=True) as conexion:
            conexion.execute(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE)')
            conexion.execute(f'CREATE DATABASE "{nombre}"')
        return Instalacion(nombre, medios, url_de_base(nombre))
    archivo = carpeta / f"{nombre}.sqlite3"
    archivo.unlink(missing_ok=True)
    return Instalacion(str(archivo), medios, f"sqlite:///{archivo}")


def borrar_base(instalacion: Instalacion) -> None:
    if EN_POSTGRESQL:
        import psycopg

        with psycopg.connect(url_de_base("postgres"), autocommit=True) as conexion:
            conexion.execute(f'DROP DATABASE IF EXISTS "{instalacion.nombre}" WITH (FORCE)')


def prefijo() -> str:
    return settings.DATABASES["default"]["NAME"].removeprefix("test_") if EN_POSTGRESQL else "respaldo"


@dataclass
class Respaldado:
    origen: Instalacion
    archivo: Path
    filas: dict
    archivos: dict
    referidos: list[str]


@pytest.fixture(scope="module")
def respaldado(tmp_path_factory) -> Respaldado:
    """A populated installation, with stray files in its MEDIA_ROOT, and its backup."""
    carpeta = tmp_path_factory.mktemp("respaldos")
    origen = base_vacia(f"{prefijo()}_origen", carpeta)
    origen.ejecutar("migrate", "--verbosity", "0")
    origen.ejecutar("shell", "-c", POBLAR)
    for suelto in SUELTOS:
        (origen.medios / suelto).parent.mkdir(parents=True, exist_ok=True)
        (origen.medios / suelto).write_bytes(b"no pertenece al respaldo")
    archivo = carpeta / "respaldo.tar"
    salida = origen.ejecutar("respaldar", str(archivo))
    assert "Respaldo escrito" in salida
    archivos = origen.archivos()
    referidos = sorted(set(archivos) - set(SUELTOS))
    yield Respaldado(origen, archivo, origen.filas(), archivos, referidos)
    borrar_base(origen)


@pytest.fixture
def destino(tmp_path) -> Instalacion:
    instalacion = base_vacia(f"{prefijo()}_destino", tmp_path)
    yield instalacion
    borrar_base(instalacion)


def test_the_archive_holds_the_database_the_referenced_files_and_a_manifest(respaldado):
    with tarfile.open(respaldado.archivo) as tar:
        nombres = tar.getnames()
        manifiesto = json.load(tar.extractfile("manifiesto.json"))
        for nombre, esperado in manifiesto["partes"].items():
            assert hashlib.sha256(tar.extractfile(nombre).read()).hexdigest() == esperado
    base = "base_de_datos.dump" if EN_POSTGRESQL else "base_de_datos.sqlite3"
    assert sorted(nombres) == sorted(
        ["manifiesto.json", base, *(f"medios/{n}" for n in respaldado.referidos)]
    )
    assert {n.split("/")[0] for n in respaldado.referidos} == {"evidencias", "informes"}
    assert len(respaldado.referidos) == 4 + 2  # four evidence files, two issued reports
    assert manifiesto["version"] == "0.1.0"
    assert "convenios.0001_initial" in manifiesto["migraciones"]
    assert manifiesto["creado_en"]


def test_stray_files_in_media_root_are_left_out(respaldado):
    with tarfile.open(respaldado.archivo) as tar:
        nombres = tar.getnames()
    assert not [n for n in nombres if n.removeprefix("medios/") in SUELTOS]


def test_a_restore_into_an_empty_database_gives_back_everything(respaldado, destino):
    salida = destino.ejecutar("restaurar", str(respaldado.archivo))
    assert "Respaldo restaurado" in salida

    assert destino.filas() == respaldado.filas
    assert len(respaldado.filas["seguimiento_versiontexto"]) == 4, "the four text edits"
    assert destino.archivos() == {n: respaldado.archivos[n] for n in respaldado.referidos}

    regenerados = json.loads(destino.ejecutar("shell", "-c", REGENERAR).split("RESULTADO", 1)[1])
    assert len(regenerados) == 2
    for informe in regenerados.values():
        assert informe["estado"] == 200
        assert informe["sha256"] == informe["emitido"]
        assert informe["sha256"] == hashlib.sha256(respaldado.archivos[informe["archivo"]]).hexdigest()
        assert informe["coincide"] == "si"

    historial_sigue_siendo_inmutable(destino)


def historial_sigue_siendo_inmutable(instalacion: Instalacion) -> None:
    if EN_POSTGRESQL:
        import psycopg

        for sentencia in (
            "UPDATE convenios_actualizacion SET nota = 'cambiada'",
            "DELETE FROM convenios_actualizacion",
            "TRUNCATE convenios_actualizacion CASCADE",
            "UPDATE comisiones_actualizacionatribucion SET nota = 'cambiada'",
            "UPDATE seguimiento_versiontexto SET nuevo = 'cambiado'",
            "DELETE FROM seguimiento_versiontexto",
            "TRUNCATE seguimiento_versiontexto",
        ):
            with instalacion.conectar() as conexion, pytest.raises(psycopg.Error, match="solo anexión"):
                conexion.execute(sentencia)
    else:
        with instalacion.conectar() as conexion:
            disparadores = {
                n for (n,) in conexion.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            }
            assert {
                "convenios_actualizacion_inmutable",
                "comisiones_actualizacionatribucion_inmutable",
                "seguimiento_versiontexto_inmutable",
            } <= disparadores
            columnas = {"convenios_actualizacion": "nota", "seguimiento_versiontexto": "nuevo"}
            for tabla, columna in columnas.items():
                with pytest.raises(sqlite3.DatabaseError, match="solo anexión"):
                    conexion.execute(f"UPDATE {tabla} SET {columna} = 'cambiada'")


def test_a_non_empty_database_is_refused_unless_forced(respaldado, destino):
    destino.ejecutar("migrate", "--verbosity", "0")
    destino.ejecutar(
        "shell", "-c", "from django.contrib.auth.models import User; User.objects.create(username='ana')"
    )
    antes = destino.filas()

    resultado = destino.manage("restaurar", str(respaldado.archivo))
    assert resultado.returncode != 0
    assert "no está vacía" in resultado.stderr
    assert "--forzar" in resultado.stderr
    assert destino.filas() == antes
    assert destino.archivos() == {}

    destino.ejecutar("restaurar", str(respaldado.archivo), "--forzar")
    assert destino.filas() == respaldado.filas
    assert len(respaldado.filas["seguimiento_versiontexto"]) == 4, "the four text edits"
    assert destino.archivos() == {n: respaldado.archivos[n] for n in respaldado.referidos}
    historial_sigue_siendo_inmutable(destino)


@pytest.mark.django_db
def test_a_migrated_database_counts_as_empty_and_any_work_makes_it_non_empty():
    from convenios.models import Dependencia
    from seguimiento.respaldos import tiene_datos

    assert not tiene_datos()  # statuses, roles and permissions come from migrations
    Dependencia.objects.create(nombre="Secretaría de Pruebas", siglas="SP")
    assert tiene_datos()


def rehacer(origen: Path, destino: Path, cambiar) -> None:
    """Copy the archive member by member, letting ``cambiar(nombre, bytes)`` alter (or drop: None) each."""
    with tarfile.open(origen) as entrada, tarfile.open(destino, "w") as salida:
        for miembro in entrada.getmembers():
            contenido = cambiar(miembro.name, entrada.extractfile(miembro).read())
            if contenido is None:
                continue
            miembro.size = len(contenido)
            salida.addfile(miembro, io.BytesIO(contenido))


def rechazado_sin_cambios(destino: Instalacion, archivo: Path) -> str:
    resultado = destino.manage("restaurar", str(archivo))
    assert resultado.returncode != 0
    assert destino.filas() == {}
    assert destino.archivos() == {}
    return resultado.stderr


@pytest.mark.parametrize("carpeta", ["evidencias/", "informes/"])
def test_a_tampered_part_is_refused_by_name(respaldado, destino, tmp_path, carpeta):
    """Evidence files and archived report PDFs alike: every file part's hash is checked."""
    parte = next(f"medios/{n}" for n in respaldado.referidos if n.startswith(carpeta))
    alterado = tmp_path / "alterado.tar"

    def voltear(nombre, contenido):
        if nombre != parte:
            return contenido
        return contenido[:100] + bytes([contenido[100] ^ 1]) + contenido[101:]

    rehacer(respaldado.archivo, alterado, voltear)
    error = rechazado_sin_cambios(destino, alterado)
    assert f"La parte «{parte}» del respaldo está alterada" in error


def gzip_cortado(datos: bytes, hasta: int, cola: bytes) -> bytes:
    """The gzip of ``datos[:hasta]``, flushed to a byte boundary, followed by ``cola`` as deflate data."""
    compresor = zlib.compressobj(9, zlib.DEFLATED, -15)
    cabecera = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    return cabecera + compresor.compress(datos[:hasta]) + compresor.flush(zlib.Z_FULL_FLUSH) + cola


@pytest.mark.parametrize(
    ("cola", "motivo"),
    [(b"\xff" * 16, "corrupt deflate data: zlib.error"), (b"", "cut off: EOFError")],
    ids=["deflate-corrupto", "cortado"],
)
def test_a_compressed_backup_with_damaged_data_is_refused_in_spanish(
    respaldado, destino, tmp_path, cola, motivo
):
    """A .tar.gz damaged past its manifest (``tar`` reads .tar.gz too): a Spanish refusal, no traceback."""
    datos = respaldado.archivo.read_bytes()
    roto = tmp_path / "roto.tar.gz"
    roto.write_bytes(gzip_cortado(datos, len(datos) // 2, cola))
    error = rechazado_sin_cambios(destino, roto)
    assert "Traceback" not in error, motivo
    assert f"«{roto}» está dañado: no se puede leer" in error, motivo


def test_a_tampered_database_part_is_refused_by_name(respaldado, destino, tmp_path):
    base = "base_de_datos.dump" if EN_POSTGRESQL else "base_de_datos.sqlite3"
    alterado = tmp_path / "alterado.tar"
    rehacer(respaldado.archivo, alterado, lambda n, c: c[:-1] + bytes([c[-1] ^ 1]) if n == base else c)
    assert f"La parte «{base}» del respaldo está alterada" in rechazado_sin_cambios(destino, alterado)


def test_a_missing_part_is_refused_by_name(respaldado, destino, tmp_path):
    informe = next(f"medios/{n}" for n in respaldado.referidos if n.startswith("informes/"))
    incompleto = tmp_path / "incompleto.tar"
    rehacer(respaldado.archivo, incompleto, lambda n, c: None if n == informe else c)
    assert f"Falta la parte «{informe}»" in rechazado_sin_cambios(destino, incompleto)


def test_an_archive_from_another_migration_state_is_refused_saying_which(respaldado, destino, tmp_path):
    def otra_version(nombre, contenido):
        if nombre != "manifiesto.json":
            return contenido
        manifiesto = json.loads(contenido)
        manifiesto["migraciones"].append("convenios.9999_futura")
        manifiesto["migraciones"].remove("reportes.0001_initial")
        return json.dumps(firmar(manifiesto)).encode()  # signed again: what is refused is the state

    ajeno = tmp_path / "ajeno.tar"
    rehacer(respaldado.archivo, ajeno, otra_version)
    error = rechazado_sin_cambios(destino, ajeno)
    assert "otro estado de migraciones" in error
    assert "convenios.9999_futura" in error
    assert "reportes.0001_initial" in error


# The backup proves itself (issue 22, part 3): a signed manifest, the chain verified after loading ---


def firmar(manifiesto: dict) -> dict:
    """What only the holder of CLAVE_INTEGRIDAD can do: sign a manifest (the tests' own key)."""
    from seguimiento.respaldos import firma

    return {**manifiesto, "firma": firma(manifiesto)}


def reescribir_una_nota(parte: Path) -> None:
    """A superuser's forgery in the copy: one history note rewritten with the triggers off."""
    if EN_POSTGRESQL:
        import psycopg

        nombre = f"{prefijo()}_falsificacion"
        falsa = base_vacia(nombre, parte.parent)
        subprocess.run(
            ["pg_restore", "--no-owner", "--dbname", falsa.url, str(parte)], check=True, capture_output=True
        )
        with psycopg.connect(falsa.url) as conexion:
            conexion.execute(
                "ALTER TABLE convenios_actualizacion DISABLE TRIGGER convenios_actualizacion_inmutable"
            )
            conexion.execute("UPDATE convenios_actualizacion SET nota = 'Cumplido en su totalidad.'")
            conexion.execute(
                "ALTER TABLE convenios_actualizacion ENABLE ALWAYS TRIGGER convenios_actualizacion_inmutable"
            )
        subprocess.run(
            ["pg_dump", "--format=custom", "--file", str(parte), falsa.url], check=True, capture_output=True
        )
        borrar_base(falsa)
    else:
        with sqlite3.connect(parte) as conexion:
            conexion.create_function("sin_acentos", 1, sin_acentos, deterministic=True)
            (sql,) = conexion.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'convenios_actualizacion_inmutable'"
            ).fetchone()
            conexion.execute("DROP TRIGGER convenios_actualizacion_inmutable")
            conexion.execute("UPDATE convenios_actualizacion SET nota = 'Cumplido en su totalidad.'")
            conexion.execute(sql)


def falsificar(respaldado: Respaldado, tmp_path: Path, *, con_la_clave: bool) -> Path:
    """The backup with a history row rewritten and every hash of its manifest recomputed; signed again
    only ``con_la_clave`` (what an attacker without CLAVE_INTEGRIDAD cannot do)."""
    base = "base_de_datos.dump" if EN_POSTGRESQL else "base_de_datos.sqlite3"
    with tarfile.open(respaldado.archivo) as tar:
        contenido = tar.extractfile(base).read()
    parte = tmp_path / base
    parte.write_bytes(contenido)
    reescribir_una_nota(parte)
    falsa = parte.read_bytes()

    def cambiar(nombre, contenido):
        if nombre == base:
            return falsa
        if nombre == "manifiesto.json":
            manifiesto = json.loads(contenido)
            manifiesto["partes"][base] = hashlib.sha256(falsa).hexdigest()
            return json.dumps(firmar(manifiesto) if con_la_clave else manifiesto).encode()
        return contenido

    archivo = tmp_path / "falsificado.tar"
    rehacer(respaldado.archivo, archivo, cambiar)
    return archivo


def test_the_manifest_records_the_chain_head_and_is_signed(respaldado):
    with tarfile.open(respaldado.archivo) as tar:
        manifiesto = json.loads(tar.extractfile("manifiesto.json").read())
    from seguimiento.integridad import CabezaDeCadena

    columnas = [c.attname for c in CabezaDeCadena._meta.concrete_fields]
    (cabeza,) = respaldado.filas["seguimiento_cabezadecadena"]
    assert manifiesto["cadena"] == {
        "huella": cabeza[columnas.index("huella")],
        "eslabones": cabeza[columnas.index("eslabon")],
    }
    encadenadas = (
        "convenios_actualizacion",
        "comisiones_actualizacionatribucion",
        "reportes_informeemitido",
        "seguimiento_versiontexto",
    )
    total = sum(len(respaldado.filas[t]) for t in encadenadas)  # the seed's, 4 updates, 2 reports, 4 texts
    assert manifiesto["cadena"]["eslabones"] == total > 6
    assert manifiesto["firma"] == firmar(manifiesto)["firma"]
    assert f"verifica: {total} eslabones" in respaldado.origen.ejecutar("verificar_integridad")


def test_a_forged_backup_with_recomputed_hashes_is_refused_by_its_signature(respaldado, destino, tmp_path):
    error = rechazado_sin_cambios(destino, falsificar(respaldado, tmp_path, con_la_clave=False))
    assert "La firma del manifiesto no es válida" in error


def test_a_forged_backup_even_signed_is_refused_by_its_chain_and_nothing_is_restored(
    respaldado, destino, tmp_path
):
    error = rechazado_sin_cambios(destino, falsificar(respaldado, tmp_path, con_la_clave=True))
    assert "La cadena del registro del respaldo no verifica (convenios_actualizacion, id" in error
    assert "su contenido no corresponde a su huella" in error


def test_a_backup_older_than_a_known_head_is_refused(respaldado, destino):
    from seguimiento.integridad import CabezaDeCadena

    columnas = [c.attname for c in CabezaDeCadena._meta.concrete_fields]
    (cabeza,) = respaldado.filas["seguimiento_cabezadecadena"]
    conocida = "ab" * 32  # a head recorded after this backup was made
    resultado = destino.manage("restaurar", str(respaldado.archivo), "--huella-conocida", conocida)
    assert resultado.returncode != 0
    assert f"El respaldo no contiene la huella conocida {conocida}" in resultado.stderr
    assert destino.filas() == {} and destino.archivos() == {}
    # A head the backup does contain is accepted, and the restored chain verifies.
    huella = cabeza[columnas.index("huella")]
    destino.ejecutar("restaurar", str(respaldado.archivo), "--huella-conocida", huella)
    assert f"eslabones recalculados (del 1 al {cabeza[columnas.index('eslabon')]})" in destino.ejecutar(
        "verificar_integridad"
    )


def en_s3(instalacion: Instalacion, servidor_s3: str) -> Callable[[], dict[str, bytes]]:
    """Point the installation's private files at a new bucket of moto's server (its MEDIA_ROOT stays
    empty); returns a function reading every object of the bucket by name."""
    import boto3

    cubeta = f"respaldo-{os.urandom(6).hex()}"
    cliente = boto3.client(
        "s3",
        endpoint_url=servidor_s3,
        region_name="us-east-1",
        aws_access_key_id="prueba",
        aws_secret_access_key="prueba",
    )
    cliente.create_bucket(Bucket=cubeta)
    instalacion.extra = {
        "ALMACEN_URL": f"s3://{cubeta}/medios?endpoint={servidor_s3}&region=us-east-1",
        "AWS_ACCESS_KEY_ID": "prueba",
        "AWS_SECRET_ACCESS_KEY": "prueba",
    }

    def objetos() -> dict[str, bytes]:
        claves = [o["Key"] for o in cliente.list_objects_v2(Bucket=cubeta).get("Contents", [])]
        return {
            clave.removeprefix("medios/"): cliente.get_object(Bucket=cubeta, Key=clave)["Body"].read()
            for clave in claves
        }

    return objetos


def test_a_backup_made_on_disk_restores_onto_s3_and_back(respaldado, destino, tmp_path, servidor_s3):
    objetos = en_s3(destino, servidor_s3)
    assert "Respaldo restaurado" in destino.ejecutar("restaurar", str(respaldado.archivo))
    esperados = {n: respaldado.archivos[n] for n in respaldado.referidos}
    assert objetos() == esperados
    assert destino.archivos() == {}, "nothing on the S3 installation's disk"
    regenerados = json.loads(destino.ejecutar("shell", "-c", REGENERAR).split("RESULTADO", 1)[1])
    assert [(i["estado"], i["coincide"]) for i in regenerados.values()] == [(200, "si"), (200, "si")]

    desde_s3 = tmp_path / "desde-s3.tar"
    destino.ejecutar("respaldar", str(desde_s3))
    de_vuelta = base_vacia(f"{prefijo()}_de_vuelta", tmp_path)
    try:
        assert "Respaldo restaurado" in de_vuelta.ejecutar("restaurar", str(desde_s3))
        assert de_vuelta.archivos() == esperados
        sesion = {"auth_user", "django_session"}  # REGENERAR logged in on the S3 installation
        assert {t: f for t, f in de_vuelta.filas().items() if t not in sesion} == {
            t: f for t, f in respaldado.filas.items() if t not in sesion
        }
    finally:
        borrar_base(de_vuelta)
