"""The version of what a page shows about followed-up items: SQL text that a page reads in one query
and keys its cache by (the convenio page, ``convenios/cache.py``; the home page, ``tablero/pendientes.py``).

Every recorded update adds one to its item's ``version`` in the update's own transaction (by
``registrar_actualizacion``, or in bulk by ``registrar_actualizaciones``; both write with ``update()``
and send no signal), so over a set of items ``COUNT(*)``, ``MAX(id)`` and ``SUM(version)`` move with
each update and each item added or removed; the newest entry of the admin's log moves with every edit
made there (an item's text, a convenio, a party, an institution, a status) and with every import. A
version read before the rows it keys can only find rows as new or newer. A write through none of those
doors (a shell) is not seen: each cache bounds how old it may be (its TTL).
"""

from django.contrib.admin.models import LogEntry


def de_elementos(alias: str) -> str:
    """The aggregate over the items of the ``FROM``'s ``alias`` (text on both engines: ``||``)."""
    return f"COUNT(*) || '.' || COALESCE(MAX({alias}.id), 0) || '.' || COALESCE(SUM({alias}.version), 0)"


BITACORA = f"COALESCE((SELECT MAX(b.id) FROM {LogEntry._meta.db_table} b), 0)"
