"""Indexes the home page needs («Cambios recientes»: the latest updates recorded), measured with
bench/inicio.py. The history tables belong to convenios and comisiones; the index serves this page,
so it lives here. PostgreSQL only, as the trigram indexes of convenios/0005."""

from django.db import migrations

# (index, table): newest recorded first, ties by id, as ``tablero.pendientes.cambios_recientes`` sorts.
INDICES = [
    ("actualizacion_registro_idx", "convenios_actualizacion"),
    ("act_atribucion_registro_idx", "comisiones_actualizacionatribucion"),
]


def crear(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for nombre, tabla in INDICES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {nombre} ON {tabla} (registrado_en DESC, id DESC)")


def borrar(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for nombre, _tabla in INDICES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {nombre}")


class Migration(migrations.Migration):
    dependencies = [
        ("convenios", "0009_creado_en"),
        ("comisiones", "0007_creado_en"),
    ]

    operations = [migrations.RunPython(crear, borrar)]
