"""The roles as groups with permissions. Later migrations add permissions as features arrive."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LECTURA = [
    ("convenios", "view_convenio"),
    ("convenios", "view_dependencia"),
    ("convenios", "view_parte"),
    ("convenios", "view_compromiso"),
    ("convenios", "view_actualizacion"),
    ("convenios", "view_estatus"),
    ("comisiones", "view_sistema"),
    ("comisiones", "view_tipocomision"),
    ("comisiones", "view_comision"),
    ("comisiones", "view_atribucion"),
    ("comisiones", "view_actualizacionatribucion"),
    ("comisiones", "view_objetivo"),
]

ROLES = {
    "Capturista": [
        *LECTURA,
        ("convenios", "add_actualizacion"),
        ("comisiones", "add_actualizacionatribucion"),
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
        ("comisiones", "0002_historial_inmutable"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(crear_roles, migrations.RunPython.noop)]
