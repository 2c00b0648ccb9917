"""The Enlace role (an institution's liaison) and its links to institutions. It reads convenios and
commitments (only those its links reach: ``visibles_para``); it records nothing."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from seguimiento.migrations._comun import dar_permisos

ENLACE = {
    "Enlace": ["view_convenio", "view_dependencia", "view_parte", "view_compromiso", "view_actualizacion"]
}


def dar_permisos_al_enlace(apps, schema_editor):
    dar_permisos(apps, "convenios", ENLACE)


class Migration(migrations.Migration):
    dependencies = [
        ("convenios", "0014_nota_busqueda"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="EnlaceDependencia",
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
                    "dependencia",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="enlaces",
                        to="convenios.dependencia",
                        verbose_name="dependencia",
                    ),
                ),
                (
                    "usuario",
                    models.ForeignKey(
                        limit_choices_to={"groups__name": "Enlace"},
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="enlaces_dependencia",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="enlace",
                    ),
                ),
            ],
            options={
                "verbose_name": "enlace de la dependencia",
                "verbose_name_plural": "enlaces de la dependencia",
                "ordering": ["dependencia", "usuario"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("usuario", "dependencia"), name="enlace_dependencia_unico"
                    )
                ],
            },
        ),
        migrations.RunPython(dar_permisos_al_enlace, migrations.RunPython.noop),
    ]
