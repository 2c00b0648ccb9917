"""Requests per user, so per token (``settings.API_LIMITE``): 429 with ``Retry-After`` past it."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

from seguimiento.cache import cerrojo


class ConteoEnUnPaso(SimpleRateThrottle):
    """DRF reads the history, then writes it: two servers at the same moment would both count the same
    slot. Under a lock on the shared cache (seguimiento/cache.py) the count is exact across servers."""

    def allow_request(self, request, view):
        if self.rate is None or (clave := self.get_cache_key(request, view)) is None:
            return super().allow_request(request, view)
        with cerrojo(clave):
            return super().allow_request(request, view)


class PorUsuario(ConteoEnUnPaso, UserRateThrottle):
    scope = "usuario"
    ajuste = "API_LIMITE"  # the setting that holds the rate

    def get_rate(self) -> str:
        # Read on every request (DRF binds its rate table at import), so a setting change applies at once.
        return getattr(settings, self.ajuste)
