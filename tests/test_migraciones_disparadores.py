"""Migrations keep the promises of the schema: history tables stay append-only in the database.

On SQLite, Django applies most field changes by copying the table into a new one, which drops its
triggers silently; a migration that may do so must put the trigger back, in both directions.
"""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from seguimiento.models import Estatus

from .conftest import restaurar_datos_de_migraciones
from .factories import AtribucionFactory, CompromisoFactory, registrar_actualizacion

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor

HISTORIALES = {
    "convenios_actualizacion": (CompromisoFactory, ("convenios", "0006_estatus_en_seguimiento")),
    "comisiones_actualizacionatribucion": (AtribucionFactory, ("comisiones", "0004_estatus_en_seguimiento")),
}


def migrar(destino: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(destino)


def ultimas() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def rechaza_update(tabla: str, pk: int) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {tabla} SET nota = 'reescrita' WHERE id = %s", [pk])
    except DatabaseError:
        return True
    return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tabla", HISTORIALES)
def test_the_declared_capture_migration_keeps_history_append_only_both_ways(tabla):
    restaurar_datos_de_migraciones()
    fabrica, anterior = HISTORIALES[tabla]
    actualizacion = registrar_actualizacion(
        fabrica(), estatus=Estatus.objects.get(slug="pendiente"), fecha_efectiva=datetime.date(2021, 1, 1)
    )
    assert rechaza_update(tabla, actualizacion.pk), "el disparador existe tras migrar la base de pruebas"

    migrar([anterior])  # unapply the migration that adds the declared capture fields
    assert rechaza_update(tabla, actualizacion.pk), "el disparador sigue tras revertirla"

    migrar(ultimas())  # and apply it again, on a table with rows
    assert rechaza_update(tabla, actualizacion.pk), "el disparador sigue tras volver a aplicarla"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nota, capturado_por_declarado FROM {tabla} WHERE id = %s", [actualizacion.pk])
        assert cursor.fetchone() == ("", "")


# The migrations that add «nota pública» (and «publicado» on the containers), and the one before each.
NOTA_PUBLICA = {
    "convenios_actualizacion": (CompromisoFactory, ("convenios", "0009_creado_en")),
    "comisiones_actualizacionatribucion": (AtribucionFactory, ("comisiones", "0007_creado_en")),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tabla", NOTA_PUBLICA)
def test_the_public_note_migration_keeps_history_append_only_both_ways(tabla):
    restaurar_datos_de_migraciones()
    fabrica, anterior = NOTA_PUBLICA[tabla]
    actualizacion = registrar_actualizacion(
        fabrica(), estatus=Estatus.objects.get(slug="pendiente"), fecha_efectiva=datetime.date(2021, 1, 1)
    )
    assert rechaza_update(tabla, actualizacion.pk), "el disparador existe tras migrar la base de pruebas"

    migrar([anterior])
    assert rechaza_update(tabla, actualizacion.pk), "el disparador sigue tras revertirla"

    migrar(ultimas())
    assert rechaza_update(tabla, actualizacion.pk), "el disparador sigue tras volver a aplicarla"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nota, nota_publica FROM {tabla} WHERE id = %s", [actualizacion.pk])
        assert cursor.fetchone() in {("", False), ("", 0)}  # the existing row kept, its note internal


@pytest.mark.django_db(transaction=True)
def test_the_content_hash_migration_keeps_the_issued_reports_register_append_only_both_ways():
    """reportes/0006 adds a column, which SQLite applies by copying the table."""
    from reportes.models import InformeEmitido

    from .factories import UsuarioFactory

    restaurar_datos_de_migraciones()
    informe = InformeEmitido.objects.create(
        tipo=InformeEmitido.Tipo.CONSOLIDADO,
        fecha=datetime.date(2021, 1, 1),
        emitido_por=UsuarioFactory(),
        sha256_contenido="a" * 64,
    )

    def rechaza(asignacion: str) -> bool:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"UPDATE reportes_informeemitido SET {asignacion} WHERE id = %s", [informe.pk])
        except DatabaseError:
            return True
        return False

    assert rechaza("fecha = '2020-01-01'") and rechaza(f"sha256_contenido = '{'b' * 64}'")
    migrar([("reportes", "0007_cadena")])
    assert rechaza("fecha = '2020-01-01'"), "el disparador sigue tras revertirla"
    migrar(ultimas())
    assert rechaza("fecha = '2020-01-01'") and rechaza(f"sha256_contenido = '{'b' * 64}'")
