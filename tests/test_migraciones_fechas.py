"""This round's migrations, run backwards and forwards on data: rows that predate ``creado_en`` are
dated so that every report issued before still includes them, and the TRUNCATE trigger comes and goes."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from comisiones.models import Atribucion
from convenios.models import Compromiso, Convenio, Parte
from seguimiento.models import modelos_de_solo_anexion

from .conftest import momento, restaurar_datos_de_migraciones

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor

ANTES = [
    ("convenios", "0006_estatus_en_seguimiento"),
    ("comisiones", "0004_estatus_en_seguimiento"),
    ("reportes", "0002_permiso_descargar_informe"),
    ("seguimiento", "0001_initial"),
]


def migrar(destino=None):
    executor = MigrationExecutor(connection)
    executor.migrate(destino or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(destino).apps if destino else None


def disparadores_de_vaciado() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE '%%_no_vaciable' ORDER BY 1")
        return [fila[0] for fila in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_rows_that_predate_creado_en_get_the_first_recorded_moment_and_migrations_reverse():
    restaurar_datos_de_migraciones()
    try:
        viejo = migrar(ANTES)
        assert disparadores_de_vaciado() == []
        convenio = viejo.get_model("convenios", "Convenio").objects.create(
            nombre="Convenio anterior",
            slug="convenio-anterior",
            fecha_inicio=datetime.date(2019, 1, 1),
            objeto="x",
        )
        dependencia = viejo.get_model("convenios", "Dependencia").objects.create(
            nombre="Dependencia anterior"
        )
        viejo.get_model("convenios", "Parte").objects.create(convenio=convenio, dependencia=dependencia)
        compromiso = viejo.get_model("convenios", "Compromiso").objects.create(
            convenio=convenio, numero=1, texto="Compromiso anterior."
        )
        estatus = viejo.get_model("seguimiento", "Estatus").objects.get(slug="pendiente")
        viejo.get_model("convenios", "Actualizacion").objects.create(
            compromiso=compromiso,
            estatus=estatus,
            fecha_efectiva=datetime.date(2020, 1, 1),
            registrado_en=momento(2020, 3, 1, 9),
        )
        usuario = viejo.get_model("auth", "User").objects.create(username="emisor")
        viejo.get_model("reportes", "InformeEmitido").objects.create(
            tipo="consolidado",
            fecha=datetime.date(2020, 1, 1),
            emitido_por=usuario,
            emitido_en=momento(2020, 2, 1, 12),
        )
        comision = viejo.get_model("comisiones", "Comision").objects.create(
            sistema=viejo.get_model("comisiones", "Sistema").objects.create(nombre="SNT"),
            tipo=viejo.get_model("comisiones", "TipoComision").objects.create(nombre="Ordinaria"),
            nombre="Comisión anterior",
            slug="comision-anterior",
        )
        viejo.get_model("comisiones", "Atribucion").objects.create(
            comision=comision, materia="apertura", numero=1, texto="Atribución anterior."
        )

        migrar()

        primero = momento(2020, 2, 1, 12)  # the issued report, earlier than any update
        for modelo in (Convenio, Parte, Compromiso, Atribucion):
            assert list(modelo.objects.values_list("creado_en", flat=True)) == [primero], modelo
        if connection.vendor == "postgresql":
            # Every append-only table (histories, proposals and decisions, extensions, text versions).
            solo_anexion = [m._meta.db_table for m in modelos_de_solo_anexion()]
            solo_anexion.append("seguimiento_versiontexto")
            assert disparadores_de_vaciado() == sorted(f"{tabla}_no_vaciable" for tabla in solo_anexion)
        nuevo = Convenio.objects.create(
            nombre="Nuevo", slug="nuevo", fecha_inicio=datetime.date(2024, 1, 1), objeto="x"
        )
        assert nuevo.creado_en > primero
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE convenios_actualizacion SET nota = 'reescrita'")
    finally:
        migrar()
