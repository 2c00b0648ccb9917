"""Gerente and Auditor see the whole register of issued reports on the reports page (everyone else,
their own): the model's view permission, which is what «see the register» means."""

from django.db import migrations

from seguimiento.migrations._comun import dar_permisos


def dar(apps, schema_editor):
    dar_permisos(apps, "reportes", {"Gerente": ["view_informeemitido"], "Auditor": ["view_informeemitido"]})


class Migration(migrations.Migration):
    dependencies = [
        ("reportes", "0003_informe_archivado"),
        ("convenios", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(dar, migrations.RunPython.noop)]
