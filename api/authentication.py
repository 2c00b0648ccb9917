"""``Authorization: Token <clave>`` checked against the stored digest of each key (api.models.ClaveDeAPI)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .models import ClaveDeAPI, resumen_de


class ClaveDeAPIAuthentication(TokenAuthentication):
    """DRF's header and 401 challenge (``WWW-Authenticate: Token``); the key is looked up by its SHA-256,
    and refused once expired or once its user's password has changed. Records the last use."""

    def authenticate_credentials(self, key):
        clave = ClaveDeAPI.objects.select_related("usuario").filter(resumen=resumen_de(key)).first()
        if clave is None:
            raise AuthenticationFailed(_("Token inválido."))
        if not clave.usuario.is_active:
            raise AuthenticationFailed(_("Usuario inactivo o borrado."))
        ahora = timezone.now()
        if clave.vencida(ahora):
            raise AuthenticationFailed(_("La clave de la API venció; pida una nueva."))
        if clave.revocada_por_contrasena():
            raise AuthenticationFailed(
                _("La clave de la API quedó revocada al cambiar la contraseña; pida una nueva.")
            )
        clave.registrar_uso(ahora)
        return clave.usuario, clave
