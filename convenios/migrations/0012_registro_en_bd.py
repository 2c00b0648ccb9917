"""The database keeps the facts of the record against SQL too: a commitment update's recording moment
is the database's, a commitment's copies of its current update are those of one of its own updates,
and a status used in any history (commitments' or duties') keeps its key and category.

The status table is ``convenios_estatus`` (``seguimiento.Estatus`` took it over without moving it),
so its trigger is created here, after both histories exist."""

from django.db import migrations

from seguimiento.migrations._comun import copias_fieles, estatus_fijo_en_uso, registro_del_sistema


class Migration(migrations.Migration):
    dependencies = [("convenios", "0011_vigente"), ("comisiones", "0009_vigente")]

    operations = [
        registro_del_sistema("convenios_actualizacion"),
        copias_fieles("convenios_compromiso", "convenios_actualizacion", "compromiso_id"),
        estatus_fijo_en_uso(["convenios_actualizacion", "comisiones_actualizacionatribucion"]),
    ]
