"""PostgreSQL: the commitments' history also refuses TRUNCATE, and its triggers fire even in replica mode."""

from django.db import migrations

from seguimiento.migrations._comun import historial_sin_vaciar


class Migration(migrations.Migration):
    dependencies = [("convenios", "0007_captura_declarada")]

    operations = [historial_sin_vaciar("convenios_actualizacion")]
