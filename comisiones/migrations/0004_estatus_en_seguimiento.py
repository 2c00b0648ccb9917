"""Duty updates now point at ``seguimiento.Estatus``: the same table, so only Django's state changes."""

from django.db import migrations

from seguimiento.migrations._comun import estatus_en_seguimiento


class Migration(migrations.Migration):
    dependencies = [("comisiones", "0003_roles"), ("seguimiento", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=estatus_en_seguimiento("actualizacionatribucion"), database_operations=[]
        ),
    ]
