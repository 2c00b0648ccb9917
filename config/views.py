import sys

from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseRedirect
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from seguimiento import integridad
from seguimiento.almacen import ALMACEN_NO_DISPONIBLE
from seguimiento.cache import cache_disponible

# What a database that cannot be reached (or dropped the connection) raises: an outage, not a bug.
BASE_NO_DISPONIBLE = (OperationalError, InterfaceError)
REINTENTAR_EN_SEGUNDOS = 30


@login_not_required
@never_cache
@require_safe
def salud(request):
    """For load balancers and monitors: 200 while the database answers, 503 otherwise; no data. A
    shared cache (Redis) that does not answer adds a line to the 200: pages still serve, limits are off.

    ``?profundo=1``, for staff only (403 otherwise), also recomputes the record's hash chain
    (``verificar_integridad``): 200 with its one-line summary, or 503 naming the first row that fails."""
    profundo = request.GET.get("profundo") == "1"
    if profundo and not request.user.is_staff:
        raise PermissionDenied
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except BASE_NO_DISPONIBLE:
        respuesta = HttpResponse("sin base de datos\n", status=503, content_type="text/plain; charset=utf-8")
        respuesta["Retry-After"] = str(REINTENTAR_EN_SEGUNDOS)
        return respuesta
    if profundo:
        resultado = integridad.verificar()
        return HttpResponse(
            f"ok\n{integridad.resumen_de_verificacion(resultado)}\n"
            if resultado.integra
            else f"{integridad.resumen_de_verificacion(resultado)}\n",
            status=200 if resultado.integra else 503,
            content_type="text/plain; charset=utf-8",
        )
    cuerpo = (
        "ok\n"
        if cache_disponible(caches["default"])
        else "ok\ncaché no disponible: límites de peticiones sin aplicar\n"
    )
    return HttpResponse(cuerpo, content_type="text/plain; charset=utf-8")


@login_not_required
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on their own; it lives with the other static files."""
    return HttpResponseRedirect(static("img/favicon.ico"))


def error_del_servidor(request):
    """handler500: 503 with Retry-After while the database or the file store (S3) is unreachable, 500
    for anything else.
    Rendered without the request, like Django's own: its context processors need the session, which
    lives in the database."""
    error = sys.exc_info()[1]
    almacen = isinstance(error, ALMACEN_NO_DISPONIBLE)
    estado = 503 if almacen or isinstance(error, BASE_NO_DISPONIBLE) else 500
    contenido = loader.get_template(f"{estado}.html").render({"almacen": almacen})
    respuesta = HttpResponse(contenido, status=estado)
    if estado == 503:
        respuesta["Retry-After"] = str(REINTENTAR_EN_SEGUNDOS)
    return respuesta
