"""The shared cache (``CACHE_URL=redis://…``) through Django's own Redis backend, tolerant of an outage.

Nothing in the cache is the only copy of anything: throttle counters, chart drawings and the moment a
data file changed. So while Redis cannot be reached every read misses and every write is dropped:
pages keep serving, the limits (API, verification, issuing) fail open, and the log says so in one
error line per outage (again each minute while it lasts). ``/salud/`` reports the cache state."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, LockError, TimeoutError

registro = logging.getLogger("seguimiento.cache")

FALLAS_DE_REDIS = (ConnectionError, TimeoutError)
AVISAR_CADA_SEGUNDOS = 60
# Redis down answers at once (connection refused); Redis unreachable must not hold a worker longer.
ESPERA_EN_SEGUNDOS = 1


class RedisTolerante(RedisCache):
    """RedisCache that, with Redis down, acts as an empty cache that forgets what it is told."""

    _avisado = 0.0  # when this process last logged an outage; 0 once Redis answers again

    def __init__(self, server, params):
        params = {
            **params,
            "OPTIONS": {
                "socket_connect_timeout": ESPERA_EN_SEGUNDOS,
                "socket_timeout": ESPERA_EN_SEGUNDOS,
                **params.get("OPTIONS", {}),
            },
        }
        super().__init__(server, params)

    def _tolerar(self, operacion: str, funcion, si_falla):
        try:
            resultado = funcion()
        except FALLAS_DE_REDIS as error:
            ahora = time.monotonic()
            if not RedisTolerante._avisado or ahora - RedisTolerante._avisado >= AVISAR_CADA_SEGUNDOS:
                RedisTolerante._avisado = ahora
                registro.error(
                    "Caché Redis no disponible (%s: %s): los límites de peticiones no se aplican.",
                    operacion,
                    error,
                )
            return si_falla
        RedisTolerante._avisado = 0.0
        return resultado

    def get(self, key, default=None, version=None):
        return self._tolerar("get", lambda: super(RedisTolerante, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._tolerar("set", lambda: super(RedisTolerante, self).set(key, value, timeout, version), None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerar(
            "add", lambda: super(RedisTolerante, self).add(key, value, timeout, version), False
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerar("touch", lambda: super(RedisTolerante, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._tolerar("delete", lambda: super(RedisTolerante, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._tolerar("get_many", lambda: super(RedisTolerante, self).get_many(keys, version), {})

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerar(
            "set_many", lambda: super(RedisTolerante, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys, version=None):
        self._tolerar("delete_many", lambda: super(RedisTolerante, self).delete_many(keys, version), None)

    def has_key(self, key, version=None):
        return self._tolerar("has_key", lambda: super(RedisTolerante, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        return self._tolerar("incr", lambda: super(RedisTolerante, self).incr(key, delta, version), delta)

    def clear(self):
        return self._tolerar("clear", lambda: super(RedisTolerante, self).clear(), False)

    def disponible(self) -> bool:
        """Whether Redis answers a PING now (for /salud/)."""
        return self._tolerar("ping", lambda: bool(self._cache.get_client(write=True).ping()), False)


def cache_disponible(cache) -> bool:
    """Local memory (one process) is always there; Redis only when it answers."""
    return cache.disponible() if isinstance(cache, RedisTolerante) else True


@contextmanager
def cerrojo(nombre: str) -> Iterator[None]:
    """Makes a read-then-write on the cache (a throttle's history) one step for every server: a Redis
    lock under ``nombre``. Local memory needs none across servers (each process is its own); Redis down
    or the lock not taken in 2 s: go on without it (the limits fail open, as the cache does)."""
    cache = caches["default"]
    if not isinstance(cache, RedisTolerante):
        yield
        return
    try:
        candado = cache._cache.get_client(write=True).lock(
            cache.make_key(f"cerrojo:{nombre}"), timeout=2, blocking_timeout=2
        )
        tomado = candado.acquire()
    except FALLAS_DE_REDIS:
        tomado = False
    try:
        yield
    finally:
        if tomado:
            try:
                candado.release()
            except (*FALLAS_DE_REDIS, LockError):
                pass
