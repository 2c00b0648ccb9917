"""The schema's shared parts: the error bodies every operation may answer with."""

import datetime

from django.utils import timezone
from drf_spectacular.authentication import TokenScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from seguimiento.models import FECHA_MINIMA

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


def patron_de_fechas(hoy: datetime.date) -> str:
    """A pattern for AAAA-MM-DD from FECHA_MINIMA (1 January 1900) to ``hoy``, both included (with
    ``format: date`` for the calendar): what ``leer_fecha`` accepts, written as the schema can say it."""
    anios = "|".join(str(a) for a in range(FECHA_MINIMA.year + 100, hoy.year))
    meses = "|".join(f"{m:02d}" for m in range(1, hoy.month))
    dias = "|".join(f"{d:02d}" for d in range(1, hoy.day + 1))
    partes = [rf"(19[0-9]{{2}}{'|' + anios if anios else ''})-[0-9]{{2}}-[0-9]{{2}}"]
    if meses:
        partes.append(rf"{hoy.year}-({meses})-[0-9]{{2}}")
    partes.append(rf"{hoy.year}-{hoy.month:02d}-({dias})")
    return "^(" + "|".join(partes) + ")$"


class EsquemaAPI(AutoSchema):
    def _get_parameters(self):
        """``fecha`` (the as-of date): from 1900 to today, as the pattern says."""
        parametros = super()._get_parameters()
        for parametro in parametros:
            if parametro["name"] == "fecha" and parametro["in"] == "query":
                parametro["schema"]["pattern"] = patron_de_fechas(timezone.localdate())
        return parametros

    def get_description(self):
        """Descriptions in Spanish, from ``extend_schema`` only: the views' docstrings are for developers."""
        return ""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        esquema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and field.field_name == "fecha_efectiva":
            esquema["pattern"] = patron_de_fechas(timezone.localdate())  # and not before the item's start
        origen = getattr(field, "opciones_del_formulario", None)
        if origen:  # an enum of what the page's form offers now (the active statuses)
            formulario, nombre = origen
            esquema["enum"] = [
                valor for valor, _ in formulario(elemento=None).fields[nombre].choices if valor
            ]
        return esquema

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
