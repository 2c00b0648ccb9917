"""Each issued report is a link of the record's hash chain and keeps the chain's head at its issue
time (printed in its PDF); then every row recorded before this migration is chained once, in recording
order: both histories and the register, merged (``_comun.encadenar_existentes``, with
``settings.CLAVE_INTEGRIDAD``)."""

from django.db import migrations, models

from seguimiento.migrations._comun import encadenar_existentes, eslabones

HISTORIAL = (
    "id",
    "estatus",
    "estatus_anterior",
    "fecha_efectiva",
    "nota",
    "nota_publica",
    "evidencia",
    "enlace",
    "registrado_por",
    "registrado_en",
    "capturado_por_declarado",
    "capturado_en_declarado",
)
INFORMES = (
    "id",
    "tipo",
    "convenio",
    "comision",
    "fecha",
    "emitido_en",
    "emitido_por",
    "codigo",
    "sha256",
    "cadena_al_emitir",
)


def encadenar(apps, schema_editor):
    encadenar_existentes(
        apps,
        schema_editor,
        [
            ("convenios", "actualizacion", "registrado_en", (*HISTORIAL, "compromiso", "propuesta")),
            (
                "comisiones",
                "actualizacionatribucion",
                "registrado_en",
                (*HISTORIAL, "atribucion", "propuesta"),
            ),
            ("reportes", "informeemitido", "emitido_en", INFORMES),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reportes", "0006_informes_del_enlace"),
        ("convenios", "0018_cadena"),
        ("comisiones", "0015_cadena"),
    ]

    operations = [
        *eslabones(
            "informeemitido",
            "reportes_informeemitido",
            [
                migrations.AddField(
                    model_name="informeemitido",
                    name="cadena_al_emitir",
                    field=models.CharField(
                        blank=True,
                        default="",
                        editable=False,
                        help_text="La huella del registro cuando se emitió: la imprime el pie del PDF.",
                        max_length=64,
                        verbose_name="cabeza de la cadena al emitir",
                    ),
                ),
            ],
        ),
        migrations.RunPython(encadenar, migrations.RunPython.noop),
    ]
