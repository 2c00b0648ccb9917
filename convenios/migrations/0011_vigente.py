"""A commitment keeps copies of its current update's status, date and note, and ``busqueda``: its
text and current note lower-cased by the database, for the commitments page's ``q``."""

from django.db import migrations, models
from django.db.models.functions import Concat, Lower

from seguimiento.migrations._comun import copias_vigentes


def indexar_busqueda(apps, schema_editor):
    """PostgreSQL: a trigram index for rare words (a common one is read faster by a plain scan), and
    the table's statistics, which a new column lacks: without them the planner guesses that a search
    matches 3 rows and joins the thousands it does match the slow way (measured: 136 ms, 1.4 ms after)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX compromiso_busqueda_trgm ON convenios_compromiso USING gin (busqueda gin_trgm_ops)"
    )
    schema_editor.execute("ANALYZE convenios_compromiso")


def borrar_indice(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS compromiso_busqueda_trgm")


class Migration(migrations.Migration):
    dependencies = [("convenios", "0010_datos_abiertos"), ("seguimiento", "0002_estatus_retirado")]

    operations = [
        *copias_vigentes("convenios", "compromiso"),
        migrations.AddField(
            model_name="compromiso",
            name="busqueda",
            field=models.GeneratedField(
                db_persist=True,
                expression=Lower(
                    Concat("texto", models.Value("\n"), "nota_vigente", output_field=models.TextField())
                ),
                output_field=models.TextField(),
                verbose_name="texto de búsqueda",
            ),
        ),
        migrations.RunPython(indexar_busqueda, borrar_indice),
    ]
