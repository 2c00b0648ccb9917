"""Backups: the database and the private files it references, in one tar archive with a manifest.

The archive holds ``manifiesto.json`` (app version, applied migrations, creation time, engine and the
SHA-256 of every other part), the database (``base_de_datos.dump``: ``pg_dump --format=custom`` on
PostgreSQL; ``base_de_datos.sqlite3``: a copy by SQLite's online backup API) and, under ``medios/``,
the evidence files and archived report PDFs the database references: nothing else of the private storage
(``ALMACEN_URL``: MEDIA_ROOT or a bucket; a backup made on one restores onto the other).

The manifest also records the head of the record's hash chain in the copy (``cadena``) and is signed
with ``CLAVE_INTEGRIDAD`` (``firma``, an HMAC of the rest). ``restaurar`` refuses an archive whose
signature fails, and, after loading it, one whose chain does not verify, whose head is not the
manifest's, or that does not contain a head the operator already knew (``huella_conocida``): then the
database is put back as it was before the restore (empty, for an empty target).
"""

import datetime
import gzip
import hashlib
import hmac
import json
import lzma
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.models import FileField, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from . import integridad, json_seguro
from .almacen import almacen_privado
from .models import Estatus

MANIFIESTO = "manifiesto.json"
MEDIOS = "medios"
PARTE_BD = {"postgresql": "base_de_datos.dump", "sqlite": "base_de_datos.sqlite3"}
FORMATO = 1
# The apps whose every row is someone's work, except the statuses, which migrations write.
APPS_CON_DATOS = ["seguimiento", "convenios", "comisiones", "reportes"]
# What reading a damaged archive raises, compressed (``tar`` opens .tar.gz and .tar.xz too) or not.
ERRORES_DE_LECTURA = (tarfile.TarError, zlib.error, EOFError, gzip.BadGzipFile, lzma.LZMAError)


class RespaldoError(Exception):
    """A backup or restore refused, with the reason in Spanish; nothing was changed."""


def version_de_la_aplicacion() -> str:
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as archivo:
        return tomllib.load(archivo)["project"]["version"]


def migraciones_aplicadas() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        return sorted(f"{app}.{nombre}" for app, nombre in cursor.fetchall())


def migraciones_del_codigo() -> list[str]:
    """The migrations this code ships (what ``migrate`` leaves applied)."""
    return sorted(
        f"{app}.{nombre}" for app, nombre in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    )


def archivos_referidos() -> list[str]:
    """Names (relative to MEDIA_ROOT) of every file a FileField of the database points at."""
    nombres: set[str] = set()
    for modelo in apps.get_models():
        for campo in modelo._meta.concrete_fields:
            if isinstance(campo, FileField):
                nombres.update(
                    modelo._base_manager.exclude(**{campo.attname: ""}).values_list(campo.attname, flat=True)
                )
    return sorted(nombres)


def descargar(nombre: str, ruta: Path) -> bool:
    """Copy the stored file ``nombre`` to ``ruta`` (a temporary file); False if it is not stored."""
    ruta.parent.mkdir(parents=True, exist_ok=True)
    try:
        with almacen_privado().open(nombre, "rb") as origen, open(ruta, "wb") as copia:
            shutil.copyfileobj(origen, copia, 1 << 20)
    except FileNotFoundError:
        return False
    return True


def subir(ruta: Path, nombre: str) -> None:
    """Put the file ``ruta`` in the private storage under exactly ``nombre``, replacing what is there."""
    almacen = almacen_privado()
    if almacen.exists(nombre):
        almacen.delete(nombre)
    with open(ruta, "rb") as origen:
        guardado = almacen.save(nombre, File(origen))
    if guardado != nombre:
        raise RespaldoError(_("No se pudo guardar «%(nombre)s» con su nombre.") % {"nombre": nombre})


def sha256_de(ruta: Path) -> str:
    resumen = hashlib.sha256()
    with open(ruta, "rb") as archivo:
        while bloque := archivo.read(1 << 20):
            resumen.update(bloque)
    return resumen.hexdigest()


def entorno_postgresql() -> tuple[list[str], dict[str, str]]:
    """Connection arguments of pg_dump/pg_restore for the configured database, and their environment."""
    ajustes = connection.settings_dict
    argumentos = []
    if ajustes.get("HOST"):
        argumentos += ["--host", ajustes["HOST"]]
    if ajustes.get("PORT"):
        argumentos += ["--port", str(ajustes["PORT"])]
    if ajustes.get("USER"):
        argumentos += ["--username", ajustes["USER"]]
    argumentos += ["--dbname", ajustes["NAME"], "--no-password"]
    entorno = dict(os.environ)
    if ajustes.get("PASSWORD"):
        entorno["PGPASSWORD"] = ajustes["PASSWORD"]
    return argumentos, entorno


def ejecutar(orden: list[str], entorno: dict[str, str]) -> None:
    resultado = subprocess.run(orden, env=entorno, capture_output=True, text=True)
    if resultado.returncode != 0:
        raise RespaldoError(
            _("%(programa)s falló (código %(codigo)s): %(error)s")
            % {
                "programa": Path(orden[0]).name,
                "codigo": resultado.returncode,
                "error": resultado.stderr.strip(),
            }
        )


def _cabeza_en_sqlite(archivo: Path) -> dict:
    with sqlite3.connect(archivo) as copia:
        fila = copia.execute(
            f"SELECT huella, eslabon FROM {integridad.CabezaDeCadena._meta.db_table} WHERE id = ?",
            [integridad.CABEZA],
        ).fetchone()
    return {"huella": fila[0] if fila else "", "eslabones": fila[1] if fila else 0}


def copiar_base_de_datos(destino: Path) -> dict:
    """A consistent copy of the whole database, whatever is being written meanwhile; returns the head
    of the record's hash chain in that copy (PostgreSQL: read in the snapshot ``pg_dump`` copies)."""
    if connection.vendor == "postgresql":
        argumentos, entorno = entorno_postgresql()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            (instantanea,) = cursor.fetchone()
            actual = integridad.cabeza()
            ejecutar(
                [
                    shutil.which("pg_dump") or "pg_dump",
                    "--format=custom",
                    "--snapshot",
                    instantanea,
                    "--file",
                    str(destino),
                    *argumentos,
                ],
                entorno,
            )
        return {"huella": actual.huella, "eslabones": actual.eslabon}
    elif connection.vendor == "sqlite":
        origen = sqlite3.connect(connection.settings_dict["NAME"])
        copia = sqlite3.connect(destino)
        try:
            with copia:
                origen.backup(copia)
        finally:
            copia.close()
            origen.close()
        return _cabeza_en_sqlite(destino)
    else:
        raise RespaldoError(
            _("No se sabe respaldar una base de datos %(motor)s.") % {"motor": connection.vendor}
        )


def respaldar(archivo: Path) -> dict:
    """Write the archive to ``archivo`` (via a temporary name, so a failure leaves no partial archive)
    and return its manifest. Files referenced but missing from the private storage (MEDIA_ROOT or the
    bucket of ALMACEN_URL) are listed in ``faltantes``."""
    archivo = Path(archivo).resolve()
    creado_en = timezone.now()
    with tempfile.TemporaryDirectory(prefix=".respaldo-", dir=archivo.parent) as temporal:
        parte_bd = PARTE_BD.get(connection.vendor, "base_de_datos")
        copia = Path(temporal) / parte_bd
        cadena = copiar_base_de_datos(copia)
        # Read after the copy: a file referenced by a row written meanwhile is included too (harmless),
        # never one missing for a row the copy holds.
        partes = {parte_bd: copia}
        faltantes = []
        for nombre in archivos_referidos():
            ruta = Path(temporal) / MEDIOS / nombre
            if nombre_seguro(nombre) and descargar(nombre, ruta):
                partes[f"{MEDIOS}/{nombre}"] = ruta
            else:
                faltantes.append(nombre)
        manifiesto = {
            "formato": FORMATO,
            "aplicacion": "seguimiento",
            "version": version_de_la_aplicacion(),
            "creado_en": creado_en.isoformat(),
            "motor": connection.vendor,
            "migraciones": migraciones_aplicadas(),
            "partes": {nombre: sha256_de(ruta) for nombre, ruta in partes.items()},
            "faltantes": faltantes,
            "cadena": cadena,
        }
        manifiesto["firma"] = firma(manifiesto)
        provisional = Path(temporal) / archivo.name
        with tarfile.open(provisional, "w") as tar:
            datos = json.dumps(manifiesto, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFIESTO)
            info.size = len(datos)
            info.mtime = int(creado_en.timestamp())
            info.mode = 0o600
            with tempfile.SpooledTemporaryFile() as contenido:
                contenido.write(datos)
                contenido.seek(0)
                tar.addfile(info, contenido)
            for nombre, ruta in partes.items():
                tar.add(ruta, arcname=nombre, recursive=False)
        os.chmod(provisional, 0o600)
        os.replace(provisional, archivo)
    return manifiesto


def firma(manifiesto: dict) -> str:
    """HMAC-SHA256 with ``CLAVE_INTEGRIDAD`` of the manifest without its signature, canonical JSON."""
    cuerpo = json.dumps(
        {k: v for k, v in manifiesto.items() if k != "firma"},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hmac.new(integridad.clave(), cuerpo.encode(), hashlib.sha256).hexdigest()


def verificar_firma(manifiesto: dict) -> None:
    dada = manifiesto.get("firma")
    if not isinstance(dada, str) or not hmac.compare_digest(dada, firma(manifiesto)):
        raise RespaldoError(
            _(
                "La firma del manifiesto no es válida: el respaldo fue alterado después de hacerse, o se "
                "hizo con otra CLAVE_INTEGRIDAD. No se restaura."
            )
        )


def leer_manifiesto(tar: tarfile.TarFile) -> dict:
    try:
        archivo = tar.extractfile(tar.getmember(MANIFIESTO))
        if archivo is None:  # not a regular file
            raise KeyError(MANIFIESTO)
        manifiesto = json_seguro.leer(archivo.read())
    except (KeyError, AttributeError, ValueError):  # JSONInvalido is a ValueError
        raise RespaldoError(
            _("El archivo no es un respaldo de Seguimiento: no tiene un manifiesto legible.")
        ) from None
    if (
        not isinstance(manifiesto, dict)
        or manifiesto.get("formato") != FORMATO
        or not isinstance(manifiesto.get("partes"), dict)
    ):
        raise RespaldoError(_("El manifiesto del respaldo tiene un formato desconocido."))
    return manifiesto


@contextmanager
def leyendo(archivo: Path):
    """Reading the archive: damaged data (corrupt deflate, a cut-off file) is a refusal, not a traceback."""
    try:
        yield
    except ERRORES_DE_LECTURA as e:
        raise RespaldoError(
            _("«%(archivo)s» está dañado: no se puede leer (%(error)s).") % {"archivo": archivo, "error": e}
        ) from e


def nombre_seguro(nombre: str) -> bool:
    ruta = PurePosixPath(nombre)
    return not ruta.is_absolute() and ".." not in ruta.parts and nombre == str(ruta)


def extraer_y_verificar(tar: tarfile.TarFile, manifiesto: dict, destino: Path) -> None:
    """Extract every declared part into ``destino``, checking its SHA-256; refuse anything else."""
    declaradas = manifiesto["partes"]
    for miembro in tar.getmembers():
        if miembro.name != MANIFIESTO and miembro.name not in declaradas:
            raise RespaldoError(
                _("El respaldo contiene «%(parte)s», que su manifiesto no declara.") % {"parte": miembro.name}
            )
    for nombre, esperado in declaradas.items():
        if not nombre_seguro(nombre):
            raise RespaldoError(
                _("El manifiesto declara un nombre de parte no válido: «%(parte)s».") % {"parte": nombre}
            )
        try:
            miembro = tar.getmember(nombre)
        except KeyError:
            raise RespaldoError(_("Falta la parte «%(parte)s» en el respaldo.") % {"parte": nombre}) from None
        if not miembro.isfile():
            raise RespaldoError(_("La parte «%(parte)s» del respaldo no es un archivo.") % {"parte": nombre})
        ruta = destino / nombre
        ruta.parent.mkdir(parents=True, exist_ok=True)
        resumen = hashlib.sha256()
        origen = tar.extractfile(miembro)
        assert origen is not None  # a regular file, checked above
        with origen, open(ruta, "wb") as copia:
            while bloque := origen.read(1 << 20):
                resumen.update(bloque)
                copia.write(bloque)
        if resumen.hexdigest() != esperado:
            raise RespaldoError(
                _("La parte «%(parte)s» del respaldo está alterada: su SHA-256 no es el del manifiesto.")
                % {"parte": nombre}
            )


def verificar_migraciones(manifiesto: dict) -> None:
    respaldadas = set(manifiesto.get("migraciones", []))
    del_codigo = set(migraciones_del_codigo())
    if respaldadas == del_codigo:
        return
    detalle = []
    if faltan := sorted(del_codigo - respaldadas):
        detalle.append(_("le faltan %(lista)s") % {"lista": ", ".join(faltan)})
    if sobran := sorted(respaldadas - del_codigo):
        detalle.append(_("tiene %(lista)s, que este código no conoce") % {"lista": ", ".join(sobran)})
    raise RespaldoError(
        _(
            "El respaldo (versión %(version)s) es de otro estado de migraciones que este código: "
            "%(detalle)s. Restáurelo con la versión de la aplicación que lo creó."
        )
        % {"version": manifiesto.get("version", "?"), "detalle": "; ".join(detalle)}
    )


def tiene_datos() -> bool:
    """Whether the configured database holds anyone's work: a user or any row of the project's apps.
    A migrated database is still empty: statuses, roles and permissions come from migrations."""
    modelos: list[type[Model]] = [get_user_model()]
    for app in APPS_CON_DATOS:
        modelos += [m for m in apps.get_app_config(app).get_models() if m is not Estatus]
    tablas = sorted({m._meta.db_table for m in modelos})
    existentes = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for tabla in tablas:
            if tabla in existentes:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(tabla)} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def restaurar_base_de_datos(copia: Path) -> None:
    """Replace the whole database with ``copia`` in one transaction: all of it or nothing."""
    if connection.vendor == "postgresql":
        argumentos, entorno = entorno_postgresql()
        connection.close()
        ejecutar(
            [
                shutil.which("pg_restore") or "pg_restore",
                "--single-transaction",
                "--exit-on-error",
                "--clean",
                "--if-exists",
                "--no-owner",
                *argumentos,
                str(copia),
            ],
            entorno,
        )
    elif connection.vendor == "sqlite":
        # The backup API writes every page of the live file in one step under its write lock and
        # journal: a failure rolls the file back whole, and readers see the old or the new database.
        nombre = connection.settings_dict["NAME"]
        connection.close()
        origen = sqlite3.connect(copia)
        destino = sqlite3.connect(nombre, timeout=30)
        try:
            origen.backup(destino)
        finally:
            destino.close()
            origen.close()
    else:
        raise RespaldoError(
            _("No se sabe restaurar una base de datos %(motor)s.") % {"motor": connection.vendor}
        )


def verificar_lo_restaurado(manifiesto: dict, huella_conocida: str | None) -> None:
    """The restored chain recomputes, ends at the manifest's head and holds ``huella_conocida``."""
    resultado = integridad.verificar()
    if not resultado.integra:
        raise RespaldoError(
            _("La cadena del registro del respaldo no verifica (%(falla)s): el respaldo fue alterado.")
            % {"falla": resultado.falla}
        )
    cadena = manifiesto.get("cadena") or {}
    if (resultado.cabeza.huella, resultado.cabeza.eslabon) != (cadena.get("huella"), cadena.get("eslabones")):
        raise RespaldoError(
            _(
                "La cabeza de la cadena restaurada no es la que registra el manifiesto: el respaldo fue "
                "alterado."
            )
        )
    if huella_conocida and integridad.buscar_huella(huella_conocida.strip().lower()) is None:
        raise RespaldoError(
            _(
                "El respaldo no contiene la huella conocida %(huella)s: es anterior a ella (o de otra "
                "cadena), así que restaurarlo perdería registros."
            )
            % {"huella": huella_conocida}
        )


def vaciar_base_de_datos() -> None:
    """Drop every table (a refused restore puts the database back as it was before it)."""
    connection.close()
    tablas = connection.introspection.table_names()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if tablas:
                cursor.execute(
                    "DROP TABLE " + ", ".join(connection.ops.quote_name(t) for t in tablas) + " CASCADE"
                )
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for tabla in tablas:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(tabla)}")
    connection.close()


def restaurar(archivo: Path, *, forzar: bool = False, huella_conocida: str | None = None) -> dict:
    """Restore the archive: everything is checked first, then the database (one transaction), then
    the files (extracted to a temporary folder beforehand, put in the private storage, local or S3,
    only once the database is in)."""
    archivo = Path(archivo)
    if not archivo.is_file():
        raise RespaldoError(_("No existe el archivo «%(archivo)s».") % {"archivo": archivo})
    try:
        tar = tarfile.open(archivo, "r:*")  # noqa: SIM115 (closed by the ``with`` below)
    except tarfile.TarError:
        raise RespaldoError(
            _("«%(archivo)s» no es un respaldo de Seguimiento (no es un tar).") % {"archivo": archivo}
        ) from None
    with tar, tempfile.TemporaryDirectory(prefix=".restauracion-") as temporal:
        with leyendo(archivo):
            manifiesto = leer_manifiesto(tar)
        if manifiesto.get("motor") != connection.vendor:
            raise RespaldoError(
                _("El respaldo es de una base de datos %(suyo)s y la configurada es %(esta)s.")
                % {"suyo": manifiesto.get("motor"), "esta": connection.vendor}
            )
        verificar_firma(manifiesto)
        verificar_migraciones(manifiesto)
        parte_bd = PARTE_BD[connection.vendor]
        if parte_bd not in manifiesto["partes"]:
            raise RespaldoError(_("Falta la parte «%(parte)s» en el respaldo.") % {"parte": parte_bd})
        with leyendo(archivo):
            extraer_y_verificar(tar, manifiesto, Path(temporal))
        if not forzar and tiene_datos():
            raise RespaldoError(
                _(
                    "La base de datos configurada no está vacía (tiene usuarios o datos de seguimiento); "
                    "use --forzar para reemplazar todo su contenido."
                )
            )
        previa = Path(temporal) / f"previa-{parte_bd}"
        tenia_tablas = bool(connection.introspection.table_names())
        if tenia_tablas:
            copiar_base_de_datos(previa)
        restaurar_base_de_datos(Path(temporal) / parte_bd)
        try:
            verificar_lo_restaurado(manifiesto, huella_conocida)
        except RespaldoError:
            vaciar_base_de_datos()
            if tenia_tablas:
                restaurar_base_de_datos(previa)
            raise
        extraidos = Path(temporal) / MEDIOS
        for nombre in manifiesto["partes"]:
            if nombre.startswith(f"{MEDIOS}/"):
                relativo = nombre.removeprefix(f"{MEDIOS}/")
                subir(extraidos / relativo, relativo)
    return manifiesto


def resumen(manifiesto: dict) -> str:
    archivos = sum(1 for nombre in manifiesto["partes"] if nombre.startswith(f"{MEDIOS}/"))
    creado = datetime.datetime.fromisoformat(manifiesto["creado_en"])
    return _(
        "versión %(version)s, %(migraciones)s migraciones, %(archivos)s archivos, creado el %(creado)s; "
        "cadena de %(eslabones)s eslabones, cabeza %(huella)s"
    ) % {
        "eslabones": manifiesto["cadena"]["eslabones"],
        "huella": manifiesto["cadena"]["huella"] or "—",
        "version": manifiesto["version"],
        "migraciones": len(manifiesto["migraciones"]),
        "archivos": archivos,
        "creado": timezone.localtime(creado).strftime("%Y-%m-%d %H:%M"),
    }
