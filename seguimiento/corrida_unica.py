"""Commands started on several servers at the same moment run once, or one after another.

On PostgreSQL a session advisory lock named after the job. ``corrida_unica``: scheduled commands (one
timer per server) try it (``pg_try_advisory_lock``); the first run takes it, the others find it taken
and end at once, saying so. ``por_turno``: commands that must run on every start but never two at once
(``migrate`` from each server's ``make serve``) wait for it (``pg_advisory_lock``), so the second finds
the work done. The lock goes with the run's connection, so a run killed midway frees it. SQLite is one
server's file: one timer, and its writers queue behind one another (the unique index on the alerts
sent still stops a repeat)."""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections


def clave(nombre: str) -> int:
    """The advisory lock's number for a job (PostgreSQL takes a 64-bit integer, not a name)."""
    return zlib.crc32(f"seguimiento:{nombre}".encode())


@contextmanager
def corrida_unica(nombre: str) -> Iterator[bool]:
    """Yields True for the one run that holds ``nombre``'s lock, False for any other at the same time."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [clave(nombre)])
        (tomada,) = cursor.fetchone()
    try:
        yield tomada
    finally:
        if tomada:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [clave(nombre)])


@contextmanager
def por_turno(nombre: str, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Waits until no other run holds ``nombre``'s lock on the database ``using``, and holds it."""
    conexion = connections[using]
    if conexion.vendor != "postgresql":
        yield
        return
    with conexion.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [clave(nombre)])
    try:
        yield
    finally:
        if conexion.connection is not None:  # closed midway: the lock went with it
            with conexion.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [clave(nombre)])
