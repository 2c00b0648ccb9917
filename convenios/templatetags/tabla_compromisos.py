"""Cheap cell formatting for the commitments table (Django's ``date`` filter costs ~0.1 ms a call)."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def dma(valor) -> str:
    """A date as dd/mm/aaaa (a moment in local time); "—" when empty."""
    if not valor:  # None, or "" when the template reads a field of a missing update
        return "—"
    if isinstance(valor, datetime.datetime):
        valor = timezone.localtime(valor)
    return f"{valor.day:02d}/{valor.month:02d}/{valor.year:04d}"
