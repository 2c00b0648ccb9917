from django.db import migrations
from django.utils.text import slugify

from seguimiento.migrations._comun import borrar_disparadores_inmutables, crear_disparadores_inmutables

ESTATUS_INICIALES = [
    # (nombre, categoría, orden)
    ("Cumplido", "favorable", 10),
    ("En cumplimiento", "favorable", 20),
    ("En proceso", "en_proceso", 30),
    ("Pendiente", "en_proceso", 40),
    ("Incumplido", "desfavorable", 50),
    ("No aplica", "no_aplica", 60),
]


def crear_estatus(apps, schema_editor):
    Estatus = apps.get_model("convenios", "Estatus")
    for nombre, categoria, orden in ESTATUS_INICIALES:
        Estatus.objects.get_or_create(
            slug=slugify(nombre), defaults={"nombre": nombre, "categoria": categoria, "orden": orden}
        )


def crear_disparadores(apps, schema_editor):
    crear_disparadores_inmutables(schema_editor, "convenios_actualizacion")


def borrar_disparadores(apps, schema_editor):
    borrar_disparadores_inmutables(schema_editor, "convenios_actualizacion")


class Migration(migrations.Migration):
    dependencies = [("convenios", "0001_initial")]

    operations = [
        migrations.RunPython(crear_estatus, migrations.RunPython.noop),
        migrations.RunPython(crear_disparadores, borrar_disparadores),
    ]
