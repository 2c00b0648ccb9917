"""Indexes the commitments page needs (convenios:compromisos), measured with bench/compromisos.py."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("convenios", "0003_roles")]

    operations = [
        # The default order (convenio name, number) reads convenios in name order and their
        # commitments by the (convenio, numero) unique index, so the first page stops after 50 rows.
        migrations.AddIndex(
            model_name="convenio",
            index=models.Index(fields=["nombre", "id"], name="convenio_nombre_idx"),
        ),
        # "Vencidos" and sorting by due date.
        migrations.AddIndex(
            model_name="compromiso",
            index=models.Index(fields=["fecha_limite"], name="compromiso_fecha_limite_idx"),
        ),
        # Stale filter and sorting by effective date: walk current updates in date order.
        migrations.AddIndex(
            model_name="actualizacion",
            index=models.Index(fields=["fecha_efectiva"], name="actualizacion_fecha_idx"),
        ),
    ]
