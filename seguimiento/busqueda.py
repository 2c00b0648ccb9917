"""Text search that ignores accents and case, alike on PostgreSQL and SQLite.

One SQL function, ``sin_acentos(text)`` (accents dropped, then lower case), created on PostgreSQL by
the migration ``seguimiento/0003_sin_acentos`` (``unaccent`` behind an IMMUTABLE wrapper, indexed)
and registered here on each new SQLite connection. Every search
(commitments, duties, history notes, convenios, the API's ``q``) goes through ``contiene``.
"""

import unicodedata
from functools import reduce
from operator import or_

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Func, GeneratedField, Q, TextField, Value
from django.db.models.lookups import Contains

# Letters a Spanish text may carry, for the test that both engines normalise them alike.
CON_ACENTO = "áàâäãåéèêëíìîïóòôöõúùûüýÿñçÁÀÂÄÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÝÑÇ"


def sin_acentos(texto: str | None) -> str | None:
    """What the SQL function gives: «Capacitación» → «capacitacion» (marks dropped, then lower case)."""
    if texto is None:
        return None
    descompuesto = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in descompuesto if not unicodedata.combining(c)).lower()


class SinAcentos(Func):
    function = "sin_acentos"
    arity = 1
    output_field = TextField()


def normalizado(modelo, campo: str) -> bool:
    """Whether ``campo`` is a column the database stores already normalised (a generated
    ``SinAcentos(…)``, as ``Compromiso.busqueda``): then a search reads it as it is."""
    try:
        definicion = modelo._meta.get_field(campo)
    except FieldDoesNotExist:
        return False
    return isinstance(definicion, GeneratedField) and isinstance(
        getattr(definicion, "expression", None), SinAcentos
    )


def contiene(modelo, campo: str, texto: str) -> Q:
    """``campo`` contains ``texto``, accents and case aside (``%`` and ``_`` are literals)."""
    if normalizado(modelo, campo):
        return Q(**{f"{campo}__contains": sin_acentos(texto)})
    return Q(Contains(SinAcentos(campo), SinAcentos(Value(texto))))


def buscar(queryset, campos: tuple[str, ...] | list[str], texto: str):
    """The rows where any of ``campos`` contains ``texto``, accents and case aside."""
    return queryset.filter(reduce(or_, (contiene(queryset.model, campo, texto) for campo in campos)))


def registrar_en_sqlite(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SQLite has no stored functions, so each connection gets it."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("sin_acentos", 1, sin_acentos, deterministic=True)
