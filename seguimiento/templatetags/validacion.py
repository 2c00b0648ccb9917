"""The menu's counts of what waits for a decision: proposals and extension requests
(``{% load validacion %}``)."""

from django import template
from django.apps import apps

from seguimiento.validacion import contar_pendientes

register = template.Library()


@register.simple_tag(takes_context=True)
def propuestas_por_validar(context) -> int:
    """How many proposals the user may decide on are pending: one query, asked only by the menu (none
    on the queue's own page, which has counted them)."""
    request = context["request"]
    contado = getattr(request, "propuestas_pendientes", None)
    return contar_pendientes(request.user) if contado is None else contado


@register.simple_tag(takes_context=True)
def prorrogas_por_decidir(context) -> int:
    """How many extension requests wait for a decision: one query, asked by the menu only for those
    the «Prórrogas» page lets in (none on that page itself, which has counted them)."""
    contado = getattr(context["request"], "prorrogas_pendientes", None)
    if contado is not None:
        return contado
    # Named, not imported: seguimiento never imports the apps that plug into it.
    return apps.get_model("convenios", "SolicitudProrroga").objects.pendientes().count()
