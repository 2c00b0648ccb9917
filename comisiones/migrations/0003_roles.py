"""The roles' rights on commission duties, granted here (convenios' 0003_roles no longer reaches into
this app). Databases that already have them are left as they are."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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


def dar_permisos(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    app_config = apps.get_app_config("comisiones")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for nombre, codenames in ROLES.items():
        grupo, _ = Group.objects.get_or_create(name=nombre)
        grupo.permissions.add(
            *Permission.objects.filter(content_type__app_label="comisiones", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comisiones", "0002_historial_inmutable"),
        ("seguimiento", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(dar_permisos, migrations.RunPython.noop)]
