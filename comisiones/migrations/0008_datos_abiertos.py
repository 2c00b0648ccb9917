"""Open data: a commission is published unless someone unticks it; an update's note is internal unless
its author ticks «Nota pública». On SQLite the history table is rebuilt, so its trigger is made again."""

from django.db import migrations

from seguimiento.migrations._comun import campo_en_historial, nota_publica, publicado


class Migration(migrations.Migration):
    dependencies = [("comisiones", "0007_creado_en")]

    operations = [
        migrations.AddField(model_name="comision", name="publicado", field=publicado("publicada")),
        *campo_en_historial(
            "actualizacionatribucion", "comisiones_actualizacionatribucion", "nota_publica", nota_publica()
        ),
    ]
