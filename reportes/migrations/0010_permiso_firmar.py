"""Gerente signs issued reports with e.firma (``firmar_informe``); the superuser, as always, too."""

from django.db import migrations

from seguimiento.migrations._comun import dar_permisos


def dar(apps, schema_editor):
    dar_permisos(apps, "reportes", {"Gerente": ["firmar_informe"]})


class Migration(migrations.Migration):
    dependencies = [
        ("reportes", "0009_firma"),
        ("convenios", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="informeemitido",
            options={
                "ordering": ["-emitido_en", "-pk"],
                "permissions": [
                    ("descargar_informe", "Puede descargar informes de seguimiento"),
                    ("firmar_informe", "Puede firmar con e.firma los informes emitidos"),
                ],
                "verbose_name": "informe emitido",
                "verbose_name_plural": "informes emitidos",
            },
        ),
        migrations.RunPython(dar, migrations.RunPython.noop),
    ]
