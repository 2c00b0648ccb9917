"""A commitment update's note stored without accents, so searching the history (``q_historial``)
compares one stored column instead of normalising 50,000 notes on every search (a common word took
97 ms, 0.66 × the admin's search; measured with bench/compromisos.py)."""

from django.db import migrations

from seguimiento.migrations._comun import nota_para_buscar


class Migration(migrations.Migration):
    dependencies = [("convenios", "0013_busqueda_sin_acentos"), ("seguimiento", "0003_sin_acentos")]

    operations = nota_para_buscar(
        "actualizacion", "convenios_actualizacion", indice_anterior="actualizacion_nota_sin_acentos"
    )
