"""Settings for Seguimiento: one module, every value that varies read from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from config.almacen import almacen_desde_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "si", "sí"}


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY es obligatoria cuando DEBUG está desactivado.")
    SECRET_KEY = "solo-para-desarrollo-no-usar-en-produccion"
# The key of the record's hash chain (seguimiento/integridad.py): never in the database nor in backups,
# and distinct from SECRET_KEY. Without it a local development key stands in; with DEBUG off,
# `check --deploy` and config/wsgi.py refuse to start on it (config/checks.py).
CLAVE_INTEGRIDAD_DE_DESARROLLO = "solo-para-desarrollo-no-es-la-clave-de-integridad"
CLAVE_INTEGRIDAD = os.environ.get("CLAVE_INTEGRIDAD", "").strip() or CLAVE_INTEGRIDAD_DE_DESARROLLO

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "import_export",
    "django_htmx",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "config.apps.ProduccionConfig",
    "seguimiento",
    "convenios",
    "comisiones",
    "reportes",
    "tablero",
    "avisos",
    "datos",
    "api",
]

MIDDLEWARE = [
    "config.middleware.RegistroDePeticiones",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.SinCacheConSesion",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.SesionRequerida",
    "config.middleware.AutorDeCambios",
    "config.middleware.SesionPorInactividad",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.SesionConDuracionMaxima",
    # Before anything reads the body (CsrfViewMiddleware does, in process_view).
    "config.middleware.LimiteDeSubida",
    "config.middleware.RechazarNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it turns the lockout that the login views see into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A persistent connection broken by a database restart is replaced on the next request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Unreachable database: answer 503 in seconds rather than hold a worker for the OS's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    )
# Optional replica for reads that tolerate lag (seguimiento/replica.py): the public open data pages and files,
# the API's GET lists. Never migrated; in tests a mirror of the test database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"], conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0)
        ),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["seguimiento.replica.EnrutadorDeReplica"]


def cache_desde_url(url: str) -> dict:
    """``CACHE_URL``: empty, local memory (one per process); ``redis://host:port/db``, Redis, shared by
    every worker and server (``seguimiento/cache.py``: with Redis down it misses and forgets, the limits
    fail open); ``dummy://``, none. Every throttle's counters use it (API, verification, issuing), the
    home page's chart drawings, kept under a hash of the data they draw (never stale), and the moment
    each open data file changed; no page is cached. ``CACHE_PREFIJO`` keeps apart sites (or test
    runs) sharing one Redis."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "seguimiento.cache.RedisTolerante",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("CACHE_PREFIJO", "seguimiento"),
        }
    if url == "dummy://":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL no reconocida: {url!r} (use redis://… o dummy://).")


CACHES = {"default": cache_desde_url(os.environ.get("CACHE_URL", ""))}
# `make serve` and the WSGI application refuse SQLite in production unless this says it is on purpose.
PERMITIR_SQLITE = env_bool("PERMITIR_SQLITE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username+IP is refused before its password is even checked.
    "config.seguridad.BloqueoDeAccesos",
    # Django's ModelBackend with the user's and the groups' permissions read in one query.
    "config.seguridad.PermisosEnUnaConsulta",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español (México)")]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
# Above every app's catalogue: keeps Django's wording where Django REST framework translates the same
# message differently (locale/es_MX/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inicio"
LOGOUT_REDIRECT_URL = "login"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "config.finders.AppsSinReDoc",
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# In production WhiteNoise serves what collectstatic wrote: compressed, with the content's hash in each
# name (cached for good by browsers). Manifest storage needs collectstatic to have run, so development
# (which never runs it) keeps Django's plain storage, as Django's documentation advises; the tests set
# the same for themselves (tests/conftest.py).
# Private files (evidence, archived reports, import uploads under review): the local MEDIA_ROOT, or with
# ALMACEN_URL=s3://BUCKET/PREFIX?endpoint=…&region=… an S3-compatible bucket (docs/produccion.md).
ALMACEN_URL = os.environ.get("ALMACEN_URL", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "privado": almacen_desde_url(ALMACEN_URL),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Source maps (Swagger UI's, for developers' tools) are served as they are: compressing megabytes of them
# on every collectstatic is time nobody gets back.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

# Evidence files are private: stored outside any public URL and served only by a view that checks
# permissions. There is deliberately no MEDIA_URL route in config/urls.py.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "privado"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The largest request each upload door takes, judged by its Content-Length before the body is read
# (config/middleware.py LimiteDeSubida: 413): its file's limit plus 1 MB for the form's other fields.
# Evidence (the update pages and the API) takes files of up to 10 MB (seguimiento/evidencias.py); the
# import and the report check, 20 MB; any other request no more than the largest door.
SUBIDA_MAXIMA = 21 * 1024 * 1024
SUBIDAS_MAXIMAS = dict.fromkeys(
    [
        "convenios:actualizar",
        "comisiones:actualizar",
        "api:compromiso-actualizaciones",
        "api:atribucion-actualizaciones",
    ],
    11 * 1024 * 1024,
)
# Signing takes a .cer and a .key of ~2 KB each (reportes.views.FirmarView), kept in memory only.
SUBIDAS_MAXIMAS["reportes:firmar"] = 64 * 1024
SUBIDAS_EN_MEMORIA = {"reportes:firmar"}

# Name of the office printed as author on reports.
INSTITUCION = os.environ.get("INSTITUCION", "Contraloría Gubernamental del Estado de Tamaulipas")
# The office's mailbox for questions about the open data (/datos/): the DCAT catalogue's contactPoint.
CORREO_DATOS_ABIERTOS = os.environ.get("CORREO_DATOS_ABIERTOS", "datos.abiertos@tamaulipas.gob.mx")

# What needs attention (home page, e-mail reminders): an item with no update effective in the last
# DIAS_SIN_ACTUALIZAR days is stale; one due within DIAS_POR_VENCER days is due soon.
DIAS_SIN_ACTUALIZAR = int(os.environ.get("DIAS_SIN_ACTUALIZAR", "90"))
DIAS_POR_VENCER = 30
# A proposal or an extension request waiting more than DIAS_PARA_VALIDAR days for a decision is put
# in the validators' reminder (``enviar_recordatorios``).
DIAS_PARA_VALIDAR = int(os.environ.get("DIAS_PARA_VALIDAR", "5"))
# Where the site is reached from outside, for the links in e-mails sent by commands (no request there).
URL_BASE = os.environ.get("URL_BASE", "http://127.0.0.1:8000").rstrip("/")

# Signing issued reports with e.firma (reportes/firma.py, docs/informes.md): the folder of trusted
# root and intermediate certificates (the SAT's), and an RFC 3161 time-stamp authority (PAdES B-T; empty:
# B-B, the signing time as the server's clock says it).
FIRMA_RAICES = os.environ.get("FIRMA_RAICES", str(BASE_DIR / "firma_raices"))
FIRMA_TSA_URL = os.environ.get("FIRMA_TSA_URL", "")
# Verifications per IP address and period on the public page /reportes/verificar/ (429 past it); the
# counters live in the default cache, as the API's.
VERIFICAR_LIMITE = os.environ.get("VERIFICAR_LIMITE", "30/min")

# Sessions end after SESSION_COOKIE_AGE seconds without a request (8 hours by default): activity pushes
# the expiry forward, saving the session at most once every RENOVAR_SESION_CADA seconds (and a tenth
# of the age) rather than on every request as SESSION_SAVE_EVERY_REQUEST would (config/middleware.py).
# A password change ends the account's other sessions (Django's session auth hash); the session that
# made the change stays.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
RENOVAR_SESION_CADA = 5 * 60
# Absolute lifetime: a session ends this many hours after its login, however active (config/middleware.py).
SESION_MAXIMA_HORAS = int(os.environ.get("SESION_MAXIMA_HORAS", "12"))
SESSION_COOKIE_HTTPONLY = True

# Behind a TLS reverse proxy (nginx). Production defaults pass `check --deploy --fail-level WARNING`.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer probes /salud/ over plain HTTP, from inside.
SECURE_REDIRECT_EXEMPT = [r"^salud/$"]
# Name of the header the proxy sets to the scheme the browser used; empty: no proxy is trusted.
_ENCABEZADO_TLS = os.environ.get("SECURE_PROXY_SSL_HEADER", "" if DEBUG else "X-Forwarded-Proto").strip()
if _ENCABEZADO_TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _ENCABEZADO_TLS.upper().replace("-", "_"), "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Joining the browsers' preload list is the call of whoever owns the whole domain (the list takes
    # registrable domains only), not of one application on a subdomain.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# No inline scripts or styles anywhere (STYLE.md), so the policy needs neither unsafe-inline nor
# unsafe-eval; htmx runs with allowEval off and its indicator styles off (templates/base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# The REST API (api/): token first, so an anonymous request gets 401 with ``WWW-Authenticate: Token``;
# the session serves the browser (DRF then demands the CSRF token on writes). Rules and rights are the
# pages' own (api/permissions.py). JSON only: no browsable API, whose pages would need inline scripts.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ClaveDeAPIAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",  # deep nesting, NULs, lone surrogates: 400
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["seguimiento.limites.PorUsuario"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Paginacion",
    "DEFAULT_SCHEMA_CLASS": "api.schema.EsquemaAPI",
}
# Requests per user (so per token) and period: "120/min", "5000/hour", "100000/day". The counters live in
# the default cache: per process unless CACHE_URL names a shared one (Redis).
API_LIMITE = os.environ.get("API_LIMITE", "120/min")
# Reports a user may issue (PDF downloads) per period, same format and the same cache as API_LIMITE.
EMITIR_LIMITE = os.environ.get("EMITIR_LIMITE", "20/hour")
# Days an API key works after it is issued; unset or empty: until revoked (a password change revokes it).
API_TOKEN_DIAS = int(os.environ["API_TOKEN_DIAS"]) if os.environ.get("API_TOKEN_DIAS", "").strip() else None
SPECTACULAR_SETTINGS = {
    "TITLE": "API de Seguimiento",
    "DESCRIPTION": (
        "Convenios, compromisos, comisiones y atribuciones con su estatus e historial, el catálogo de "
        "estatus y los informes emitidos; registro de actualizaciones de estatus. Los mismos datos, "
        "reglas y permisos que las páginas. Autenticación: `Authorization: Token <clave>` "
        "(`python manage.py crear_token <usuario>`) o la sesión del navegador."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs only for users with a session or a token (401 / login page otherwise).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The schema reads the database (the active statuses, the commissions' keys as enums), so
    # ``check --deploy`` cannot draw it before the database exists; tests/test_api_esquema.py draws
    # and exercises it instead.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the package's static files (no CDN); its settings go in the split init script.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
}

# E-mail (password reset): EMAIL_URL such as smtp://usuario:clave@servidor:587/?tls=True, or
# EMAIL_BACKEND. The console backend would print reset links to the log, so with DEBUG off the
# server refuses to start with it (config/checks.py).
if os.environ.get("EMAIL_URL"):
    # Sets EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER/PASSWORD, EMAIL_USE_TLS/SSL, EMAIL_TIMEOUT.
    vars().update(dj_email_url.parse(os.environ["EMAIL_URL"]))
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# A mail server that never answers must not hold a worker forever.
EMAIL_TIMEOUT = vars().get("EMAIL_TIMEOUT") or int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "seguimiento@localhost")

# Login lockout (django-axes): 5 failures for one username from one address lock that pair out for
# 15 minutes, counted from the fifth failure; attempts while locked do not extend it. 20 failures
# from one address, whatever the usernames, lock the address out the same way (a password sprayed
# over many accounts). A failure counts until 15 minutes pass without another for the same username,
# address and browser. A superuser unlocks by deleting the attempts in the admin (Axes › Access attempts).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
LIMITES_DE_BLOQUEO = [5, 20]  # one per entry of AXES_LOCKOUT_PARAMETERS (config/seguridad.py)
AXES_FAILURE_LIMIT = LIMITES_DE_BLOQUEO[0]
AXES_HANDLER = "config.seguridad.BloqueoConUnLimitePorParametro"
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.seguridad.respuesta_de_bloqueo"
AXES_CLIENT_IP_CALLABLE = "config.seguridad.ip_del_cliente"
# Successful logins are in the request log (the login's line carries the user's id), failures and
# lockouts in axes' warnings; no table of every login growing without bound.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Number of proxies in front of the application whose X-Forwarded-For is trusted for the client's
# address (1 behind nginx); 0 uses the connection's address.
PROXIES_DE_CONFIANZA = int(os.environ.get("PROXIES_DE_CONFIANZA", "0"))

# One JSON line per request and per error, to standard output (config/registro.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.registro.FormatoJSON"}},
    "handlers": {"stdout": {"class": "config.registro.SalidaEstandar", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "seguimiento.peticiones": {"level": "INFO"},
        # 4xx are already in the request line; uncaught exceptions (5xx) still log with their traceback.
        "django.request": {"level": "ERROR"},
        # runserver's own access line would repeat ours.
        "django.server": {"handlers": [], "propagate": False},
        # Failed logins and lockouts, whatever LOG_LEVEL says.
        "axes": {"level": "WARNING"},
    },
}
