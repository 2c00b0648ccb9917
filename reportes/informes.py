"""The three reports (convenio, consolidated, commission): what each shows as of a date, and the
rules the pages and the API share to read a report's date (``leer_fecha``) and an issued report (``emitido``).

Each context is built from ``con_estatus_al(fecha, conocido_al)``, the one as-of query, over the
items ``conocidos`` keeps, so a report can be redrawn later exactly as it was issued
(``conocido_al`` = the issue time): updates recorded and items created after it are left out.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from comisiones.models import Atribucion, Comision, agrupar_por_materia
from convenios.models import Compromiso, Convenio, bloques_por_encabezado
from reportes.graficas import cierres_de_mes, graficas_de_compromisos
from seguimiento.models import FECHA_MINIMA, Estatus, es_enlace

from .models import InformeEmitido

Categoria = Estatus.Categoria


def conocidos(registros, conocido_al: datetime.datetime | None):
    """What existed at ``conocido_al`` (by its system-assigned ``creado_en``); everything without it."""
    return registros if conocido_al is None else registros.filter(creado_en__lte=conocido_al)


def _con_estatus(elementos, estatus: dict[int, Estatus]) -> list:
    for elemento in elementos:
        elemento.estatus_al = estatus.get(elemento.estatus_al_id)
    return elementos


def _fecha_actualizacion(elementos) -> datetime.date | None:
    """The effective date of the latest update included: the report's *Fecha de Actualización*."""
    return max((e.fecha_estatus_al for e in elementos if e.fecha_estatus_al), default=None)


def contexto_convenio(convenio: Convenio, fecha: datetime.date, conocido_al=None) -> dict:
    compromisos = _con_estatus(
        list(
            conocidos(Compromiso.objects.de_convenio(convenio), conocido_al)
            .con_estatus_al(fecha, conocido_al)
            .por_parte()
        ),
        Estatus.objects.por_id(),
    )
    partes = list(conocidos(convenio.partes.select_related("dependencia"), conocido_al))
    return {
        "convenio": convenio,
        "fecha": fecha,
        "fecha_actualizacion": _fecha_actualizacion(compromisos),
        "celebran": convenio.celebran(partes),
        "bloques": bloques_por_encabezado(compromisos),
    }


@dataclass
class FilaConsolidada:
    convenio: Convenio
    por_categoria: dict[str, int]
    sin_estatus: int
    total: int

    @property
    def conteos(self) -> list[int]:
        return [self.por_categoria[c] for c in Categoria.values]

    @property
    def favorable_pct(self) -> float | None:
        return 100 * self.por_categoria[Categoria.FAVORABLE] / self.total if self.total else None


def contexto_consolidado(_objeto, fecha: datetime.date, conocido_al=None) -> dict:
    """Per convenio started by ``fecha``: commitments by status category, and % favourable; and the
    charts of the home page as of ``fecha`` (by convenio, by institution, 24-month trend)."""
    estatus = Estatus.objects.por_id()
    conteos = (
        conocidos(Compromiso.objects.filter(convenio__fecha_inicio__lte=fecha), conocido_al)
        .con_estatus_al(fecha, conocido_al)
        .values(
            "convenio_id",
            "estatus_al_id",
            "fecha_estatus_al",
            convenio_nombre=F("convenio__nombre"),
            institucion=F("responsable__dependencia__nombre"),
            inicio=F("convenio__fecha_inicio"),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    por_convenio: dict[int, Counter] = {}
    fechas = []
    filas_graficas = []
    for fila in conteos:
        categoria = estatus[fila["estatus_al_id"]].categoria if fila["estatus_al_id"] else None
        por_convenio.setdefault(fila["convenio_id"], Counter())[categoria] += fila["n"]
        filas_graficas.append({**fila, "categoria": categoria})
        if fila["fecha_estatus_al"]:
            fechas.append(fila["fecha_estatus_al"])
    filas = []
    for convenio in conocidos(Convenio.objects.filter(fecha_inicio__lte=fecha), conocido_al):
        cuenta = por_convenio.get(convenio.pk, Counter())
        filas.append(
            FilaConsolidada(
                convenio=convenio,
                por_categoria={c: cuenta[c] for c in Categoria.values},
                sin_estatus=cuenta[None],
                total=sum(cuenta.values()),
            )
        )
    total = Counter()
    for fila in filas:
        total.update({**fila.por_categoria, None: fila.sin_estatus})
    return {
        "fecha": fecha,
        "fecha_actualizacion": max(fechas, default=None),
        "categorias": Categoria.choices,
        "graficas": graficas_de_compromisos(
            filas_graficas,
            conocidos(Compromiso.objects.all(), conocido_al).favorables_al_cierre(
                cierres_de_mes(fecha), conocido_al
            ),
            fecha,
        ),
        "filas": filas,
        "total": FilaConsolidada(
            convenio=None,
            por_categoria={c: total[c] for c in Categoria.values},
            sin_estatus=total[None],
            total=sum(total.values()),
        ),
    }


def contexto_comision(comision: Comision, fecha: datetime.date, conocido_al=None) -> dict:
    atribuciones = _con_estatus(
        list(
            conocidos(Atribucion.objects.filter(comision=comision), conocido_al)
            .con_estatus_al(fecha, conocido_al)
            .order_by("numero")
        ),
        Estatus.objects.por_id(),
    )
    return {
        "comision": comision,
        "fecha": fecha,
        "fecha_actualizacion": _fecha_actualizacion(atribuciones),
        "materias": agrupar_por_materia(atribuciones),
    }


@dataclass(frozen=True)
class Reporte:
    """One kind of report: how to find its subject, build its context and name its file."""

    tipo: str
    plantilla: str
    contexto: Callable
    lectura: str  # the permission to read what the report shows; nobody reads by report what they cannot open
    modelo: type | None = None

    def legible_para(self, usuario) -> bool:
        """Whether ``usuario`` reads this kind of report: it reads what it shows; the consolidated
        report (every convenio) is not for an Enlace, who reads only its own."""
        return usuario.has_perm(self.lectura) and (self.modelo is not None or not es_enlace(usuario))

    def obtener(self, slug: str | None, usuario):
        """The report's subject, among those ``usuario`` may read (404 otherwise, as for an unknown
        slug); None for the consolidated report."""
        if self.modelo is None:
            if not self.legible_para(usuario):
                raise Http404
            return None
        return get_object_or_404(self.modelo.objects.visibles_para(usuario), slug=slug)

    def titulo(self, objeto) -> str:
        etiqueta = InformeEmitido.Tipo(self.tipo).label
        return f"{etiqueta} · {objeto.nombre}" if objeto else str(etiqueta)

    def nombre_archivo(self, objeto, fecha: datetime.date) -> str:
        prefijo = {"convenio": "informe-seguimiento", "consolidado": "informe-consolidado"}.get(
            self.tipo, f"informe-{self.tipo}"
        )
        partes = [prefijo, objeto.slug if objeto else None, fecha.isoformat()]
        return "-".join(p for p in partes if p) + ".pdf"

    @staticmethod
    def inicio(objeto) -> datetime.date | None:
        return getattr(objeto, "fecha_inicio", None)


REPORTES = {
    InformeEmitido.Tipo.CONVENIO: Reporte(
        InformeEmitido.Tipo.CONVENIO,
        "reportes/informe.html",
        contexto_convenio,
        Convenio.permiso_lectura(),
        Convenio,
    ),
    InformeEmitido.Tipo.CONSOLIDADO: Reporte(
        InformeEmitido.Tipo.CONSOLIDADO,
        "reportes/consolidado.html",
        contexto_consolidado,
        Convenio.permiso_lectura(),
    ),
    InformeEmitido.Tipo.COMISION: Reporte(
        InformeEmitido.Tipo.COMISION,
        "reportes/comision.html",
        contexto_comision,
        Comision.permiso_lectura(),
        Comision,
    ),
}


def tipos_legibles(usuario) -> list[str]:
    """The kinds of report whose subject ``usuario`` may read."""
    return [tipo for tipo, reporte in REPORTES.items() if reporte.legible_para(usuario)]


class FechaInvalida(ValueError):
    pass


def leer_fecha(valor: str | None, inicio: datetime.date | None = None) -> datetime.date:
    """The report date from ``?fecha=YYYY-MM-DD``; today when absent."""
    hoy = timezone.localdate()
    if not valor:
        return hoy
    try:
        fecha = datetime.date.fromisoformat(valor)
    except ValueError:
        raise FechaInvalida(
            _("La fecha «%(valor)s» no es válida; use el formato AAAA-MM-DD.") % {"valor": valor[:40]}
        ) from None
    if fecha < FECHA_MINIMA:
        raise FechaInvalida(
            _("La fecha %(fecha)s es anterior a 1900; un informe empieza el 1 de enero de 1900 o después.")
            % {"fecha": fecha.isoformat()}
        )
    if fecha > hoy:
        raise FechaInvalida(
            _("La fecha %(fecha)s está en el futuro; un informe solo puede mostrar lo ya ocurrido.")
            % {"fecha": fecha.isoformat()}
        )
    if inicio and fecha < inicio:
        raise FechaInvalida(
            _("El convenio inició el %(inicio)s; no hay informe para una fecha anterior.")
            % {"inicio": inicio.isoformat()}
        )
    return fecha


def emitido(folio: str, usuario) -> InformeEmitido:
    """The issued report with that folio (404), if the user may read what it shows (403; 404 for an
    Enlace's report on what it may not read, as if there were none)."""
    informe = InformeEmitido.objects.por_folio(folio)
    if informe is None:
        raise Http404(_("No hay un informe emitido con ese folio."))
    if not usuario.has_perm(REPORTES[informe.tipo].lectura):
        raise PermissionDenied
    if (
        es_enlace(usuario)
        and not InformeEmitido.objects.filter(pk=informe.pk).de_lo_visible_para(usuario).exists()
    ):
        raise Http404(_("No hay un informe emitido con ese folio."))
    return informe
