"""PostgreSQL: the duties' history also refuses TRUNCATE, and its triggers fire even in replica mode."""

from django.db import migrations

from seguimiento.migrations._comun import historial_sin_vaciar


class Migration(migrations.Migration):
    dependencies = [("comisiones", "0005_captura_declarada")]

    operations = [historial_sin_vaciar("comisiones_actualizacionatribucion")]
