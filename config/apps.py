from django.apps import AppConfig


class ProduccionConfig(AppConfig):
    """The project's own pieces for serving: health view, error pages, request log, production checks."""

    name = "config"
    label = "produccion"
    verbose_name = "Producción"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 (registers the production checks)
        from .middleware import marcar_actividad

        user_logged_in.connect(marcar_actividad, dispatch_uid="marcar_actividad")
