"""Verifications per client address (``settings.VERIFICAR_LIMITE``) on the public page: 429 with
``Retry-After`` past it. Counted in the default cache, as the API's requests (api/throttling.py): with
``CACHE_URL=redis://…`` every worker shares the counters."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from config.seguridad import ip_del_cliente


class PorDireccion(SimpleRateThrottle):
    scope = "verificar"

    def get_rate(self) -> str:
        return settings.VERIFICAR_LIMITE  # read on every request, as the API's rate

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": ip_del_cliente(request)}
