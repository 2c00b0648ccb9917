"""Filters of the commitments page. The page, its counts and its exports all go through this one FilterSet."""

import django_filters
from django import forms
from django.db.models import Count, Exists, F, OuterRef, Value
from django.db.models.functions import Lower
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from seguimiento.models import Estatus

from .models import Actualizacion, Compromiso, Convenio, Dependencia, Parte

LAS_PARTES = "las-partes"
SIN_ESTATUS = "sin_estatus"
MAX_DIAS = 36_500

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


class Casilla(forms.CheckboxInput):
    """A checkbox that submits "1" and hands the raw value to the field, so ``vencidos=1`` is the filter."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=lambda valor: valor == "1")

    def format_value(self, value):
        return "1"

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class Lista(forms.Select):
    """A <select> rendered in Python: widget templates cost ~0.2 ms per option, too slow for 100+ options."""

    def render(self, name, value, attrs=None, renderer=None):
        elegido = "" if value is None else str(value)
        opciones = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) == elegido else ""}>{escape(e)}</option>'
            for v, e in self.choices
        )
        atributos = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{atributos}>{opciones}</select>')


class CompromisoFilterForm(forms.Form):
    """The filters' form (a NUL character never reaches it: ``config.middleware`` answers 400)."""

    def clean(self):
        datos = super().clean()
        desde, hasta = datos.get("desde"), datos.get("hasta")
        if desde and hasta and desde > hasta:
            raise forms.ValidationError(
                _("La fecha «desde» (%(desde)s) es posterior a la fecha «hasta» (%(hasta)s)."),
                params={"desde": desde.isoformat(), "hasta": hasta.isoformat()},
            )
        return datos


def opciones_convenio():
    return list(Convenio.objects.order_by("nombre").values_list("slug", "nombre"))


def opciones_responsable():
    partes = Dependencia.objects.filter(Exists(Parte.objects.filter(dependencia=OuterRef("pk")))).order_by(
        "nombre"
    )
    return [(LAS_PARTES, _("LAS PARTES (compromisos conjuntos)"))] + [
        (str(d.pk), d.nombre) for d in partes.only("nombre")
    ]


def opciones_orden():
    opciones = []
    for clave, (etiqueta, _campos) in ORDENES.items():
        opciones += [(clave, f"{etiqueta} ↑"), (f"-{clave}", f"{etiqueta} ↓")]
    return opciones


class CompromisoFilterSet(django_filters.FilterSet):
    estatus = django_filters.MultipleChoiceFilter(
        label=_("Estatus actual"),
        choices=[],  # set per request in __init__
        field_name="estatus_vigente__slug",
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    categoria = django_filters.ChoiceFilter(
        label=_("Categoría del estatus"),
        choices=[*Estatus.Categoria.choices, (SIN_ESTATUS, _("Sin estatus"))],
        method="filtrar_categoria",
        empty_label=_("Todas"),
        widget=Lista,
    )
    convenio = django_filters.ChoiceFilter(
        label=_("Convenio"),
        choices=opciones_convenio,
        field_name="convenio__slug",
        empty_label=_("Todos"),
        widget=Lista,
    )
    responsable = django_filters.ChoiceFilter(
        label=_("Parte responsable"),
        choices=opciones_responsable,
        method="filtrar_responsable",
        empty_label=_("Todas"),
        widget=Lista,
    )
    desde = django_filters.DateFilter(
        label=_("Fecha efectiva desde"),
        field_name="fecha_vigente",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    hasta = django_filters.DateFilter(
        label=_("Fecha efectiva hasta"),
        field_name="fecha_vigente",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    vencidos = django_filters.ChoiceFilter(
        label=_("Solo vencidos (fecha límite pasada y sin cumplir)"),
        choices=[("1", _("Sí"))],
        method="filtrar_vencidos",
        widget=Casilla,
    )
    sin_actualizar = django_filters.NumberFilter(
        label=_("Sin actualizar en los últimos N días"),
        method="filtrar_sin_actualizar",
        min_value=0,
        max_value=MAX_DIAS,
        decimal_places=0,
    )
    por_vencer = django_filters.NumberFilter(
        label=_("Vencen en los próximos N días (sin cumplir)"),
        method="filtrar_por_vencer",
        min_value=0,
        max_value=MAX_DIAS,
        decimal_places=0,
    )
    q = django_filters.CharFilter(
        label=_("Texto (compromiso o su nota vigente)"),
        method="filtrar_texto",
        max_length=200,
    )
    q_historial = django_filters.CharFilter(
        label=_("Texto en cualquier nota del historial"),
        method="filtrar_historial",
        max_length=200,
    )
    orden = django_filters.ChoiceFilter(
        label=_("Ordenar por"),
        choices=opciones_orden,
        method="ordenar",
        empty_label=None,
        widget=Lista,
    )

    class Meta:
        model = Compromiso
        fields = []
        form = CompromisoFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read each catalogue once per request: the form validates and renders from these lists.
        self.estatus = list(Estatus.objects.all())
        self.filters["estatus"].extra["choices"] = [(e.slug, e.nombre) for e in self.estatus]
        self.filters["convenio"].extra["choices"] = opciones_convenio()
        self.filters["responsable"].extra["choices"] = opciones_responsable()

    @property
    def qs(self):
        """Invalid input gives no rows (never a silently ignored filter); sorting always ends on pk."""
        if not hasattr(self, "_qs"):
            if self.is_bound and not self.form.is_valid():
                self._qs = self.queryset.none()
            else:
                qs = super().qs
                if not (self.form.cleaned_data.get("orden") if self.is_bound else None):
                    qs = self.ordenar(qs, "orden", ORDEN_INICIAL)
                self._qs = qs
        return self._qs

    def filtrar_categoria(self, queryset, name, valor):
        if valor == SIN_ESTATUS:
            return queryset.filter(estatus_vigente__isnull=True)
        return queryset.filter(estatus_vigente__categoria=valor)

    def filtrar_por_vencer(self, queryset, name, valor):
        return queryset.por_vencer(timezone.localdate(), int(valor))

    def filtrar_responsable(self, queryset, name, valor):
        if valor == LAS_PARTES:
            return queryset.filter(responsable__isnull=True)
        return queryset.filter(responsable__dependencia_id=int(valor))

    def filtrar_vencidos(self, queryset, name, valor):
        return queryset.vencidos(timezone.localdate()) if valor == "1" else queryset

    def filtrar_sin_actualizar(self, queryset, name, valor):
        return queryset.sin_actualizar(timezone.localdate(), int(valor))

    def filtrar_texto(self, queryset, name, valor):
        """The commitment's text or the note of its current status (not older notes: ``q_historial``):
        ``Compromiso.busqueda``, both lower-cased by the database, matched with a plain LIKE."""
        return queryset.filter(busqueda__contains=Lower(Value(valor)))

    def filtrar_historial(self, queryset, name, valor):
        """Any note in the commitment's history, the current one included."""
        # A subquery, not a list read first: PostgreSQL answers it from the trigram index, and reading
        # thousands of ids (a common word is in most histories) cost more than matching twice.
        en_notas = Actualizacion.objects.filter(nota__icontains=valor).values("compromiso_id")
        return queryset.filter(pk__in=en_notas)

    def ordenar(self, queryset, name, valor):
        descendente = valor.startswith("-")
        campos = ORDENES[valor.lstrip("-")][1]
        orden = [F(c).desc(nulls_last=True) if descendente else F(c).asc(nulls_last=True) for c in campos]
        return queryset.order_by(*orden, "-pk" if descendente else "pk")

    def conteo_por_estatus(self) -> list[tuple[Estatus | None, int]]:
        """How many filtered commitments are in each current status (catalogue order; None = no status)."""
        filas = (
            self.qs.order_by()
            .values_list("estatus_vigente_id")
            .annotate(n=Count("pk"))
            .values_list("estatus_vigente_id", "n")
        )
        conteo = dict(filas)
        estatus = {e.pk: e for e in self.estatus}
        resultado = [(e, conteo[e.pk]) for e in estatus.values() if conteo.get(e.pk)]
        if conteo.get(None):
            resultado.append((None, conteo[None]))
        return resultado
