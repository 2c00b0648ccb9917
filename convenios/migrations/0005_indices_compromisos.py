"""Indexes the commitments page needs (convenios:compromisos), measured with bench/compromisos.py."""

from django.db import migrations, models

# Free text (icontains → UPPER(col) LIKE UPPER('%…%')) over 10,000 texts and 50,000 notes: trigram
# indexes on the same expression. PostgreSQL only; pg_trgm is a trusted extension (PostgreSQL 13+).
TRIGRAMAS = [
    ("compromiso_texto_trgm", "convenios_compromiso", "texto"),
    ("actualizacion_nota_trgm", "convenios_actualizacion", "nota"),
]


def crear_trigramas(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for nombre, tabla, columna in TRIGRAMAS:
        schema_editor.execute(f"CREATE INDEX {nombre} ON {tabla} USING gin (UPPER({columna}) gin_trgm_ops)")


def borrar_trigramas(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for nombre, _tabla, _columna in TRIGRAMAS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {nombre}")


class Migration(migrations.Migration):
    dependencies = [("convenios", "0004_rol_importador")]

    operations = [
        # The default order (convenio name, number) reads convenios in name order and their
        # commitments by the (convenio, numero) unique index, so the first page stops after 50 rows.
        migrations.AddIndex(
            model_name="convenio",
            index=models.Index(fields=["nombre", "id"], name="convenio_nombre_idx"),
        ),
        # "Vencidos" and sorting by due date.
        migrations.AddIndex(
            model_name="compromiso",
            index=models.Index(fields=["fecha_limite"], name="compromiso_fecha_limite_idx"),
        ),
        migrations.RunPython(crear_trigramas, borrar_trigramas),
    ]
