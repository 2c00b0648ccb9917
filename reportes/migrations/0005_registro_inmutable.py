"""The register of issued reports is append-only in the database: only the PDF's hash and kept file,
empty when the row is written, are filled in once (``_comun.INFORME_SE_COMPLETA_AL_EMITIR``)."""

from django.db import migrations

from seguimiento.migrations._comun import INFORME_SE_COMPLETA_AL_EMITIR, registro_de_informes_inmutable


class Migration(migrations.Migration):
    dependencies = [("reportes", "0004_registro_para_gerente_y_auditor")]

    operations = [registro_de_informes_inmutable(INFORME_SE_COMPLETA_AL_EMITIR)]
