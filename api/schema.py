"""The schema's shared parts: the error bodies every operation may answer with."""

from drf_spectacular.authentication import TokenScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

DETALLE = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
ERRORES = {
    "type": "object",
    "description": 'Errores en español por campo: {"campo": ["mensaje", …]}; `detail` si es de la petición.',
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
}
# What any operation may answer besides its success (401 before everything: token or session missing).
ERRORES_COMUNES = {
    "400": (ERRORES, "Parámetros o datos inválidos (mensajes en español)."),
    "401": (DETALLE, "Falta autenticación: `Authorization: Token <clave>` o sesión iniciada."),
    "403": (DETALLE, "El rol del usuario no tiene el permiso que la página correspondiente exige."),
    "404": (DETALLE, "No existe (o la página pedida no existe)."),
    "429": (DETALLE, "Demasiadas peticiones; la cabecera `Retry-After` dice en cuántos segundos reintentar."),
}


class EsquemaAPI(AutoSchema):
    def get_description(self):
        """Descriptions in Spanish, from ``extend_schema`` only: the views' docstrings are for developers."""
        return ""

    def _get_response_bodies(self, direction="response"):
        respuestas = super()._get_response_bodies(direction)
        for codigo, (esquema, descripcion) in ERRORES_COMUNES.items():
            if codigo not in respuestas:
                respuestas[codigo] = self._get_response_for_code(
                    OpenApiResponse(response=esquema, description=descripcion), codigo, direction=direction
                )
        return respuestas


class Token(TokenScheme):
    """The token scheme, described in Spanish (replaces drf-spectacular's own: higher priority)."""

    target_class = "api.authentication.ClaveDeAPIAuthentication"
    priority = 0

    def get_security_definition(self, auto_schema):
        return {
            **super().get_security_definition(auto_schema),
            "description": (
                "Cabecera `Authorization: Token <clave>`; la clave la da "
                "`python manage.py crear_token <usuario>` y se revoca en la administración."
            ),
        }
