"""Open data: a convenio is published unless someone unticks it; an update's note is internal unless
its author ticks «Nota pública». On SQLite the history table is rebuilt, so its trigger is made again."""

from django.db import migrations

from seguimiento.migrations._comun import campo_en_historial, nota_publica, publicado


class Migration(migrations.Migration):
    dependencies = [("convenios", "0009_creado_en")]

    operations = [
        migrations.AddField(model_name="convenio", name="publicado", field=publicado("publicado")),
        *campo_en_historial("actualizacion", "convenios_actualizacion", "nota_publica", nota_publica()),
    ]
