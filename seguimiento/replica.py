"""Reads that tolerate a few seconds of lag go to a replica (``DATABASE_REPLICA_URL``, alias ``replica``).

A router alone cannot tell views apart, so the views that may read lagging data say so: they run inside
``en_replica()`` (``LeeDeReplica`` for class-based views; the API's GET lists), which sets a context
variable the router reads. Everything else, writes, the staff pages, as-of reports and whatever must
see its own write, reads the primary (``default``). Without a replica configured the router says
nothing and every query goes to ``default``."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections

REPLICA = "replica"
_en_replica: ContextVar[bool] = ContextVar("en_replica", default=False)


@contextmanager
def en_replica(si: bool = True) -> Iterator[None]:
    """Reads inside go to the replica, if there is one (``si=False``: stay on the primary)."""
    marca = _en_replica.set(si)
    try:
        yield
    finally:
        _en_replica.reset(marca)


class EnrutadorDeReplica:
    def db_for_read(self, model, **hints):
        if _en_replica.get() and REPLICA in connections.settings:
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema by replication


class LeeDeReplica:
    """For a public view whose data may be a few seconds old: its queries go to the replica."""

    def dispatch(self, request, *args, **kwargs):
        with en_replica():
            respuesta = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin of views
            # A template response renders after the view returns: render it here, on the replica too.
            if hasattr(respuesta, "render") and not respuesta.is_rendered:
                respuesta.render()
            return respuesta
