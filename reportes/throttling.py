"""Reports issued per user (``settings.EMITIR_LIMITE``): the API's throttle, its own counters.
Verifications per client address (``settings.VERIFICAR_LIMITE``) on the public page: 429 with
``Retry-After`` past it. Counted in the default cache, as the API's requests (api/throttling.py): with
``CACHE_URL=redis://…`` every worker shares the counters."""

from django.conf import settings
from django.utils.module_loading import import_string

from api.throttling import ConteoEnUnPaso, PorUsuario


class PorDireccion(ConteoEnUnPaso):
    scope = "verificar"

    def get_rate(self) -> str:
        return settings.VERIFICAR_LIMITE  # read on every request, as the API's rate

    def get_cache_key(self, request, view) -> str:
        """The client's address as the login lockout reads it (behind PROXIES_DE_CONFIANZA proxies)."""
        direccion = import_string(settings.AXES_CLIENT_IP_CALLABLE)(request)
        return self.cache_format % {"scope": self.scope, "ident": direccion}


class EmisionPorUsuario(PorUsuario):
    scope = "emitir"
    ajuste = "EMITIR_LIMITE"
