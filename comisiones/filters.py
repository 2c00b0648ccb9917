"""Filters of the commission duties page (``comisiones:atribuciones``): the same filters, counts and
exports as the commitments page (``seguimiento.filters``), plus the commission and the subject."""

import django_filters
from django.utils.translation import gettext_lazy as _

from seguimiento.filters import (
    Lista,
    SeguibleFilterSet,
    filtro_categoria,
    filtro_estatus,
    filtro_historial,
    filtro_orden,
    filtro_sin_actualizar,
    filtro_texto,
)

from .models import Atribucion, Comision

# Sort keys offered in ``?orden=`` (prefix "-" for descending): label and the fields they sort by.
ORDENES = {
    "comision": (_("Comisión"), ["comision__nombre", "numero"]),
    "materia": (_("Materia"), ["materia", "comision__nombre", "numero"]),
    "texto": (_("Atribución"), ["texto"]),
    "estatus": (_("Estatus actual"), ["estatus_vigente__orden", "estatus_vigente__nombre"]),
    "fecha": (_("Fecha efectiva"), ["fecha_vigente"]),
    "actualizado": (_("Última actualización"), ["ultima_actualizacion__registrado_en"]),
}
ORDEN_INICIAL = "comision"


def atribuciones_base():
    """Every duty with what the table shows, in one query (the current status from the copies)."""
    return (
        Atribucion.objects.con_estatus_actual()
        .select_related("comision", "ultima_actualizacion")
        .only(
            "numero",
            "version",
            "texto",
            "materia",
            "comision__nombre",
            "comision__slug",
            "fecha_vigente",
            "nota_vigente",
            "estatus_vigente__nombre",
            "estatus_vigente__slug",
            "estatus_vigente__categoria",
            "ultima_actualizacion__registrado_en",
        )
    )


def opciones_comision(comisiones):
    return list(comisiones.order_by("nombre").values_list("slug", "nombre"))


class AtribucionFilterSet(SeguibleFilterSet):
    ORDENES = ORDENES
    ORDEN_INICIAL = ORDEN_INICIAL

    estatus = filtro_estatus()
    categoria = filtro_categoria()
    comision = django_filters.ChoiceFilter(
        label=_("Comisión"),
        choices=[],  # set per request: ``opciones``
        field_name="comision__slug",
        empty_label=_("Todas"),
        widget=Lista,
    )
    materia = django_filters.ChoiceFilter(
        label=_("Materia"),
        choices=Atribucion.Materia.choices,
        empty_label=_("Todas"),
        widget=Lista,
    )
    sin_actualizar = filtro_sin_actualizar()
    q = filtro_texto(_("Texto (atribución o su nota vigente)"))
    q_historial = filtro_historial()
    orden = filtro_orden(ORDENES)

    class Meta(SeguibleFilterSet.Meta):
        model = Atribucion
        fields = []

    def opciones(self, usuario) -> dict[str, list]:
        comisiones = Comision.objects.all() if usuario is None else Comision.objects.visibles_para(usuario)
        return {"comision": opciones_comision(comisiones)}
