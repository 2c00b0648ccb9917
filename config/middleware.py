"""Checks every request gets before any view, whatever app serves it."""

from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"


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
        if tiene_nul(request.POST) or any(NUL in (a.name or "") for a in request.FILES.values()):
            return rechazar(request)
        return None


def tiene_nul(datos) -> bool:
    return any(NUL in clave or any(NUL in valor for valor in valores) for clave, valores in datos.lists())


def rechazar(request):
    mensaje = _("La solicitud contiene un carácter nulo (%00), que ningún dato admite.")
    return render(request, "400.html", {"mensaje": mensaje}, status=400)
