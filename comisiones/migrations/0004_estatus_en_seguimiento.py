"""Duty updates now point at ``seguimiento.Estatus``: the same table, so only Django's state changes."""

import django.db.models.deletion
from django.db import migrations, models

import seguimiento.evidencias


class Migration(migrations.Migration):
    dependencies = [("comisiones", "0003_roles"), ("seguimiento", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="actualizacionatribucion",
                    name="estatus",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="seguimiento.estatus",
                        verbose_name="estatus",
                    ),
                ),
                migrations.AlterField(
                    model_name="actualizacionatribucion",
                    name="estatus_anterior",
                    field=models.ForeignKey(
                        blank=True,
                        editable=False,
                        help_text="El estatus vigente cuando se registró esta actualización.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="seguimiento.estatus",
                        verbose_name="estatus anterior",
                    ),
                ),
                migrations.AlterField(
                    model_name="actualizacionatribucion",
                    name="evidencia",
                    field=models.FileField(
                        blank=True,
                        max_length=255,
                        storage=seguimiento.evidencias.almacen_privado,
                        upload_to="evidencias/%Y/%m/",
                        validators=[seguimiento.evidencias.validar_evidencia],
                        verbose_name="evidencia (archivo)",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
