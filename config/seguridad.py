"""Login lockout (django-axes) adapted to this site: the client's address behind the proxy, a Spanish
lockout page, and test or script calls to authenticate() without a request."""

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class BloqueoDeAccesos(AxesStandaloneBackend):
    """Refuses a locked-out username+address before its password is checked. A call without a request
    (Django's test client, a script) has no address to count; it is not a login form, so it passes on
    to the next backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class BloqueoConUnLimitePorParametro(AxesDatabaseHandler):
    """Axes' database handler with a limit for each entry of AXES_LOCKOUT_PARAMETERS (LIMITES_DE_BLOQUEO):
    a username from one address after 5 failures, an address after 20 whatever the usernames. Axes
    compares one count with one AXES_FAILURE_LIMIT, so each group's failures are given as what they
    lack to its own limit, measured against that one."""

    def get_failures(self, request, credentials=None) -> int:
        grupos = self.get_user_attempts(request, credentials)
        limites = settings.LIMITES_DE_BLOQUEO
        return max(
            (intentos.aggregate(n=Sum("failures_since_start"))["n"] or 0)
            - (limite - settings.AXES_FAILURE_LIMIT)
            for intentos, limite in zip(grupos, limites, strict=True)
        )

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears that username's failures from that address, not the address's
        failures for other usernames: an account of one's own must not reset the count of guesses at
        everyone else's."""
        borrados, _detalle = self.filter_user_attempts(request, credentials)[0].delete()
        return borrados


class PermisosEnUnaConsulta(ModelBackend):
    """Django's ModelBackend, reading a user's permissions (their own and their groups') in one query
    instead of two: every logged-in page asks for them once, so this is one round trip per page."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permisos = Permission.objects.order_by().values_list("content_type__app_label", "codename")
            if user_obj.is_superuser:
                filas = permisos
            else:
                filas = permisos.filter(user=user_obj).union(permisos.filter(group__user=user_obj))
            user_obj._perm_cache = {f"{app}.{codigo}" for app, codigo in filas}
        return user_obj._perm_cache


def ip_del_cliente(request: HttpRequest) -> str:
    """The browser's address: behind PROXIES_DE_CONFIANZA proxies, that many places from the right of
    X-Forwarded-For (nginx appends the address it saw); otherwise the connection's."""
    confiables = settings.PROXIES_DE_CONFIANZA
    if confiables:
        reenvio = [d.strip() for d in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if d.strip()]
        if len(reenvio) >= confiables:
            return reenvio[-confiables]
    return request.META.get("REMOTE_ADDR", "")


def respuesta_de_bloqueo(request: HttpRequest, respuesta_original, credenciales) -> HttpResponse:
    """429 with a Spanish page saying how long to wait (AXES_LOCKOUT_CALLABLE)."""
    segundos = int(settings.AXES_COOLOFF_TIME.total_seconds())
    respuesta = render(request, "registration/bloqueado.html", {"minutos": segundos // 60}, status=429)
    respuesta["Retry-After"] = str(segundos)
    return respuesta
