from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig


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


class ArchivosEstaticos(StaticFilesConfig):
    """collectstatic without what nothing links to: drf-spectacular-sidecar's ReDoc (the docs page is
    Swagger UI), about half its size, which WhiteNoise would otherwise compress on every deploy."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "redoc"]
