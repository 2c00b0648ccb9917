"""Dates as the office writes them: "7 de febrero de 2020" (Django's Spanish capitalises months)."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()

MESES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


def fecha_en_palabras(fecha: datetime.date) -> str:
    return f"{fecha.day} de {MESES[fecha.month - 1]} de {fecha.year}"


@register.filter
def fecha_larga(valor) -> str:
    if not valor:
        return ""
    if isinstance(valor, datetime.datetime):
        valor = timezone.localtime(valor) if timezone.is_aware(valor) else valor
        return f"{fecha_en_palabras(valor.date())}, {valor:%H:%M}"
    return fecha_en_palabras(valor)
