"""A status can be retired from new updates instead of deleted (history keeps pointing at it).

Only ``convenios_estatus`` changes; on SQLite Django rebuilds that table, which has no triggers.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("seguimiento", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="estatus",
            name="retirado",
            field=models.BooleanField(
                default=False,
                help_text="Un estatus retirado ya no se ofrece para nuevas actualizaciones; el historial y los informes lo siguen mostrando.",
                verbose_name="retirado",
            ),
        ),
    ]
