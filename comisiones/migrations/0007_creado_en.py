"""Duties get a system-assigned creation time; see ``agregar_creado_en`` for the value the rows that
already exist get. No history table is touched."""

from django.db import migrations

from seguimiento.migrations._comun import agregar_creado_en


class Migration(migrations.Migration):
    dependencies = [("comisiones", "0006_historial_sin_vaciar")]

    operations = agregar_creado_en("comisiones", ["atribucion"])
