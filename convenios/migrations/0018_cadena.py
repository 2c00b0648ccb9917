"""Each update is a link of the record's hash chain: its position, its link and the one before it
(filled for the rows already recorded by ``reportes/0006_cadena``, once every chained table exists)."""

from django.db import migrations

from seguimiento.migrations._comun import eslabones


class Migration(migrations.Migration):
    dependencies = [("convenios", "0017_registrado_por"), ("seguimiento", "0005_cadena")]

    operations = eslabones("actualizacion", "convenios_actualizacion")
