"""The roles as groups with permissions. Later migrations add permissions as features arrive
(the rights on commission duties are granted by comisiones' own 0003_roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LECTURA = [
    ("convenios", "view_convenio"),
    ("convenios", "view_dependencia"),
    ("convenios", "view_parte"),
    ("convenios", "view_compromiso"),
    ("convenios", "view_actualizacion"),
    ("convenios", "view_estatus"),
]

ROLES = {
    "Capturista": [
        *LECTURA,
        ("convenios", "add_actualizacion"),
        ("convenios", "descargar_informe"),
    ],
    "Gerente": [*LECTURA, ("convenios", "descargar_informe"), ("convenios", "exportar_compromisos")],
    "Auditor": [*LECTURA, ("convenios", "descargar_informe"), ("convenios", "exportar_compromisos")],
}


def crear_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for nombre, permisos in ROLES.items():
        grupo, _ = Group.objects.get_or_create(name=nombre)
        for app_label, codename in permisos:
            grupo.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("convenios", "0002_estatus_e_historial_inmutable"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(crear_roles, migrations.RunPython.noop)]
