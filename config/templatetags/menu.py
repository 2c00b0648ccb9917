"""The main menu's one rule: an entry is shown to whoever its page would let in, as that page's
view decides it (``{% puede_abrir 'reportes:consolidado' as ver %}``). Loaded as ``{% load menu %}``."""

from django import template
from django.contrib import admin
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import resolve, reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def puede_abrir(context, nombre: str) -> bool:
    """Whether the user passes the permission check of the page named ``nombre``: the view's own
    ``get_permission_required()``, so the menu never repeats (nor drifts from) a page's rule."""
    request = context["request"]
    coincidencia = resolve(reverse(nombre))
    if coincidencia.app_name == "admin":
        return admin.site.has_permission(request)
    clase = getattr(coincidencia.func, "view_class", None)
    if clase is None or not issubclass(clase, PermissionRequiredMixin):
        return request.user.is_authenticated  # LoginRequiredMiddleware's rule
    vista = clase(**coincidencia.func.view_initkwargs)
    vista.setup(request, *coincidencia.args, **coincidencia.kwargs)
    return vista.has_permission()
