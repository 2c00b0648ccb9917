"""Commitment updates now point at ``seguimiento.Estatus`` and the catalogue leaves this app's state.

The same table, rows and indexes: only Django's state changes. ``descargar_informe`` leaves the
convenio's permissions (``reportes`` 0002 moves the permission, with every group's grant).
"""

from django.db import migrations

from seguimiento.migrations._comun import estatus_en_seguimiento


class Migration(migrations.Migration):
    dependencies = [
        ("convenios", "0005_indices_compromisos"),
        ("seguimiento", "0001_initial"),
        ("comisiones", "0004_estatus_en_seguimiento"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                *estatus_en_seguimiento("actualizacion"),
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
