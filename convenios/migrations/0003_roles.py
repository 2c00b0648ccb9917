"""The roles as groups with permissions. Later migrations add permissions as features arrive
(the rights on commission duties are granted by comisiones' own 0003_roles)."""

from django.db import migrations

from seguimiento.migrations._comun import dar_permisos

LECTURA = [
    "view_convenio",
    "view_dependencia",
    "view_parte",
    "view_compromiso",
    "view_actualizacion",
    "view_estatus",
]

ROLES = {
    "Capturista": [*LECTURA, "add_actualizacion", "descargar_informe"],
    "Gerente": [*LECTURA, "descargar_informe", "exportar_compromisos"],
    "Auditor": [*LECTURA, "descargar_informe", "exportar_compromisos"],
}


def crear_roles(apps, schema_editor):
    dar_permisos(apps, "convenios", ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("convenios", "0002_estatus_e_historial_inmutable"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(crear_roles, migrations.RunPython.noop)]
