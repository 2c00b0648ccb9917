from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConveniosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "convenios"
    verbose_name = _("Convenios")
