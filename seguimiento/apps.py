from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class SeguimientoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "seguimiento"
    verbose_name = _("Seguimiento")

    def ready(self):
        from .busqueda import registrar_en_sqlite

        connection_created.connect(registrar_en_sqlite, dispatch_uid="seguimiento.sin_acentos")
