"""The content's hash of an issued report (without folio, code or time), one folio per person and
content; on SQLite the register's append-only trigger is put back after Django copies the table, and
covers the new column (PostgreSQL's compares the whole row already)."""

from django.conf import settings
from django.db import migrations, models

from seguimiento.migrations._comun import COLUMNAS_FIJAS_DE_INFORMES, disparador_sqlite_de_informes


def con_contenido(apps, schema_editor):
    disparador_sqlite_de_informes(schema_editor, (*COLUMNAS_FIJAS_DE_INFORMES, "sha256_contenido"))


def sin_contenido(apps, schema_editor):
    disparador_sqlite_de_informes(schema_editor)


def sin_disparador(apps, schema_editor):
    """Reversing: SQLite refuses to drop a column its trigger names, so the trigger goes first."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS reportes_informeemitido_inmutable;")


class Migration(migrations.Migration):
    dependencies = [
        ("reportes", "0007_cadena"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Reversing runs this last, after the field's removal has copied the table.
        migrations.RunPython(migrations.RunPython.noop, sin_contenido),
        migrations.AddField(
            model_name="informeemitido",
            name="sha256_contenido",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text=(
                    "Del informe sin folio, código ni hora: la misma persona que pide el mismo contenido "
                    "recibe este informe otra vez. Vacío en los emitidos antes de compararlos."
                ),
                max_length=64,
                verbose_name="SHA-256 del contenido",
            ),
        ),
        migrations.AddConstraint(
            model_name="informeemitido",
            constraint=models.UniqueConstraint(
                condition=~models.Q(sha256_contenido=""),
                fields=("emitido_por", "sha256_contenido"),
                name="informe_unico_por_emisor_y_contenido",
            ),
        ),
        migrations.RunPython(con_contenido, sin_disparador),
    ]
