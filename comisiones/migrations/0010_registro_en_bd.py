"""The database keeps the facts of the record against SQL too: a duty update's recording moment is
the database's, and a duty's copies of its current update are those of one of its own updates."""

from django.db import migrations

from seguimiento.migrations._comun import copias_fieles, registro_del_sistema


class Migration(migrations.Migration):
    dependencies = [("comisiones", "0009_vigente")]

    operations = [
        registro_del_sistema("comisiones_actualizacionatribucion"),
        copias_fieles("comisiones_atribucion", "comisiones_actualizacionatribucion", "atribucion_id"),
    ]
