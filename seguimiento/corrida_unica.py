"""Scheduled commands started on several servers at the same moment (one timer per server) run once.

On PostgreSQL a session advisory lock (``pg_try_advisory_lock``) named after the job: the first run
takes it, the others find it taken and end at once, saying so; the lock goes with the run's connection,
so a run killed midway frees it. SQLite is one server's file: one timer, and its writers queue behind
one another (the unique index on the alerts sent still stops a repeat)."""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def corrida_unica(nombre: str) -> Iterator[bool]:
    """Yields True for the one run that holds ``nombre``'s lock, False for any other at the same time."""
    if connection.vendor != "postgresql":
        yield True
        return
    clave = zlib.crc32(f"seguimiento:{nombre}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [clave])
        (tomada,) = cursor.fetchone()
    try:
        yield tomada
    finally:
        if tomada:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [clave])
