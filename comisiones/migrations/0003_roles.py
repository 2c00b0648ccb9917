"""The roles' rights on commission duties, granted here (convenios' 0003_roles no longer reaches into
this app). Databases that already have them are left as they are."""

from django.db import migrations

from seguimiento.migrations._comun import dar_permisos

LECTURA = [
    "view_sistema",
    "view_tipocomision",
    "view_comision",
    "view_atribucion",
    "view_actualizacionatribucion",
    "view_objetivo",
]
ROLES = {
    "Capturista": [*LECTURA, "add_actualizacionatribucion"],
    "Gerente": LECTURA,
    "Auditor": LECTURA,
}


def dar_permisos_de_comisiones(apps, schema_editor):
    dar_permisos(apps, "comisiones", ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("comisiones", "0002_historial_inmutable"),
        ("seguimiento", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(dar_permisos_de_comisiones, migrations.RunPython.noop)]
