"""The filters every list of followed-up items shares (commitments, commission duties): each kind's
FilterSet declares them in its own order with these factories and inherits their methods from
``SeguibleFilterSet``, so the page, its counts, its exports and the API apply one rule per filter."""

import datetime

import django_filters
from django import forms
from django.db.models import Count, F
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .busqueda import buscar
from .models import CAMPOS_AL, Estatus, FechaInvalida, leer_fecha

SIN_ESTATUS = "sin_estatus"
MAX_DIAS = 36_500
LARGO_TEXTO = 200


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


class FiltrosForm(forms.Form):
    """The filters' form (a NUL character never reaches it: ``config.middleware`` answers 400)."""

    def clean(self):
        datos = super().clean() or {}
        desde, hasta = datos.get("desde"), datos.get("hasta")
        if desde and hasta and desde > hasta:
            raise forms.ValidationError(
                _("La fecha «desde» (%(desde)s) es posterior a la fecha «hasta» (%(hasta)s)."),
                params={"desde": desde.isoformat(), "hasta": hasta.isoformat()},
            )
        return datos


class CampoFecha(forms.CharField):
    """An as-of date read by the rule of the reports and the API (``leer_fecha``): AAAA-MM-DD, from
    1900 on, not in the future; its errors in Spanish. Empty: no date (the current status)."""

    widget = forms.DateInput(attrs={"type": "date"})

    def to_python(self, value):
        texto = super().to_python(value)
        if not texto:
            return None
        try:
            return leer_fecha(texto)
        except FechaInvalida as error:
            raise forms.ValidationError(str(error)) from None


class FiltroFecha(django_filters.Filter):
    field_class = CampoFecha


def opciones_orden(ordenes: dict) -> list[tuple[str, str]]:
    opciones = []
    for clave, (etiqueta, _campos) in ordenes.items():
        opciones += [(clave, f"{etiqueta} ↑"), (f"-{clave}", f"{etiqueta} ↓")]
    return opciones


def filtro_estatus():
    return django_filters.MultipleChoiceFilter(
        label=_("Estatus actual"),
        choices=[],  # set per request in __init__
        method="filtrar_estatus",
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )


def filtro_fecha_al():
    """``fecha=``: the list as of a past date; every other filter, the counts and the files then read
    the status in effect on that date (``SeguibleFilterSet.al``)."""
    return FiltroFecha(label=_("Estatus al día"), method="filtrar_al")


def filtro_categoria():
    return django_filters.ChoiceFilter(
        label=_("Categoría del estatus"),
        choices=[*Estatus.Categoria.choices, (SIN_ESTATUS, _("Sin estatus"))],
        method="filtrar_categoria",
        empty_label=_("Todas"),
        widget=Lista,
    )


def filtro_sin_actualizar():
    return django_filters.NumberFilter(
        label=_("Sin actualizar en los últimos N días"),
        method="filtrar_sin_actualizar",
        min_value=0,
        max_value=MAX_DIAS,
        decimal_places=0,
    )


def filtro_con_prorroga():
    """Items whose due date was extended at least once (``con_prorroga()`` of the kind's queryset)."""
    return django_filters.ChoiceFilter(
        label=_("Solo con prórroga (fecha límite extendida)"),
        choices=[("1", _("Sí"))],
        method="filtrar_con_prorroga",
        widget=Casilla,
    )


def filtro_texto(etiqueta):
    return django_filters.CharFilter(label=etiqueta, method="filtrar_texto", max_length=LARGO_TEXTO)


def filtro_historial():
    return django_filters.CharFilter(
        label=_("Texto en cualquier nota del historial"),
        method="filtrar_historial",
        max_length=LARGO_TEXTO,
    )


def filtro_orden(ordenes: dict):
    return django_filters.ChoiceFilter(
        label=_("Ordenar por"),
        choices=lambda: opciones_orden(ordenes),
        method="ordenar",
        empty_label=None,
        widget=Lista,
    )


class SeguibleFilterSet(django_filters.FilterSet):
    """What the filters of every kind of item do. A subclass sets ``ORDENES`` (``?orden=`` key →
    label and fields), ``ORDEN_INICIAL`` and ``CAMPOS_TEXTO`` (the fields ``q`` searches)."""

    ORDENES: dict = {}
    ORDEN_INICIAL = ""
    CAMPOS_TEXTO: tuple[str, ...] = ("texto", "nota_vigente")

    class Meta:
        form = FiltrosForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read the catalogue once per request: the form validates and renders from this list.
        self.estatus: list[Estatus] = []
        if "estatus" in self.filters:
            self.estatus = list(Estatus.objects.all())
            self.filters["estatus"].extra["choices"] = [(e.slug, e.nombre) for e in self.estatus]
        for nombre, opciones in self.opciones(getattr(self.request, "user", None)).items():
            self.filters[nombre].extra["choices"] = opciones
        if "fecha" in self.filters:
            self.filters["fecha"].extra["widget"] = forms.DateInput(
                attrs={"type": "date", "max": timezone.localdate().isoformat()}
            )

    def opciones(self, usuario) -> dict[str, list]:
        """The catalogue choices (convenios, parties, commissions), read once per request: filter name →
        choices. Only what ``usuario`` may read (``visibles_para``), so a list never names to an Enlace
        what it cannot open; all of them when there is no request (the API's schema)."""
        return {}

    @property
    def al(self) -> datetime.date | None:
        """The date of ``fecha=`` when given and valid: the list shows the status in effect then."""
        if "fecha" not in self.filters or not self.is_bound or not self.form.is_valid():
            return None
        return self.form.cleaned_data.get("fecha")

    @property
    def dia(self) -> datetime.date:
        """The day the list speaks of: the ``fecha=`` given, or today."""
        return self.al or timezone.localdate()

    def campo(self, copia: str) -> str:
        """Where this list reads one of the item's copies (``CAMPOS_AL``): the copy itself, or, as of
        a date, the same of the update in effect then."""
        return CAMPOS_AL[copia] if self.al else copia

    def filter_queryset(self, queryset):
        if self.al:
            queryset = queryset.con_copias_al(self.al)
        return super().filter_queryset(queryset)

    def filtrar_al(self, queryset, name, valor):
        return queryset  # applied first, in ``filter_queryset``: the other filters read it

    @property
    def qs(self):
        """Invalid input gives no rows (never a silently ignored filter); sorting always ends on pk."""
        if not hasattr(self, "_qs"):
            if self.is_bound and not self.form.is_valid():
                self._qs = self.queryset.none()
            else:
                qs = super().qs
                if self.ORDEN_INICIAL and not (
                    self.form.cleaned_data.get("orden") if self.is_bound else None
                ):
                    qs = self.ordenar(qs, "orden", self.ORDEN_INICIAL)
                self._qs = qs
        return self._qs

    def filtros_aplicados(self) -> list[tuple[str, list[str]]]:
        """The filters in effect, as given (for the exported file's name); sorting left out."""
        if not self.is_bound or not self.form.is_valid():
            return []
        resultado = []
        for nombre in self.filters:
            valor = self.form.cleaned_data.get(nombre)
            if nombre == "orden" or valor in (None, "", []):
                continue
            valores = valor if isinstance(valor, list) else [valor]
            resultado.append(
                (nombre, [v.isoformat() if hasattr(v, "isoformat") else str(v) for v in valores])
            )
        return resultado

    def filtrar_estatus(self, queryset, name, valores):
        if self.al:
            return queryset.filter(estatus_al_id__in=[e.pk for e in self.estatus if e.slug in valores])
        return queryset.filter(estatus_vigente__slug__in=valores)

    def filtrar_categoria(self, queryset, name, valor):
        if valor == SIN_ESTATUS:
            return queryset.filter(**{f"{self.campo('estatus_vigente_id')}__isnull": True})
        return queryset.filter(**{self.campo("estatus_vigente__categoria"): valor})

    def filtrar_sin_actualizar(self, queryset, name, valor):
        return queryset.sin_actualizar(self.dia, int(valor), al=bool(self.al))

    def filtrar_con_prorroga(self, queryset, name, valor):
        return queryset.con_prorroga() if valor == "1" else queryset

    def filtrar_texto(self, queryset, name, valor):
        """The item's text or the note of its current status (not older notes: ``q_historial``),
        accents and case aside."""
        return buscar(queryset, self.CAMPOS_TEXTO, valor)

    def filtrar_historial(self, queryset, name, valor):
        """Any note in the item's history, the current one included."""
        # A subquery, not a list read first: reading thousands of ids (a common word is in most
        # histories) cost more than matching twice.
        modelo = queryset.model.modelo_actualizacion()
        en_notas = buscar(modelo.objects, ["nota_busqueda"], valor).values(f"{modelo.CAMPO_ELEMENTO}_id")
        return queryset.filter(pk__in=en_notas)

    def ordenar(self, queryset, name, valor):
        descendente = valor.startswith("-")
        campos = self.ORDENES[valor.lstrip("-")][1]
        campos = [CAMPOS_AL.get(c, c) if self.al else c for c in campos]
        orden = [F(c).desc(nulls_last=True) if descendente else F(c).asc(nulls_last=True) for c in campos]
        return queryset.order_by(*orden, "-pk" if descendente else "pk")

    def conteo_por_estatus(self) -> list[tuple[Estatus | None, int]]:
        """How many filtered items are in each status, current or as of ``fecha=`` (catalogue order;
        None = no status)."""
        campo = self.campo("estatus_vigente_id")
        filas = self.qs.order_by().values_list(campo).annotate(n=Count("pk")).values_list(campo, "n")
        conteo = dict(filas)
        estatus = {e.pk: e for e in self.estatus}
        resultado: list[tuple[Estatus | None, int]] = [
            (e, conteo[e.pk]) for e in estatus.values() if conteo.get(e.pk)
        ]
        if conteo.get(None):
            resultado.append((None, conteo[None]))
        return resultado
