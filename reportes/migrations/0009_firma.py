"""The e.firma signature on the register of issued reports (issue 23)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import seguimiento.evidencias
from seguimiento.migrations._comun import (
    COLUMNAS_FIJAS_DE_INFORMES,
    INFORME_SE_COMPLETA,
    INFORME_SE_COMPLETA_AL_EMITIR,
    registro_de_informes_inmutable,
)

# The append-only trigger is made again around the new columns, which it lets fill in once
# (SQLite rebuilds the table to add them, dropping its triggers).
# On SQLite the fixed columns are named: those of the register so far (its content's hash, its link).
FIJAS = (
    *COLUMNAS_FIJAS_DE_INFORMES,
    "sha256_contenido",
    "eslabon",
    "huella",
    "huella_anterior",
    "cadena_al_emitir",
)
ANTERIOR = registro_de_informes_inmutable(INFORME_SE_COMPLETA_AL_EMITIR, FIJAS)


class Migration(migrations.Migration):
    dependencies = [
        ("reportes", "0008_contenido_emitido_una_vez"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(ANTERIOR.reverse_code, ANTERIOR.code),
        migrations.AddField(
            model_name="informeemitido",
            name="archivo_firmado",
            field=models.FileField(
                blank=True,
                editable=False,
                max_length=255,
                storage=seguimiento.evidencias.almacen_privado,
                upload_to="informes/%Y/",
                verbose_name="PDF firmado",
            ),
        ),
        migrations.AddField(
            model_name="informeemitido",
            name="firmado_en",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="firmado en"),
        ),
        migrations.AddField(
            model_name="informeemitido",
            name="firmado_por",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="firmado por",
            ),
        ),
        migrations.AddField(
            model_name="informeemitido",
            name="firmante",
            field=models.CharField(
                blank=True, editable=False, max_length=200, verbose_name="firmante (del certificado)"
            ),
        ),
        migrations.AddField(
            model_name="informeemitido",
            name="firmante_curp",
            field=models.CharField(
                blank=True, editable=False, max_length=20, verbose_name="CURP del firmante"
            ),
        ),
        migrations.AddField(
            model_name="informeemitido",
            name="firmante_rfc",
            field=models.CharField(
                blank=True, editable=False, max_length=20, verbose_name="RFC del firmante"
            ),
        ),
        migrations.AddField(
            model_name="informeemitido",
            name="sha256_firmado",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                verbose_name="SHA-256 del PDF firmado",
            ),
        ),
        registro_de_informes_inmutable(INFORME_SE_COMPLETA, FIJAS),
    ]
