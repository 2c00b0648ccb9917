"""The status catalogue moves here from ``convenios`` without touching the database.

The table keeps its name (``convenios_estatus``), its rows, ids and indexes; only Django's state
changes, and the content type follows so that every group keeps its rights on statuses.
"""

from django.db import migrations, models


def mover_tipo_de_contenido(origen: str, destino: str):
    def mover(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        if ContentType.objects.filter(app_label=destino, model="estatus").exists():
            return
        ContentType.objects.filter(app_label=origen, model="estatus").update(app_label=destino)

    return mover


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("convenios", "0005_indices_compromisos"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Estatus",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("nombre", models.CharField(max_length=60, unique=True, verbose_name="nombre")),
                        (
                            "slug",
                            models.SlugField(
                                editable=False,
                                help_text="Se deriva del nombre al crearlo y no cambia después.",
                                max_length=60,
                                unique=True,
                                verbose_name="clave",
                            ),
                        ),
                        (
                            "categoria",
                            models.CharField(
                                choices=[
                                    ("favorable", "Favorable"),
                                    ("en_proceso", "En proceso"),
                                    ("desfavorable", "Desfavorable"),
                                    ("no_aplica", "No aplica"),
                                ],
                                max_length=20,
                                verbose_name="categoría",
                            ),
                        ),
                        ("orden", models.PositiveSmallIntegerField(default=0, verbose_name="orden")),
                        ("descripcion", models.TextField(blank=True, verbose_name="descripción")),
                    ],
                    options={
                        "verbose_name": "estatus",
                        "verbose_name_plural": "estatus",
                        "db_table": "convenios_estatus",
                        "ordering": ["orden", "nombre"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            mover_tipo_de_contenido("convenios", "seguimiento"),
            mover_tipo_de_contenido("seguimiento", "convenios"),
        ),
    ]
