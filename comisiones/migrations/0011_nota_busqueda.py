"""A duty update's note stored without accents, for searching the history (``q_historial``)."""

from django.db import migrations

from seguimiento.migrations._comun import nota_para_buscar


class Migration(migrations.Migration):
    dependencies = [("comisiones", "0010_registro_en_bd"), ("seguimiento", "0003_sin_acentos")]

    operations = nota_para_buscar("actualizacionatribucion", "comisiones_actualizacionatribucion")
