"""Filters of the API lists. Commitments go through the commitments page's own ``CompromisoFilterSet``:
same parameters, same errors, same ordering; this module only documents them in the schema."""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.settings import api_settings

from comisiones.models import Atribucion, Comision
from convenios import filters as filtros_de_la_pagina
from seguimiento.filters import SeguibleFilterSet, filtro_texto

# django-filter class → OpenAPI schema of one value.
TIPOS = (
    (django_filters.DateFilter, {"type": "string", "format": "date"}),
    (django_filters.NumberFilter, {"type": "integer"}),
)


def _esquema(filtro) -> dict:
    esquema = next((dict(t) for clase, t in TIPOS if isinstance(filtro, clase)), {"type": "string"})
    opciones = filtro.extra.get("choices")
    if callable(opciones):
        opciones = opciones()
    # Catalogue choices (statuses, convenios, parties) as they are now: the schema is generated per request.
    if opciones:
        esquema["enum"] = [str(valor) for valor, _etiqueta in opciones]
    elif not isinstance(filtro, django_filters.CharFilter) and esquema["type"] == "string":
        esquema["minLength"] = 1  # an empty date is a 400 (``vacios_de``), not "no filter"
    for limite, clave in (("min_value", "minimum"), ("max_value", "maximum")):
        if filtro.extra.get(limite) is not None:
            esquema[clave] = filtro.extra[limite]
    if isinstance(filtro, django_filters.CharFilter) and filtro.extra.get("max_length"):
        esquema["maxLength"] = filtro.extra["max_length"]
    if isinstance(filtro, django_filters.MultipleChoiceFilter):
        return {"type": "array", "items": esquema}
    return esquema


def parametros_de(filterset_class) -> list[dict]:
    """The query parameters of a FilterSet, as OpenAPI parameters, described by its own labels; the
    choices its ``__init__`` reads from the catalogues are read here too."""
    filtros = filterset_class().filters
    return [
        {
            "name": nombre,
            "in": "query",
            "required": False,
            "description": str(filtro.label or nombre),
            "schema": _esquema(filtro),
            **(
                {"style": "form", "explode": True}
                if isinstance(filtro, django_filters.MultipleChoiceFilter)
                else {}
            ),
        }
        for nombre, filtro in filtros.items()
    ]


class FiltroDeFilterSet(BaseFilterBackend):
    """Apply the view's ``filterset_class`` to its list; invalid input is a 400 with the form's Spanish
    errors (the page shows the same errors and no rows)."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        vacios = vacios_de(view.filterset_class, request.query_params)
        if vacios:
            raise ValidationError(vacios)
        filtro = view.filterset_class(request.query_params, queryset=queryset, request=request)
        if not filtro.is_valid():
            raise ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY if campo == "__all__" else campo: list(mensajes)
                    for campo, mensajes in filtro.errors.items()
                }
            )
        return filtro.qs

    def get_schema_operation_parameters(self, view) -> list[dict]:
        # Only the list reads them: the history (also an array) and the detail must not document them.
        if getattr(view, "action", None) != "list":
            return []
        return parametros_de(view.filterset_class)


def vacios_de(filterset_class, parametros) -> dict:
    """Dates, numbers and choices given empty (``desde=``): the page's form reads that as "no filter",
    a program more likely sent a value it did not have; either way the schema does not allow it."""
    return {
        nombre: [_("Dé un valor o quite el parámetro.")]
        for nombre, filtro in filterset_class.base_filters.items()
        if not isinstance(filtro, django_filters.CharFilter)
        and nombre in parametros
        and any(not v.strip() for v in parametros.getlist(nombre))
    }


class CompromisoFilterSet(filtros_de_la_pagina.CompromisoFilterSet):
    """The page's filters but its ``fecha``: the API reads ``fecha`` itself (``vigente`` as of that
    date, ``ElementoViewSet.fecha``) and its filters read the current status."""

    @classmethod
    def get_filters(cls):
        filtros = super().get_filters()
        filtros.pop("fecha", None)
        return filtros


class AtribucionFilterSet(SeguibleFilterSet):
    comision = django_filters.ChoiceFilter(
        label=_("Clave de la comisión"), field_name="comision__slug", choices=[]
    )
    materia = django_filters.ChoiceFilter(label=_("Materia"), choices=Atribucion.Materia.choices)
    q = filtro_texto(_("Texto (atribución o su nota vigente), sin distinguir acentos ni mayúsculas"))

    class Meta(SeguibleFilterSet.Meta):
        model = Atribucion
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["comision"].extra["choices"] = list(Comision.objects.values_list("slug", "nombre"))

    @property
    def qs(self):
        return super().qs.order_by("comision__nombre", "numero", "pk")


__all__ = ["AtribucionFilterSet", "CompromisoFilterSet", "FiltroDeFilterSet", "parametros_de"]
