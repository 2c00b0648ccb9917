"""Request limits, counted in the default cache (with ``CACHE_URL=redis://…`` every worker and server
shares the counters): 429 with ``Retry-After`` past each.

- ``PorUsuario``: the API's requests per user, so per token (``settings.API_LIMITE``);
- ``EmisionPorUsuario``: reports issued per user (``settings.EMITIR_LIMITE``), its own counters;
- ``PorDireccion``: verifications per client address on the public page (``settings.VERIFICAR_LIMITE``).
"""

from django.conf import settings
from django.utils.module_loading import import_string
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


class EmisionPorUsuario(PorUsuario):
    scope = "emitir"
    ajuste = "EMITIR_LIMITE"


class PorDireccion(ConteoEnUnPaso):
    scope = "verificar"

    def get_rate(self) -> str:
        return settings.VERIFICAR_LIMITE  # read on every request, as the API's rate

    def get_cache_key(self, request, view) -> str:
        """The client's address as the login lockout reads it (behind PROXIES_DE_CONFIANZA proxies)."""
        direccion = import_string(settings.AXES_CLIENT_IP_CALLABLE)(request)
        return self.cache_format % {"scope": self.scope, "ident": direccion}
