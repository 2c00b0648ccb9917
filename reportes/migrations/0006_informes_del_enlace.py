"""An Enlace downloads the reports of its own convenios and commissions (``Reporte.obtener`` narrows
them with ``visibles_para``; the consolidated report is not for it)."""

from django.db import migrations

from seguimiento.migrations._comun import dar_permisos


def dar(apps, schema_editor):
    dar_permisos(apps, "reportes", {"Enlace": ["descargar_informe"]})


class Migration(migrations.Migration):
    dependencies = [
        ("reportes", "0005_registro_inmutable"),
        ("convenios", "0015_enlaces"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(dar, migrations.RunPython.noop)]
