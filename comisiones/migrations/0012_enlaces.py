"""The Enlace role's links to commissions and its right to read them (only those it is linked to:
``visibles_para``); it records nothing."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from seguimiento.migrations._comun import dar_permisos

ENLACE = {
    "Enlace": [
        "view_sistema",
        "view_tipocomision",
        "view_comision",
        "view_atribucion",
        "view_actualizacionatribucion",
        "view_objetivo",
    ]
}


def dar_permisos_al_enlace(apps, schema_editor):
    dar_permisos(apps, "comisiones", ENLACE)


class Migration(migrations.Migration):
    dependencies = [
        ("comisiones", "0011_nota_busqueda"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="EnlaceComision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "creado_en",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        help_text="Lo asigna el sistema al crearlo.",
                        verbose_name="creado en",
                    ),
                ),
                (
                    "comision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="enlaces",
                        to="comisiones.comision",
                        verbose_name="comisión",
                    ),
                ),
                (
                    "usuario",
                    models.ForeignKey(
                        limit_choices_to={"groups__name": "Enlace"},
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="enlaces_comision",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="enlace",
                    ),
                ),
            ],
            options={
                "verbose_name": "enlace de la comisión",
                "verbose_name_plural": "enlaces de la comisión",
                "ordering": ["comision", "usuario"],
                "constraints": [
                    models.UniqueConstraint(fields=("usuario", "comision"), name="enlace_comision_unico")
                ],
            },
        ),
        migrations.RunPython(dar_permisos_al_enlace, migrations.RunPython.noop),
    ]
