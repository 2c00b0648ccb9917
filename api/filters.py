"""Filters of the API lists. Commitments go through the commitments page's own ``CompromisoFilterSet``:
same parameters, same errors, same ordering; this module only documents them in the schema."""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.settings import api_settings

from comisiones.models import Atribucion, Comision
from convenios.filters import CompromisoFilterSet
from seguimiento.filters import SeguibleFilterSet, filtro_texto

# django-filter class → OpenAPI schema of one value.
TIPOS = (
    (django_filters.DateFilter, {"type": "string", "format": "date"}),
    (django_filters.NumberFilter, {"type": "integer"}),
)


def _esquema(filtro) -> dict:
    esquema = next((dict(t) for clase, t in TIPOS if isinstance(filtro, clase)), {"type": "string"})
    opciones = filtro.extra.get("choices")
    # Catalogue choices (statuses, convenios, parties) are read per request: no enum that would go stale.
    if opciones and not callable(opciones):
        esquema["enum"] = [str(valor) for valor, _etiqueta in opciones]
    if isinstance(filtro, django_filters.MultipleChoiceFilter):
        return {"type": "array", "items": esquema}
    return esquema


def parametros_de(filterset_class) -> list[dict]:
    """The query parameters of a FilterSet, as OpenAPI parameters, described by its own labels."""
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
        for nombre, filtro in filterset_class.base_filters.items()
    ]


class FiltroDeFilterSet(BaseFilterBackend):
    """Apply the view's ``filterset_class`` to its list; invalid input is a 400 with the form's Spanish
    errors (the page shows the same errors and no rows)."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
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
        return parametros_de(view.filterset_class)


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
