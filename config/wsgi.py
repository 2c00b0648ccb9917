import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# In production the server refuses to start on what `check --deploy` rejects (config/checks.py).
from config.checks import exigir_produccion  # noqa: E402

exigir_produccion()
