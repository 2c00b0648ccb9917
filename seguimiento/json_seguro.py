"""Reading JSON that comes from outside (API bodies, imported files, a backup's manifest).

``json`` accepts what the database cannot store or the parser cannot survive: a lone surrogate
(``"\\ud800"``), a NUL character, or thousands of nested ``[``. Every door reads through ``leer`` and
turns ``JSONInvalido`` into a Spanish 400 (or its own error), never a 500.
"""

import json
import re

from django.utils.translation import gettext_lazy as _

# Deeper than any document the system writes or reads (a backup's manifest is 3 levels, an import 3).
PROFUNDIDAD_MAXIMA = 32
NO_ALMACENABLE = re.compile("[\x00\ud800-\udfff]")


class JSONInvalido(ValueError):
    pass


def leer(texto: str | bytes) -> object:
    """The value the JSON text holds; ``JSONInvalido`` (Spanish message) if it is malformed, nested
    more than ``PROFUNDIDAD_MAXIMA`` levels, or has a NUL or lone surrogate in a key or string."""
    if isinstance(texto, bytes):
        try:
            texto = texto.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise JSONInvalido(_("El JSON no está en UTF-8.")) from None
    try:
        valor = json.loads(texto)
    except RecursionError:
        raise JSONInvalido(_("El JSON tiene demasiados niveles anidados.")) from None
    except ValueError as error:
        raise JSONInvalido(_("El JSON no es válido: %(e)s.") % {"e": error}) from None
    revisar(valor)
    return valor


def revisar(valor: object) -> None:
    """Walk the value without recursion: depth, and every key and string storable as text."""
    pendientes = [(valor, 1)]
    while pendientes:
        actual, nivel = pendientes.pop()
        if isinstance(actual, str):
            if NO_ALMACENABLE.search(actual):
                raise JSONInvalido(
                    _("El JSON contiene un carácter nulo (\\u0000) o un sustituto UTF-16 suelto.")
                )
            continue
        if not isinstance(actual, dict | list):
            continue
        if nivel > PROFUNDIDAD_MAXIMA:
            raise JSONInvalido(_("El JSON tiene más de %(n)d niveles anidados.") % {"n": PROFUNDIDAD_MAXIMA})
        hijos = [*actual.keys(), *actual.values()] if isinstance(actual, dict) else actual
        pendientes.extend((hijo, nivel + 1) for hijo in hijos)
