"""Extensions (issue 21): a liaison asks to move a commitment's due date, a validator approves or
rejects it. Requests and decisions are append-only, protected as the history is; the Enlace role may
ask, the Capturista decides, and every role that reads commitments sees the requests."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import seguimiento.models
from seguimiento.migrations._comun import dar_permisos, solo_anexion


def dar_permisos_de_prorrogas(apps, schema_editor):
    dar_permisos(
        apps,
        "convenios",
        {
            "Enlace": ["add_solicitudprorroga", "view_solicitudprorroga", "view_decisionprorroga"],
            "Capturista": ["view_solicitudprorroga", "add_decisionprorroga", "view_decisionprorroga"],
            "Gerente": ["view_solicitudprorroga", "view_decisionprorroga"],
            "Auditor": ["view_solicitudprorroga", "view_decisionprorroga"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("convenios", "0018_cadena"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SolicitudProrroga",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "fecha_anterior",
                    models.DateField(
                        blank=True, editable=False, null=True, verbose_name="fecha límite al solicitar"
                    ),
                ),
                ("fecha_nueva", models.DateField(verbose_name="nueva fecha límite")),
                ("justificacion", models.TextField(verbose_name="justificación")),
                (
                    "registrado_en",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="solicitada el"
                    ),
                ),
                (
                    "compromiso",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="solicitudes_prorroga",
                        to="convenios.compromiso",
                        verbose_name="compromiso",
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
                    "solicitado_por",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="solicitado por",
                    ),
                ),
            ],
            options={
                "verbose_name": "solicitud de prórroga",
                "verbose_name_plural": "solicitudes de prórroga",
                "ordering": ["registrado_en", "pk"],
            },
            bases=(seguimiento.models.ConPermisos, models.Model),
        ),
        migrations.CreateModel(
            name="DecisionProrroga",
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
                        choices=[("aprobada", "Aprobada"), ("rechazada", "Rechazada")],
                        max_length=10,
                        verbose_name="decisión",
                    ),
                ),
                ("comentario", models.TextField(blank=True, verbose_name="comentario")),
                (
                    "fecha_anterior",
                    models.DateField(
                        blank=True,
                        editable=False,
                        help_text="La fecha límite que tenía el compromiso cuando se aprobó la prórroga.",
                        null=True,
                        verbose_name="fecha límite reemplazada",
                    ),
                ),
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
                    "solicitud",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="decision",
                        to="convenios.solicitudprorroga",
                        verbose_name="solicitud",
                    ),
                ),
            ],
            options={
                "verbose_name": "decisión sobre una prórroga",
                "verbose_name_plural": "decisiones sobre prórrogas",
            },
            bases=(seguimiento.models.ConPermisos, models.Model),
        ),
        migrations.AddIndex(
            model_name="solicitudprorroga",
            index=models.Index(fields=["compromiso", "registrado_en", "id"], name="prorroga_elemento_idx"),
        ),
        *solo_anexion("convenios_solicitudprorroga"),
        *solo_anexion("convenios_decisionprorroga"),
        migrations.RunPython(dar_permisos_de_prorrogas, migrations.RunPython.noop),
    ]
