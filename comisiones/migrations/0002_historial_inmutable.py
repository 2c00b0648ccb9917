from django.db import migrations

from seguimiento.migrations._comun import borrar_disparadores_inmutables, crear_disparadores_inmutables


def crear_disparadores(apps, schema_editor):
    crear_disparadores_inmutables(schema_editor, "comisiones_actualizacionatribucion")


def borrar_disparadores(apps, schema_editor):
    borrar_disparadores_inmutables(schema_editor, "comisiones_actualizacionatribucion")


class Migration(migrations.Migration):
    dependencies = [("comisiones", "0001_initial"), ("convenios", "0002_estatus_e_historial_inmutable")]

    operations = [migrations.RunPython(crear_disparadores, borrar_disparadores)]
