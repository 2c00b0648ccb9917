"""A commission duty keeps copies of its current update's status, date and note."""

from django.db import migrations

from seguimiento.migrations._comun import copias_vigentes


class Migration(migrations.Migration):
    dependencies = [("comisiones", "0008_datos_abiertos"), ("seguimiento", "0002_estatus_retirado")]

    operations = copias_vigentes("comisiones", "atribucion")
