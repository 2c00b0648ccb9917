"""Each issued report keeps its PDF (private storage). Reports issued before have none:
``manage.py archivar_informes`` archives those that today's history still redraws byte for byte."""

from django.db import migrations

from seguimiento.migrations._comun import pdf_archivado


class Migration(migrations.Migration):
    dependencies = [("reportes", "0002_permiso_descargar_informe")]

    operations = [pdf_archivado()]
