"""Proposals (issue 21): a liaison proposes an update of an item, not in effect until a validator
accepts it (then the update links the proposal) or returns it with observations. Proposals and
decisions are append-only, protected as the history is; the Enlace role may propose, and every role
that reads the items sees the proposals."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import seguimiento.evidencias
import seguimiento.models
from seguimiento.migrations._comun import dar_permisos, propuesta_en_historial, solo_anexion


def dar_permisos_de_propuestas(apps, schema_editor):
    dar_permisos(
        apps,
        "comisiones",
        {
            "Enlace": ["add_propuestaatribucion", "view_propuestaatribucion"],
            "Capturista": ["view_propuestaatribucion"],
            "Gerente": ["view_propuestaatribucion"],
            "Auditor": ["view_propuestaatribucion"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("comisiones", "0012_enlaces"),
        ("convenios", "0015_enlaces"),
        ("seguimiento", "0003_sin_acentos"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PropuestaAtribucion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("fecha_efectiva", models.DateField(verbose_name="fecha efectiva")),
                ("nota", models.TextField(blank=True, verbose_name="nota")),
                (
                    "nota_publica",
                    models.BooleanField(db_default=False, default=False, verbose_name="nota pública"),
                ),
                (
                    "evidencia",
                    models.FileField(
                        blank=True,
                        max_length=255,
                        storage=seguimiento.evidencias.almacen_privado,
                        upload_to="evidencias/%Y/%m/",
                        validators=[seguimiento.evidencias.validar_evidencia],
                        verbose_name="evidencia (archivo)",
                    ),
                ),
                ("enlace", models.URLField(blank=True, max_length=500, verbose_name="evidencia (enlace)")),
                (
                    "version",
                    models.PositiveIntegerField(
                        editable=False,
                        help_text="La versión del elemento que vio quien propuso.",
                        verbose_name="versión de partida",
                    ),
                ),
                (
                    "registrado_en",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="propuesta el"
                    ),
                ),
                (
                    "atribucion",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="propuestas",
                        to="comisiones.atribucion",
                        verbose_name="atribución",
                    ),
                ),
                (
                    "dependencia",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="convenios.dependencia",
                        verbose_name="dependencia",
                    ),
                ),
                (
                    "estatus",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="seguimiento.estatus",
                        verbose_name="estatus propuesto",
                    ),
                ),
                (
                    "estatus_anterior",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="seguimiento.estatus",
                        verbose_name="estatus vigente al proponer",
                    ),
                ),
                (
                    "propuesto_por",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="propuesto por",
                    ),
                ),
            ],
            options={
                "verbose_name": "propuesta de actualización de atribución",
                "verbose_name_plural": "propuestas de actualización de atribuciones",
                "ordering": ["registrado_en", "pk"],
                "abstract": False,
            },
            bases=(seguimiento.models.ConPermisos, models.Model),
        ),
        migrations.CreateModel(
            name="DecisionAtribucion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "tipo",
                    models.CharField(
                        choices=[("aceptada", "Aceptada"), ("devuelta", "Devuelta")],
                        max_length=10,
                        verbose_name="decisión",
                    ),
                ),
                ("observaciones", models.TextField(blank=True, verbose_name="observaciones")),
                (
                    "registrado_en",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="decidida el"
                    ),
                ),
                (
                    "decidido_por",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decidido por",
                    ),
                ),
                (
                    "propuesta",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="decision",
                        to="comisiones.propuestaatribucion",
                        verbose_name="propuesta",
                    ),
                ),
            ],
            options={
                "verbose_name": "decisión sobre una propuesta de atribución",
                "verbose_name_plural": "decisiones sobre propuestas de atribuciones",
                "abstract": False,
            },
            bases=(seguimiento.models.ConPermisos, models.Model),
        ),
        *propuesta_en_historial(
            "actualizacionatribucion",
            "comisiones_actualizacionatribucion",
            models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="actualizacion",
                to="comisiones.propuestaatribucion",
                verbose_name="propuesta aceptada",
            ),
        ),
        migrations.AddIndex(
            model_name="propuestaatribucion",
            index=models.Index(fields=["atribucion", "registrado_en", "id"], name="propuesta_atribucion_idx"),
        ),
        *solo_anexion("comisiones_propuestaatribucion"),
        *solo_anexion("comisiones_decisionatribucion"),
        migrations.RunPython(dar_permisos_de_propuestas, migrations.RunPython.noop),
    ]
