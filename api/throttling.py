"""Requests per user, so per token (``settings.API_LIMITE``): 429 with ``Retry-After`` past it."""

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class PorUsuario(UserRateThrottle):
    scope = "usuario"
    ajuste = "API_LIMITE"  # the setting that holds the rate

    def get_rate(self) -> str:
        # Read on every request (DRF binds its rate table at import), so a setting change applies at once.
        return getattr(settings, self.ajuste)
