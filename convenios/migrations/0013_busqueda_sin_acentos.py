"""The commitments' search column stored without accents (``sin_acentos``, ``seguimiento/0003``), so
``q`` compares one stored column with the query normalised once, instead of normalising every row on
every search (a common word, found in most commitments, cost 2–3 times as much).

Django cannot change a generated column's expression: the column is dropped and added again, which
on PostgreSQL drops its trigram index (made again here) and on SQLite rebuilds the table, dropping
its trigger on the current-status copies (made again here)."""

from django.db import migrations, models
from django.db.models.functions import Concat

from seguimiento.busqueda import SinAcentos
from seguimiento.migrations._comun import copias_fieles

COPIAS = copias_fieles("convenios_compromiso", "convenios_actualizacion", "compromiso_id")


def texto_de_busqueda() -> models.GeneratedField:
    return models.GeneratedField(
        db_persist=True,
        expression=SinAcentos(
            Concat("texto", models.Value("\n"), "nota_vigente", output_field=models.TextField())
        ),
        output_field=models.TextField(),
        verbose_name="texto de búsqueda",
    )


def rehacer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS compromiso_busqueda_trgm ON convenios_compromiso "
            "USING gin (busqueda gin_trgm_ops)"
        )
    elif schema_editor.connection.vendor == "sqlite":
        COPIAS.reverse_code(apps, schema_editor)  # DROP TRIGGER IF EXISTS
        COPIAS.code(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("convenios", "0012_registro_en_bd"), ("seguimiento", "0003_sin_acentos")]

    operations = [
        # Reversing runs this last, after the column was added back as convenios/0011 made it.
        migrations.RunPython(migrations.RunPython.noop, rehacer),
        migrations.RemoveField(model_name="compromiso", name="busqueda"),
        migrations.AddField(model_name="compromiso", name="busqueda", field=texto_de_busqueda()),
        migrations.RunPython(rehacer, migrations.RunPython.noop),
    ]
