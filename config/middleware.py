"""Checks and bookkeeping every request gets before any view, whatever app serves it."""

import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import has_vary_header, patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from seguimiento.autoria import como_autor

NUL = "\x00"
# Where the REST API lives (api/urls.py): its errors are JSON, not pages.
PREFIJO_API = "/api/"
registro = logging.getLogger("seguimiento.peticiones")


class RechazarNulMiddleware:
    """A NUL character in the path or in any GET or POST key or value (or an uploaded file's name) is
    answered with a 400 here, once: PostgreSQL can neither store nor compare text holding one (a
    search for it was a 500), and no form or link of ours ever sends one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or tiene_nul(request.GET):
            return rechazar(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The body is read here, after CsrfViewMiddleware has checked the token, not before.
        try:
            if tiene_nul(request.POST) or any(NUL in (a.name or "") for a in request.FILES.values()):
                return rechazar(request)
        except MultiPartParserError:  # e.g. multipart/form-data without a boundary
            return rechazar(
                request, _("El cuerpo multipart/form-data está mal formado (sin separador válido).")
            )
        return None


def tiene_nul(datos) -> bool:
    return any(NUL in clave or any(NUL in valor for valor in valores) for clave, valores in datos.lists())


def rechazar(request, mensaje: str = ""):
    mensaje = mensaje or _("La solicitud contiene un carácter nulo (%00), que ningún dato admite.")
    if request.path.startswith(PREFIJO_API):
        return JsonResponse({"detail": str(mensaje)}, status=400)  # what the API's schema promises
    return render(request, "400.html", {"mensaje": mensaje}, status=400)


class RegistroDePeticiones:
    """One log line per request: method, path, status, duration and the user's id. First in the chain,
    so it times everything and sees the response even of an error page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        inicio = time.perf_counter()
        respuesta = self.get_response(request)
        registro.info(
            "%s %s %s",
            request.method,
            request.path,
            respuesta.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": respuesta.status_code,
                "duration_ms": round((time.perf_counter() - inicio) * 1000, 1),
                "user_id": id_de_usuario(request),
            },
        )
        return respuesta


def id_de_usuario(request) -> int | None:
    """Who the request ended as, if anyone looked: login() and logout() put the user in request.user;
    otherwise AuthenticationMiddleware keeps the one it looked up in _cached_user. Evaluating the lazy
    request.user here would query the database for public pages, and fail again when it is down."""
    usuario = getattr(request, "user", None)
    if isinstance(usuario, SimpleLazyObject):
        usuario = getattr(request, "_cached_user", None)
    return usuario.pk if usuario is not None and usuario.is_authenticated else None


class SinCacheConSesion:
    """A response that varies with the cookies (the session read it, or it set the CSRF cookie) or
    answers credentials in ``Authorization`` (an API token) is someone's own: neither the browser nor
    a proxy may store it. Placed before SessionMiddleware so it sees the Vary header that middleware
    adds. A view that declared its response ``Cache-Control: public`` (the open data files, the same
    for everyone) keeps that."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        respuesta = self.get_response(request)
        publica = "public" in respuesta.get("Cache-Control", "").replace(" ", "").split(",")
        propia = has_vary_header(respuesta, "Cookie") or "HTTP_AUTHORIZATION" in request.META
        if propia and not publica:
            patch_cache_control(respuesta, private=True, no_store=True)
        return respuesta


# When the session last showed activity, and when its user logged in (seconds since the epoch).
ACTIVIDAD = "_actividad"
INICIO = "_inicio_de_sesion"
MB = 1024 * 1024
METODOS_CON_CUERPO = {"POST", "PUT", "PATCH"}


class EnMemoria(MemoryFileUploadHandler):
    """Every uploaded file kept in memory, whatever FILE_UPLOAD_MAX_MEMORY_SIZE says (the request's
    size is bounded first, by its door's SUBIDAS_MAXIMAS)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True


class LimiteDeSubida:
    """A request whose ``Content-Length`` is more than its door takes (SUBIDAS_MAXIMAS by URL name, else
    SUBIDA_MAXIMA) is answered 413 in Spanish here, before any middleware or view reads the body: the
    CSRF check reads the form, and a multipart form is written to disk as it is read. The doors of
    SUBIDAS_EN_MEMORIA (an e.firma) never write their files to disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in METODOS_CON_CUERPO:
            nombre = nombre_de_vista(request.path_info)
            maximo = settings.SUBIDAS_MAXIMAS.get(nombre, settings.SUBIDA_MAXIMA)
            if largo_declarado(request) > maximo:
                return demasiado_grande(request, maximo)
            if nombre in settings.SUBIDAS_EN_MEMORIA:
                request.upload_handlers = [EnMemoria(request)]
        return self.get_response(request)


def nombre_de_vista(ruta: str) -> str | None:
    try:
        return resolve(ruta).view_name
    except Resolver404:
        return None


def limite_de_subida(ruta: str) -> int:
    return settings.SUBIDAS_MAXIMAS.get(nombre_de_vista(ruta), settings.SUBIDA_MAXIMA)


def largo_declarado(request) -> int:
    """As Django reads it: a missing or malformed Content-Length is an empty body."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def demasiado_grande(request, maximo: int):
    mensaje = _(
        "El envío pesa %(mb).1f MB y aquí se aceptan hasta %(max)s en total (archivo y demás campos). "
        "Reduzca el archivo o divídalo en varios."
    ) % {
        "mb": largo_declarado(request) / MB,
        "max": f"{maximo // MB} MB" if maximo >= MB else f"{maximo // 1024} KB",
    }
    if request.path.startswith(PREFIJO_API):
        return JsonResponse({"detail": mensaje}, status=413)
    return render(request, "400.html", {"mensaje": mensaje}, status=413)


class SesionConDuracionMaxima:
    """Absolute lifetime: a session ends SESION_MAXIMA_HORAS after its login, however active it has been
    (the idle timeout alone would let a session that is used every few hours live for ever). A session
    from before this rule has no login time: it gets the full lifetime from its next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sesion, ahora = request.session, int(timezone.now().timestamp())
        if SESSION_KEY in sesion:
            inicio = sesion.setdefault(INICIO, ahora)
            if ahora - inicio >= settings.SESION_MAXIMA_HORAS * 3600:
                logout(request)
                messages.info(
                    request,
                    _("Su sesión llegó a su duración máxima (%(h)d horas); inicie sesión de nuevo.")
                    % {"h": settings.SESION_MAXIMA_HORAS},
                )
        return self.get_response(request)


class SesionPorInactividad:
    """Idle timeout: a signed-in session that shows activity is saved again, which moves its expiry to
    SESSION_COOKIE_AGE from now; at most once every RENOVAR_SESION_CADA seconds (or a tenth of the age,
    if shorter), so a page view does not cost a database write. A session thus ends between
    SESSION_COOKIE_AGE minus that interval and SESSION_COOKIE_AGE after its last request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sesion, ahora = request.session, int(timezone.now().timestamp())
        cada = min(settings.RENOVAR_SESION_CADA, settings.SESSION_COOKIE_AGE // 10)
        if SESSION_KEY in sesion and ahora - sesion.get(ACTIVIDAD, 0) >= cada:
            sesion[ACTIVIDAD] = ahora
        return self.get_response(request)


def marcar_actividad(sender, request, user, **kwargs) -> None:
    """On login (user_logged_in): the new session starts active, so its first page need not save it
    again, and its absolute lifetime starts."""
    ahora = int(timezone.now().timestamp())
    request.session[ACTIVIDAD] = ahora
    request.session[INICIO] = ahora


class SesionRequerida(LoginRequiredMiddleware):
    """Django's: every page but those marked ``login_not_required`` asks for a session. An htmx request
    (the home page's charts, a row's form) whose session ended is sent to log in as a whole page
    (``HX-Redirect``), back to the page it came from: the log-in page is never swapped into a fragment
    (a second ``<main>``, a form inside a table row)."""

    def handle_no_permission(self, request, view_func):
        if not getattr(request, "htmx", False):
            return super().handle_no_permission(request, view_func)
        actual = urlsplit(request.htmx.current_url or "")
        volver = actual.path + (f"?{actual.query}" if actual.query else "") or request.get_full_path()
        destino = redirect_to_login(
            volver, self.get_login_url(view_func), self.get_redirect_field_name(view_func)
        )
        return HttpResponseClientRedirect(destino.url)


class AutorDeCambios:
    """Whoever makes the request is who the text versions the models record name (``seguimiento.autoria``):
    the admin, the import pages, the API; their user is read when a version is written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with como_autor(request):
            return self.get_response(request)
