"""The Importador role: may load convenios, commitments and status updates from files."""

from django.db import migrations

LECTURA = [
    ("convenios", "view_convenio"),
    ("convenios", "view_dependencia"),
    ("convenios", "view_parte"),
    ("convenios", "view_compromiso"),
    ("convenios", "view_actualizacion"),
    ("convenios", "view_estatus"),
]
PERMISO = ("importar_datos", "Puede importar convenios, compromisos y actualizaciones desde archivos")
ROLES = {
    "Importador": [
        *LECTURA,
        ("convenios", PERMISO[0]),
        ("convenios", "exportar_compromisos"),
        ("convenios", "descargar_informe"),
    ]
}


def crear_rol(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    tipo, _ = ContentType.objects.get_or_create(app_label="convenios", model="convenio")
    Permission.objects.get_or_create(content_type=tipo, codename=PERMISO[0], defaults={"name": PERMISO[1]})
    for nombre, permisos in ROLES.items():
        grupo, _ = Group.objects.get_or_create(name=nombre)
        for app_label, codename in permisos:
            grupo.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def borrar_rol(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Importador").delete()
    apps.get_model("auth", "Permission").objects.filter(codename=PERMISO[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("convenios", "0003_roles")]

    operations = [
        migrations.AlterModelOptions(
            name="convenio",
            options={
                "ordering": ["nombre"],
                "permissions": [
                    ("descargar_informe", "Puede descargar informes de seguimiento"),
                    ("exportar_compromisos", "Puede exportar compromisos"),
                    (
                        "importar_datos",
                        "Puede importar convenios, compromisos y actualizaciones desde archivos",
                    ),
                ],
                "verbose_name": "convenio",
                "verbose_name_plural": "convenios",
            },
        ),
        migrations.RunPython(crear_rol, borrar_rol),
    ]
