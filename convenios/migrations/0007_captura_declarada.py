"""What an imported file declares about who captured an update and when, apart from who recorded
it and when (the system's facts). On SQLite the table is rebuilt, so its trigger is made again."""

from django.db import migrations

from seguimiento.migrations._comun import captura_declarada


class Migration(migrations.Migration):
    dependencies = [("convenios", "0006_estatus_en_seguimiento")]

    operations = captura_declarada("actualizacion", "convenios_actualizacion")
