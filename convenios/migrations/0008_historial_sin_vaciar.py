"""PostgreSQL: the commitments' history also refuses TRUNCATE, and its triggers fire even in replica mode."""

from django.db import migrations

from seguimiento.migrations._comun import borrar_disparador_sin_vaciar, crear_disparador_sin_vaciar

TABLA = "convenios_actualizacion"


def crear(apps, schema_editor):
    crear_disparador_sin_vaciar(schema_editor, TABLA)


def borrar(apps, schema_editor):
    borrar_disparador_sin_vaciar(schema_editor, TABLA)


class Migration(migrations.Migration):
    dependencies = [("convenios", "0007_captura_declarada")]

    operations = [migrations.RunPython(crear, borrar)]
