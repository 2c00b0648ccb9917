"""Text versions (issue 22, part 4): every edit of a convenio's, a commitment's or a duty's texts,
append-only like the status history, with the same triggers: UPDATE and DELETE refused (SQLite:
UPDATE), TRUNCATE refused and the triggers firing always (PostgreSQL), and the recording moment the
database's own (PostgreSQL). Items that exist get no initial version: a text never edited since is
its text at any earlier moment (``VersionTextoQuerySet.textos_al``)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from seguimiento.migrations._comun import (
    borrar_disparadores_inmutables,
    crear_disparadores_inmutables,
    historial_sin_vaciar,
    registro_del_sistema,
)

TABLA = "seguimiento_versiontexto"


def proteger(apps, schema_editor):
    crear_disparadores_inmutables(schema_editor, TABLA)


def desproteger(apps, schema_editor):
    borrar_disparadores_inmutables(schema_editor, TABLA)


class Migration(migrations.Migration):
    dependencies = [
        ("seguimiento", "0005_cadena"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="VersionTexto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("modelo", models.CharField(editable=False, max_length=60, verbose_name="modelo")),
                ("objeto_id", models.BigIntegerField(editable=False, verbose_name="id del objeto")),
                ("campo", models.CharField(editable=False, max_length=60, verbose_name="campo")),
                (
                    "anterior",
                    models.TextField(blank=True, editable=False, null=True, verbose_name="valor anterior"),
                ),
                (
                    "nuevo",
                    models.TextField(blank=True, editable=False, null=True, verbose_name="valor nuevo"),
                ),
                (
                    "registrado_en",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="registrado en"
                    ),
                ),
                (
                    "registrado_por",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        help_text="Vacío: lo cambió el sistema (consola, comando, migración).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="registrado por",
                    ),
                ),
            ],
            options={
                "verbose_name": "versión de un texto",
                "verbose_name_plural": "versiones de los textos",
                "ordering": ["registrado_en", "pk"],
                "indexes": [
                    models.Index(
                        fields=["modelo", "objeto_id", "registrado_en", "id"], name="version_texto_idx"
                    )
                ],
            },
        ),
        migrations.RunPython(proteger, desproteger),
        historial_sin_vaciar(TABLA),
        registro_del_sistema(TABLA),
    ]
