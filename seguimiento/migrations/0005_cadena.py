"""The head of the record's hash chain (``seguimiento.integridad``), and on PostgreSQL the recording
moment's rule as a function the chain can ask before inserting (``momento_de_registro``)."""

from django.db import migrations, models

from seguimiento.migrations._comun import momento_de_registro


class Migration(migrations.Migration):
    dependencies = [
        ("seguimiento", "0004_solo_lo_vinculado"),
    ]

    operations = [
        migrations.CreateModel(
            name="CabezaDeCadena",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("eslabon", models.PositiveBigIntegerField(default=0, verbose_name="eslabones")),
                ("huella", models.CharField(blank=True, default="", max_length=64, verbose_name="huella")),
                ("tabla", models.CharField(blank=True, default="", max_length=100, verbose_name="tabla")),
                ("fila", models.BigIntegerField(blank=True, null=True, verbose_name="fila")),
                ("momento", models.DateTimeField(blank=True, null=True, verbose_name="momento")),
            ],
            options={
                "verbose_name": "cabeza de la cadena",
                "verbose_name_plural": "cabeza de la cadena",
            },
        ),
        momento_de_registro(),
    ]
