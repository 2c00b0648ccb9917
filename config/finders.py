from django.contrib.staticfiles.finders import AppDirectoriesFinder


class AppsSinReDoc(AppDirectoriesFinder):
    """The apps' static files without what nothing links to: drf-spectacular-sidecar's ReDoc (the docs
    page is Swagger UI), about half its size, which WhiteNoise would otherwise compress on every deploy."""

    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), "redoc"])
