"""Filters of the commitments page. The page, its counts, its exports and the API all go through this one
FilterSet, built on the filters every followed-up item shares (``seguimiento.filters``)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from seguimiento.filters import (
    MAX_DIAS,
    Casilla,
    Lista,
    SeguibleFilterSet,
    filtro_categoria,
    filtro_con_prorroga,
    filtro_estatus,
    filtro_fecha_al,
    filtro_historial,
    filtro_orden,
    filtro_sin_actualizar,
    filtro_texto,
)

from .models import Compromiso, Convenio, Dependencia, Parte

LAS_PARTES = "las-partes"

# Sort keys offered in ``?orden=`` (prefix "-" for descending): label and the fields they sort by.
ORDENES = {
    "convenio": (_("Convenio"), ["convenio__nombre", "numero"]),
    "responsable": (_("Parte responsable"), ["responsable__dependencia__nombre"]),
    "texto": (_("Compromiso"), ["texto"]),
    "estatus": (
        _("Estatus actual"),
        ["estatus_vigente__orden", "estatus_vigente__nombre"],
    ),
    "fecha": (_("Fecha efectiva"), ["fecha_vigente"]),
    "actualizado": (_("Última actualización"), ["ultima_actualizacion__registrado_en"]),
    "limite": (_("Fecha límite"), ["fecha_limite"]),
}
ORDEN_INICIAL = "convenio"


def compromisos_base():
    """Every commitment with what the table shows, in one query: the current status from the copies;
    the pointer only for when the current update was recorded (a column of its own)."""
    return (
        Compromiso.objects.con_estatus_actual()
        .con_prorrogas()
        .select_related("convenio", "responsable__dependencia", "ultima_actualizacion")
        .only(
            "numero",
            "version",
            "texto",
            "fecha_limite",
            "convenio__nombre",
            "convenio__slug",
            "responsable__etiqueta",
            "responsable__dependencia__nombre",
            "fecha_vigente",
            "nota_vigente",
            "estatus_vigente__nombre",
            "estatus_vigente__slug",
            "estatus_vigente__categoria",
            "ultima_actualizacion__registrado_en",
        )
    )


def opciones_convenio(convenios):
    return list(convenios.order_by("nombre").values_list("slug", "nombre"))


def opciones_responsable(convenios):
    """The institutions that are a party to one of ``convenios`` (all convenios: no subquery)."""
    en_convenios = Parte.objects.filter(dependencia=OuterRef("pk"))
    if convenios.query.where:
        en_convenios = en_convenios.filter(convenio__in=convenios.values("pk"))
    partes = Dependencia.objects.filter(Exists(en_convenios)).order_by("nombre")
    return [(LAS_PARTES, _("LAS PARTES (compromisos conjuntos)"))] + [
        (str(d.pk), d.nombre) for d in partes.only("nombre")
    ]


class CompromisoFilterSet(SeguibleFilterSet):
    ORDENES = ORDENES
    ORDEN_INICIAL = ORDEN_INICIAL
    CAMPOS_TEXTO = ("busqueda",)  # the text and the current note, one generated column

    estatus = filtro_estatus()
    categoria = filtro_categoria()
    fecha = filtro_fecha_al()
    convenio = django_filters.ChoiceFilter(
        label=_("Convenio"),
        choices=[],  # set per request: ``opciones``
        field_name="convenio__slug",
        empty_label=_("Todos"),
        widget=Lista,
    )
    responsable = django_filters.ChoiceFilter(
        label=_("Parte responsable"),
        choices=[],  # set per request: ``opciones``
        method="filtrar_responsable",
        empty_label=_("Todas"),
        widget=Lista,
    )
    desde = django_filters.DateFilter(
        label=_("Fecha efectiva desde"),
        method="filtrar_desde",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    hasta = django_filters.DateFilter(
        label=_("Fecha efectiva hasta"),
        method="filtrar_hasta",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    vencidos = django_filters.ChoiceFilter(
        label=_("Solo vencidos (fecha límite pasada y sin cumplir)"),
        choices=[("1", _("Sí"))],
        method="filtrar_vencidos",
        widget=Casilla,
    )
    sin_actualizar = filtro_sin_actualizar()
    con_prorroga = filtro_con_prorroga()
    por_vencer = django_filters.NumberFilter(
        label=_("Vencen en los próximos N días (sin cumplir)"),
        method="filtrar_por_vencer",
        min_value=0,
        max_value=MAX_DIAS,
        decimal_places=0,
    )
    q = filtro_texto(_("Texto (compromiso o su nota vigente)"))
    q_historial = filtro_historial()
    orden = filtro_orden(ORDENES)

    class Meta(SeguibleFilterSet.Meta):
        model = Compromiso
        fields = []

    def opciones(self, usuario) -> dict[str, list]:
        convenios = Convenio.objects.all() if usuario is None else Convenio.objects.visibles_para(usuario)
        return {"convenio": opciones_convenio(convenios), "responsable": opciones_responsable(convenios)}

    def filtrar_desde(self, queryset, name, valor):
        return queryset.filter(**{f"{self.campo('fecha_vigente')}__gte": valor})

    def filtrar_hasta(self, queryset, name, valor):
        return queryset.filter(**{f"{self.campo('fecha_vigente')}__lte": valor})

    def filtrar_por_vencer(self, queryset, name, valor):
        return queryset.por_vencer(self.dia, int(valor), al=bool(self.al))

    def filtrar_responsable(self, queryset, name, valor):
        if valor == LAS_PARTES:
            return queryset.filter(responsable__isnull=True)
        return queryset.filter(responsable__dependencia_id=int(valor))

    def filtrar_vencidos(self, queryset, name, valor):
        return queryset.vencidos(self.dia, al=bool(self.al)) if valor == "1" else queryset
