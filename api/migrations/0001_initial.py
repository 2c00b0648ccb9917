"""API keys stored as their SHA-256. DRF's tokens, kept in clear until now, become keys here (the same
key keeps working: its digest is stored) and are then deleted, so no key is left readable in the
database. Going back cannot give the keys back: every key has to be issued again."""

import hashlib

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def claves_desde_tokens(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ClaveDeAPI = apps.get_model("api", "ClaveDeAPI")
    for token in Token.objects.select_related("user").order_by("created"):
        ClaveDeAPI.objects.create(
            usuario_id=token.user_id,
            prefijo=token.key[:8],
            resumen=hashlib.sha256(token.key.encode()).hexdigest(),
            huella_de_contrasena=hashlib.sha256(token.user.password.encode()).hexdigest(),
            creada=token.created,
        )
    Token.objects.all().delete()


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaveDeAPI",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "prefijo",
                    models.CharField(editable=False, max_length=8, verbose_name="primeros caracteres"),
                ),
                (
                    "resumen",
                    models.CharField(
                        editable=False, max_length=64, unique=True, verbose_name="SHA-256 de la clave"
                    ),
                ),
                ("huella_de_contrasena", models.CharField(editable=False, max_length=64)),
                (
                    "creada",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="emitida"
                    ),
                ),
                (
                    "ultimo_uso",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="último uso"),
                ),
                (
                    "usuario",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="clave_de_api",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="usuario",
                    ),
                ),
            ],
            options={
                "verbose_name": "clave de la API",
                "verbose_name_plural": "claves de la API",
            },
        ),
        migrations.RunPython(claves_desde_tokens, migrations.RunPython.noop),
    ]
