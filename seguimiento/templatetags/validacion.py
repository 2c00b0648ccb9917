"""The menu's count of proposals waiting for a decision (``{% load validacion %}``)."""

from django import template

from seguimiento.validacion import contar_pendientes

register = template.Library()


@register.simple_tag(takes_context=True)
def propuestas_por_validar(context) -> int:
    """How many proposals the user may decide on are pending: one query, asked only by the menu (none
    on the queue's own page, which has counted them)."""
    request = context["request"]
    contado = getattr(request, "propuestas_pendientes", None)
    return contar_pendientes(request.user) if contado is None else contado
