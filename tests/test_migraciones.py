"""Migrations that move models between apps must keep every row, file and right they find."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import Error as DatabaseError

from comisiones.models import ActualizacionAtribucion, Atribucion
from convenios.models import Actualizacion, Compromiso, Convenio
from seguimiento.almacen import almacen_privado
from seguimiento.models import Estatus

from .conftest import archivos_privados, leer_privado, restaurar_datos_de_migraciones

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor

# The latest migrations before Estatus moved to seguimiento, an app that did not exist yet.
ANTES_DE_SEGUIMIENTO = [
    ("convenios", "0005_indices_compromisos"),
    ("comisiones", "0002_historial_inmutable"),
    ("reportes", "0001_initial"),
]
# The same four apps right after the move (later migrations only add columns and rows elsewhere).
CON_SEGUIMIENTO = [
    ("seguimiento", "0001_initial"),
    ("comisiones", "0004_estatus_en_seguimiento"),
    ("convenios", "0006_estatus_en_seguimiento"),
    ("reportes", "0002_permiso_descargar_informe"),
]
TABLAS = [
    "convenios_estatus",
    "convenios_dependencia",
    "convenios_convenio",
    "convenios_parte",
    "convenios_compromiso",
    "convenios_actualizacion",
    "comisiones_sistema",
    "comisiones_tipocomision",
    "comisiones_comision",
    "comisiones_atribucion",
    "comisiones_actualizacionatribucion",
    "reportes_informeemitido",
    "auth_user",
    "auth_group",
    "auth_user_groups",
    "auth_group_permissions",
    "auth_user_user_permissions",
]
PDF = b"%PDF-1.4\n% Oficio de cumplimiento firmado\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\nActa de la sesion"


def filas(tabla: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {tabla} ORDER BY id")
        columnas = [columna[0] for columna in cursor.description]
        return [dict(zip(columnas, fila, strict=True)) for fila in cursor.fetchall()]


def conservadas(antes: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Today's rows of the same tables, limited to the columns they had (later migrations add some)."""
    return {
        tabla: [{c: f[c] for c in filas_antes[0]} for f in filas(tabla)]
        for tabla, filas_antes in antes.items()
    }


def cambios(antes: list[dict], despues: list[dict]) -> list[tuple[dict, dict]]:
    """The rows whose values changed, as (before, after); no row may appear or vanish."""
    assert [fila["id"] for fila in despues] == [fila["id"] for fila in antes]
    return [(a, d) for a, d in zip(antes, despues, strict=True) if a != d]


@pytest.fixture
def migrador(transactional_db):
    """An executor on the test database, left at the latest migrations whatever the test does."""
    restaurar_datos_de_migraciones()  # an earlier transactional test may have flushed statuses and roles
    executor = MigrationExecutor(connection)
    yield executor
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def sembrar(apps) -> dict:
    """What the old schema held: items with and without history, evidence on disk, reports, rights."""
    modelo = apps.get_model
    estatus = {e.slug: e for e in modelo("convenios", "Estatus").objects.all()}
    ver_informes = modelo("auth", "Permission").objects.get(
        content_type__app_label="convenios", codename="descargar_informe"
    )
    User = modelo("auth", "User")
    capturista = User.objects.create(username="capturista-antigua", password="!")
    grupo = modelo("auth", "Group").objects.create(name="Consulta de informes")
    grupo.permissions.add(ver_informes)
    User.objects.create(username="lectora", password="!").groups.add(grupo)
    User.objects.create(username="directo", password="!").user_permissions.add(ver_informes)

    convenio = modelo("convenios", "Convenio").objects.create(
        nombre="Convenio de datos abiertos", slug="datos-abiertos", fecha_inicio="2025-06-01", objeto="Abrir."
    )
    dependencia = modelo("convenios", "Dependencia").objects.create(nombre="Secretaría de Finanzas")
    parte = modelo("convenios", "Parte").objects.create(convenio=convenio, dependencia=dependencia)
    Compromiso = modelo("convenios", "Compromiso")
    compromiso = Compromiso.objects.create(convenio=convenio, numero=1, texto="Publicar.")
    Compromiso.objects.create(convenio=convenio, numero=2, texto="Capacitar.", responsable=parte)

    comision = modelo("comisiones", "Comision").objects.create(
        nombre="Comisión de Gobierno Abierto",
        slug="gobierno-abierto",
        sistema=modelo("comisiones", "Sistema").objects.create(nombre="Sistema Nacional de Transparencia"),
        tipo=modelo("comisiones", "TipoComision").objects.create(nombre="Ordinaria"),
    )
    Atribucion = modelo("comisiones", "Atribucion")
    atribucion = Atribucion.objects.create(comision=comision, materia="apertura", numero=1, texto="Abrir.")
    Atribucion.objects.create(comision=comision, materia="ambas", numero=2, texto="Coordinar.")

    historiales = [
        (compromiso, modelo("convenios", "Actualizacion"), "en-proceso", "cumplido", PDF),
        (atribucion, modelo("comisiones", "ActualizacionAtribucion"), "pendiente", "incumplido", PNG),
    ]
    for elemento, Historial, primero, segundo, contenido in historiales:
        ruta = f"evidencias/2026/03/{elemento._meta.model_name}-{elemento.pk}.bin"
        assert almacen_privado().save(ruta, ContentFile(contenido)) == ruta
        comun = {elemento._meta.model_name: elemento, "registrado_por": capturista}
        registrado_en = datetime.datetime(2026, 1, 10, 16, tzinfo=datetime.UTC)
        Historial.objects.create(
            **comun, estatus=estatus[primero], fecha_efectiva="2026-01-10", registrado_en=registrado_en
        )
        elemento.ultima_actualizacion = Historial.objects.create(
            **comun,
            estatus=estatus[segundo],
            estatus_anterior=estatus[primero],
            fecha_efectiva="2026-03-01",
            registrado_en=registrado_en + datetime.timedelta(days=52),
            nota="Oficio recibido.",
            evidencia=ruta,
        )
        elemento.version = 2
        elemento.save()

    Informe = modelo("reportes", "InformeEmitido")
    emitido = {"fecha": "2026-03-31", "emitido_por": capturista, "sha256": "ab" * 32}
    Informe.objects.create(tipo="convenio", convenio=convenio, **emitido)
    Informe.objects.create(tipo="comision", comision=comision, **emitido)
    return {"compromiso": compromiso.pk, "atribucion": atribucion.pk}


@pytest.mark.archivos
def test_moving_follow_up_to_its_own_app_keeps_every_row_pointer_file_and_right(migrador):
    """Estatus moved from convenios to seguimiento in Django's state only: a database that already
    holds follow-up data must keep every row, id, pointer, evidence file and granted right."""
    # "seguimiento zero" too: none of the three old leaves depends on it, so migrating to them keeps it.
    migrador.migrate([*ANTES_DE_SEGUIMIENTO, ("seguimiento", None)])
    migrador.loader.build_graph()
    sembrado = sembrar(migrador.loader.project_state(ANTES_DE_SEGUIMIENTO).apps)
    antes = {tabla: filas(tabla) for tabla in TABLAS}
    tipos_antes, permisos_antes = filas("django_content_type"), filas("auth_permission")
    evidencias = {nombre: leer_privado(nombre) for nombre in archivos_privados()}
    assert all(antes.values()) and len(evidencias) == 2

    migrador.migrate(CON_SEGUIMIENTO)
    migrador.loader.build_graph()

    # Every row as it was: ids, estatus_id, estatus_anterior_id, ultima_actualizacion_id, version, paths.
    assert {tabla: filas(tabla) for tabla in TABLAS} == antes
    assert {nombre: leer_privado(nombre) for nombre in archivos_privados()} == evidencias
    # Two rows changed owner, each keeping its id, so nothing that points at them had to change.
    ContentType.objects.clear_cache()
    tipo_estatus = ContentType.objects.get_for_model(Estatus)
    assert cambios(tipos_antes, filas("django_content_type")) == [
        (
            {"id": tipo_estatus.pk, "app_label": "convenios", "model": "estatus"},
            {"id": tipo_estatus.pk, "app_label": "seguimiento", "model": "estatus"},
        )
    ]
    [(permiso_antes, permiso_despues)] = cambios(permisos_antes, filas("auth_permission"))
    assert permiso_antes["content_type_id"] == ContentType.objects.get_for_model(Convenio).pk
    assert permiso_despues == permiso_antes | {
        "content_type_id": ContentType.objects.get(app_label="reportes", model="informeemitido").pk
    }

    # Later migrations add columns; every row keeps every value it had.
    migrador.migrate(migrador.loader.graph.leaf_nodes())
    assert conservadas(antes) == antes

    # The current models read the moved data as pages and reports do.
    estatus = {e.slug: e for e in Estatus.objects.all()}
    en_febrero = datetime.date(2026, 2, 1)
    for Seguible, Historial, anterior, actual, contenido in [
        (Compromiso, Actualizacion, "en-proceso", "cumplido", PDF),
        (Atribucion, ActualizacionAtribucion, "pendiente", "incumplido", PNG),
    ]:
        elemento = Seguible.objects.get(pk=sembrado[Seguible._meta.model_name])
        assert elemento.version == 2
        assert elemento.ultima_actualizacion.estatus == estatus[actual]
        assert elemento.ultima_actualizacion.estatus_anterior == estatus[anterior]
        # The copies of the current update (convenios 0011, comisiones 0009) were filled in from it.
        assert (elemento.estatus_vigente, elemento.fecha_vigente, elemento.nota_vigente) == (
            estatus[actual],
            datetime.date(2026, 3, 1),
            "Oficio recibido.",
        )
        assert not Seguible.objects.desacordes().exists()
        with elemento.ultima_actualizacion.evidencia.open("rb") as archivo:
            assert archivo.read() == contenido
        al_dia = Seguible.objects.con_estatus_al(en_febrero).order_by("numero")
        assert list(al_dia.values_list("estatus_al_id", flat=True)) == [estatus[anterior].pk, None]
        # History stays append-only in the database itself.
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {Historial._meta.db_table} SET nota = 'reescrita'")
    assert conservadas(antes) == antes
    assert Compromiso.objects.get(pk=sembrado["compromiso"]).busqueda == "publicar.\noficio recibido."

    # Whoever could download reports still can, under the permission's new name.
    for nombre in ("lectora", "directo"):
        assert get_user_model().objects.get(username=nombre).has_perm("reportes.descargar_informe")
    for rol in ("Capturista", "Gerente", "Auditor", "Consulta de informes"):
        assert Group.objects.get(name=rol).permissions.filter(codename="descargar_informe").count() == 1
