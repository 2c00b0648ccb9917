"""The permission that marks the Enlace role (``es_enlace``): it reads only what its links reach; and
the status catalogue, which its forms and the API offer."""

from django.db import migrations

from seguimiento.migrations._comun import dar_permisos


def marcar_al_enlace(apps, schema_editor):
    dar_permisos(apps, "seguimiento", {"Enlace": ["solo_lo_vinculado", "view_estatus"]})


class Migration(migrations.Migration):
    dependencies = [
        ("seguimiento", "0003_sin_acentos"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="estatus",
            options={
                "ordering": ["orden", "nombre"],
                "permissions": [("solo_lo_vinculado", "Lee solo lo vinculado (rol Enlace)")],
                "verbose_name": "estatus",
                "verbose_name_plural": "estatus",
            },
        ),
        migrations.RunPython(marcar_al_enlace, migrations.RunPython.noop),
    ]
