"""A commitment keeps copies of its current update's status, date and note, and ``busqueda``: its
text and current note lower-cased by the database, for the commitments page's ``q``."""

from django.db import migrations, models
from django.db.models.functions import Concat, Lower

from seguimiento.migrations._comun import copias_vigentes


def indexar_busqueda(apps, schema_editor):
    """PostgreSQL: a trigram index for rare words (a common one is read faster by a plain scan).

    No ``ANALYZE`` here, though a search is planned badly until the new column has statistics: on a
    new database the table is empty, and statistics that say «0 rows» (rather than «never measured»)
    make the foreign-key checks of a later large load scan the whole table once per row (quadratic:
    4,000 commitments and 20,000 updates took 15 s to commit instead of 0.5 s). The statistics come
    from the bulk loads, which analyse what they wrote (``seguimiento.services.analizar_tras_carga``),
    and from autovacuum."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX compromiso_busqueda_trgm ON convenios_compromiso USING gin (busqueda gin_trgm_ops)"
    )


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
