"""Commitment updates now point at ``seguimiento.Estatus`` and the catalogue leaves this app's state.

The same table, rows and indexes: only Django's state changes. ``descargar_informe`` leaves the
convenio's permissions (``reportes`` 0002 moves the permission, with every group's grant).
"""

import django.db.models.deletion
from django.db import migrations, models

import seguimiento.evidencias


class Migration(migrations.Migration):
    dependencies = [
        ("convenios", "0005_indices_compromisos"),
        ("seguimiento", "0001_initial"),
        ("comisiones", "0004_estatus_en_seguimiento"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="actualizacion",
                    name="estatus",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="seguimiento.estatus",
                        verbose_name="estatus",
                    ),
                ),
                migrations.AlterField(
                    model_name="actualizacion",
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
                    model_name="actualizacion",
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
                migrations.DeleteModel(name="Estatus"),
            ],
            database_operations=[],
        ),
        migrations.AlterModelOptions(
            name="convenio",
            options={
                "ordering": ["nombre"],
                "permissions": [
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
    ]
