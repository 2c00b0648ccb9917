from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComisionesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comisiones"
    verbose_name = _("Comisiones del SNT")
