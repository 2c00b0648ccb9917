"""Reports issued per user (``settings.EMITIR_LIMITE``): the API's throttle, its own counters."""

from api.throttling import PorUsuario


class EmisionPorUsuario(PorUsuario):
    scope = "emitir"
    ajuste = "EMITIR_LIMITE"
