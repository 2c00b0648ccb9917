from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def insignia(estatus) -> str:
    """The one status badge: every page, report (HTML and PDF) and row shows a status, or its absence,
    with this; a filter, not an include, because long tables show one per row."""
    if not estatus:
        return mark_safe('<span class="sin-estatus">Sin estatus</span>')
    return format_html('<span class="estatus estatus-{}">{}</span>', estatus.categoria, estatus.nombre)


@register.simple_tag
def flecha() -> str:
    """The arrow between two statuses («Pendiente → Cumplido»): drawn by the stylesheet (``.flecha``)
    and read «a» by a screen reader. A "→" written in the text is a character whose contrast axe
    cannot judge, which pa11y reports as an error."""
    return mark_safe(' <span class="flecha"><span class="visualmente-oculto">a</span></span> ')
