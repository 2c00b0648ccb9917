"""Who is changing things right now, for the records the models write themselves (text versions).

A request sets it for its whole duration (``config.middleware.AutorDeCambios``); the import sets the
importer; code run with neither (the shell, a command, a migration) leaves it empty, and the record
says «Sistema». The request is kept rather than its user because the API authenticates inside the
view (Django REST framework then sets the request's user), after every middleware has run.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_autor: ContextVar = ContextVar("autor_de_cambios", default=None)


@contextmanager
def como_autor(usuario_o_peticion) -> Iterator[None]:
    """Record the changes made inside as by this user (or by this request's user)."""
    marca = _autor.set(usuario_o_peticion)
    try:
        yield
    finally:
        _autor.reset(marca)


def autor_actual():
    """The signed-in user changing things now, or None (the system, or nobody known)."""
    valor = _autor.get()
    usuario = getattr(valor, "user", valor)
    return usuario if usuario is not None and getattr(usuario, "is_authenticated", False) else None
