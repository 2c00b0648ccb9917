"""Who recorded an update is required: rows recorded without one get the system's own account."""

from django.conf import settings
from django.db import migrations

from seguimiento.migrations._comun import registrado_por_obligatorio


class Migration(migrations.Migration):
    dependencies = [
        ("convenios", "0016_propuestas"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = registrado_por_obligatorio("convenios", "actualizacion", "convenios_actualizacion")
