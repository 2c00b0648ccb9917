"""What the home page shows each user: for every kind of item they may read, counts by status
category, the overdue, due-soon and stale items, the latest changes and the commitments' charts.

The rules (overdue, due soon, stale) are ``SeguibleQuerySet`` conditions; this module only asks
them: every count in one grouped query, then each list's first items (an indexed ``LIMIT``).
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, F, Min, Q
from django.urls import reverse
from django.utils import timezone

from comisiones.models import Atribucion
from convenios.models import Compromiso, Convenio, DecisionProrroga, SolicitudProrroga
from reportes.graficas import (
    CLAVES,
    ETIQUETAS,
    FAVORABLE,
    SIN_ESTATUS,
    Grafica,
    cierres_de_mes,
    graficas_de_compromisos,
)
from seguimiento import validacion
from seguimiento.models import DecisionBase, es_enlace

# How many items each list shows; its link opens all of them.
POR_LISTA = 10
RECIENTES = 20


@dataclass
class Lista:
    clave: str
    titulo: str
    vacia: str
    elementos: list
    total: int
    enlace: str | None = None


@dataclass
class Seccion:
    """One kind of item (commitments, duties) as the home page shows it."""

    clave: str
    titulo: str
    conteos: list[tuple[str, str, int, str | None]]  # (category, label, n, link)
    total: int
    listas: list[Lista] = field(default_factory=list)
    # Where the section's charts are drawn (``tablero.views.GraficasView``): the page loads them
    # after itself, so what needs attention never waits for the trend's history replay and pygal.
    graficas: str | None = None


def _agrupar(qs, hoy: datetime.date, *campos, **expresiones) -> list[dict]:
    """Counts per group of ``campos`` and status category, with how many of each group are overdue,
    due soon and stale: every number of the page in one query, from the QuerySet's own conditions.
    It reads the items' own rows (their copies of the current status, not the history), grouped by
    ids where it can: names are put in afterwards from the small tables."""
    return list(
        qs.values(*campos, **expresiones, categoria=F("estatus_vigente__categoria"))
        .annotate(
            n=Count("pk"),
            vencidos=Count("pk", filter=qs.condicion_vencidos(hoy)),
            por_vencer=Count("pk", filter=qs.condicion_por_vencer(hoy)),
            sin_actualizar=Count("pk", filter=qs.condicion_sin_actualizar(hoy)),
            sin_estatus=Count("pk", filter=Q(estatus_vigente__isnull=True)),
        )
        .order_by()
    )


def _lista(
    qs, filas, clave: str, titulo: str, vacia: str, orden: list, enlace: str | None, sin_estatus_primero=False
) -> Lista:
    """The first ``POR_LISTA`` items of a rule; its total comes from the grouped counts.

    ``sin_estatus_primero``: the order puts the items with no status first (by pk); when the counts
    say there are enough of them, only those are read (an indexed ``IS NULL``), not every stale item
    joined to its status and sorted."""
    total = sum(fila[clave.rpartition(":")[2]] for fila in filas)
    if sin_estatus_primero and sum(fila["sin_estatus"] for fila in filas) >= POR_LISTA:
        qs, orden = qs.filter(estatus_vigente__isnull=True), []
    # Choose the first ones on the narrow rows, then read those few whole: sorting thousands of whole
    # rows (texts and all) to keep ten costs PostgreSQL three times as much.
    primeros = qs.order_by(*orden, "pk").values("pk")[:POR_LISTA]
    elementos = list(qs.filter(pk__in=primeros).order_by(*orden, "pk"))
    return Lista(clave.partition(":")[0], titulo, vacia, elementos, total, enlace if total else None)


def _conteos(filas, enlace) -> tuple[list, int]:
    por_categoria = dict.fromkeys(CLAVES, 0)
    for fila in filas:
        por_categoria[fila["categoria"] or SIN_ESTATUS] += fila["n"]
    conteos = [(c, ETIQUETAS[c], n, enlace(c) if n else None) for c, n in por_categoria.items()]
    return conteos, sum(por_categoria.values())


def favorables_por_mes(fechas: list[datetime.date], filas, usuario) -> dict[datetime.date, int]:
    """Favourable commitments at each past month's end (``favorables_al_cierre``, one query) and
    today, counted from ``filas``: the current status is the one in effect today."""
    pasadas, hoy = fechas[:-1], fechas[-1]
    hoy_favorables = sum(f["n"] for f in filas if f["categoria"] == FAVORABLE and f["inicio"] <= hoy)
    return {**Compromiso.objects.visibles_para(usuario).favorables_al_cierre(pasadas), hoy: hoy_favorables}


def _filas_de_compromisos(hoy: datetime.date, usuario) -> list[dict]:
    """The charts' grouped counts: by convenio and institution, with each convenio's name and start."""
    filas = _agrupar(
        Compromiso.objects.visibles_para(usuario),
        hoy,
        "convenio_id",
        institucion=F("responsable__dependencia__nombre"),
    )
    convenios = {
        pk: (nombre, inicio)
        for pk, nombre, inicio in Convenio.objects.visibles_para(usuario).values_list(
            "pk", "nombre", "fecha_inicio"
        )
    }
    for fila in filas:
        fila["convenio_nombre"], fila["inicio"] = convenios[fila["convenio_id"]]
    return filas


def graficas(hoy: datetime.date, usuario) -> list[Grafica]:
    """The commitments' charts of what ``usuario`` may read: by convenio, by institution and the
    favourable trend."""
    filas = _filas_de_compromisos(hoy, usuario)
    return graficas_de_compromisos(filas, favorables_por_mes(cierres_de_mes(hoy), filas, usuario), hoy)


def compromisos(hoy: datetime.date, usuario) -> Seccion:
    """Counts and lists of the commitments that are ``usuario``'s to follow (``proponibles_para``):
    an Enlace's institutions' and joint ones, not every commitment of its convenios it may read;
    every readable one for the other roles."""
    pagina = reverse("convenios:compromisos")

    def filtrada(**parametros) -> str:
        return f"{pagina}?{urlencode(parametros)}"

    dias = settings.DIAS_SIN_ACTUALIZAR
    propios = Compromiso.objects.proponibles_para(usuario)
    base = propios.select_related("convenio", "estatus_vigente")
    filas = _agrupar(propios, hoy)  # by category only: the charts group further
    conteos, total = _conteos(filas, lambda c: filtrada(categoria=c))
    return Seccion(
        clave="compromisos",
        titulo="Compromisos",
        conteos=conteos,
        total=total,
        listas=[
            _lista(
                base.vencidos(hoy),
                filas,
                "vencidos:vencidos",
                "Vencidos",
                "Ningún compromiso vencido.",
                ["fecha_limite"],
                filtrada(vencidos=1, orden="limite"),
            ),
            _lista(
                base.por_vencer(hoy),
                filas,
                "por-vencer:por_vencer",
                f"Vencen en los próximos {settings.DIAS_POR_VENCER} días",
                f"Ningún compromiso pendiente vence en los próximos {settings.DIAS_POR_VENCER} días.",
                ["fecha_limite"],
                filtrada(por_vencer=settings.DIAS_POR_VENCER, orden="limite"),
            ),
            _lista(
                base.sin_actualizar(hoy),
                filas,
                "sin-actualizar:sin_actualizar",
                f"Sin actualizar en {dias} días o más",
                f"Todos tienen una actualización efectiva en los últimos {dias} días.",
                [F("fecha_vigente").asc(nulls_first=True)],
                filtrada(sin_actualizar=dias, orden="fecha"),
                sin_estatus_primero=True,
            ),
        ],
        graficas=reverse("graficas"),
    )


def atribuciones(hoy: datetime.date, usuario) -> Seccion:
    """Duties have no due date: never overdue nor due soon; only their status and staleness. Those
    ``usuario`` follows (``proponibles_para``: an Enlace's commissions' duties)."""
    dias = settings.DIAS_SIN_ACTUALIZAR
    pagina = reverse("comisiones:atribuciones")
    propios = Atribucion.objects.proponibles_para(usuario)
    filas = _agrupar(propios, hoy)
    conteos, total = _conteos(filas, lambda c: f"{pagina}?{urlencode({'categoria': c})}")
    return Seccion(
        clave="atribuciones",
        titulo="Atribuciones de las comisiones",
        conteos=conteos,
        total=total,
        listas=[
            _lista(
                propios.select_related("comision", "estatus_vigente").sin_actualizar(hoy),
                filas,
                "atribuciones-sin-actualizar:sin_actualizar",
                f"Sin actualizar en {dias} días o más",
                f"Todas tienen una actualización efectiva en los últimos {dias} días.",
                [F("fecha_vigente").asc(nulls_first=True)],
                f"{pagina}?{urlencode({'sin_actualizar': dias, 'orden': 'fecha'})}",
                sin_estatus_primero=True,
            )
        ],
    )


def cambios_recientes(modelos, usuario) -> list:
    """The latest ``RECIENTES`` updates recorded, of every kind in ``modelos``, newest first (of the
    items ``usuario`` may read)."""
    cambios = []
    for modelo in modelos:
        historial = modelo.modelo_actualizacion()
        elemento = historial.CAMPO_ELEMENTO
        contenedor = f"{elemento}__{modelo.RELACIONES_PAGINA[0]}"
        cambios += (
            historial.objects.de_visibles_para(usuario)
            .select_related("estatus", "estatus_anterior", "registrado_por", contenedor)
            .order_by("-registrado_en", "-pk")[:RECIENTES]
        )
    return sorted(cambios, key=lambda a: (a.registrado_en, a.pk), reverse=True)[:RECIENTES]


@dataclass
class Espera:
    """What waits for a validator's decision, of one kind: how many, and the oldest's waiting days."""

    clave: str
    titulo: str
    total: int
    dias: int
    enlace: str


def _espera(qs, hoy: datetime.date, clave: str, titulo: str, enlace: str) -> Espera | None:
    """One aggregate query over pending rows (``registrado_en``): None when nothing waits."""
    datos = qs.order_by().aggregate(total=Count("pk"), desde=Min("registrado_en"))
    if not datos["total"]:
        return None
    dias = (hoy - timezone.localtime(datos["desde"]).date()).days
    return Espera(clave, titulo, datos["total"], dias, enlace)


def por_validar(usuario, hoy: datetime.date) -> list[Espera]:
    """For whoever validates (the validation queue's and the extensions' permissions): the pending
    proposals of each kind and the pending extension requests, each with how many days the oldest has
    waited; one query per kind. The home page and the validators' reminders read this."""
    esperas = [
        _espera(
            modelo.objects.pendientes(),
            hoy,
            f"propuestas-{modelo._meta.model_name}",
            f"Propuestas de {modelo.modelo_elemento()._meta.verbose_name_plural}",
            reverse("seguimiento:por_validar"),
        )
        for modelo in validacion.tipos_que_valida(usuario)
    ]
    if usuario.has_perm(DecisionProrroga.permiso("add")):
        esperas.append(
            _espera(
                SolicitudProrroga.objects.pendientes(),
                hoy,
                "prorrogas",
                "Solicitudes de prórroga",
                reverse("convenios:prorrogas"),
            )
        )
    return [e for e in esperas if e is not None]


@dataclass
class Bandeja:
    """What an Enlace has in play: items whose latest proposal was returned to it (with observations),
    its pending proposals and its pending extension requests (of the items it may propose for)."""

    devueltas: list
    propuestas: list
    prorrogas: list

    @property
    def vacia(self) -> bool:
        return not (self.devueltas or self.propuestas or self.prorrogas)


def bandeja_del_enlace(usuario) -> Bandeja | None:
    """An Enlace's own: two queries per kind of item and one for the extensions, whatever the data;
    None for any other user."""
    if not es_enlace(usuario):
        return None
    devueltas: list = []
    propuestas: list = []
    for modelo in (Compromiso, Atribucion):
        if not usuario.has_perm(modelo.permiso_proponer()):
            continue
        proponibles = modelo.objects.proponibles_para(usuario)
        devueltas += (
            proponibles.con_propuesta()
            .filter(propuesta_ultima_decision=DecisionBase.Tipo.DEVUELTA)
            .select_related(*modelo.RELACIONES_PAGINA)
            .order_by("pk")[:POR_LISTA]
        )
        propuesta = modelo.modelo_propuesta()
        elemento = propuesta.CAMPO_ELEMENTO
        propuestas += (
            propuesta.objects.pendientes()
            .filter(**{f"{elemento}__in": proponibles.values("pk")})
            .select_related(*(f"{elemento}__{r}" for r in modelo.RELACIONES_PAGINA), elemento, "estatus")
            .order_by("registrado_en", "pk")[:POR_LISTA]
        )
    prorrogas = []
    if usuario.has_perm(SolicitudProrroga.permiso("add")):
        prorrogas = list(
            SolicitudProrroga.objects.pendientes()
            .de_proponibles_para(usuario)
            .select_related("compromiso__convenio")
            .order_by("registrado_en", "pk")[:POR_LISTA]
        )
    return Bandeja(devueltas, propuestas, prorrogas)


def pendientes(usuario, hoy: datetime.date) -> dict:
    """The home page's context for ``usuario``: only the kinds of item the user may read, an Enlace's
    own (``bandeja``) and, for a validator, what waits for a decision (``por_validar``)."""
    secciones = {Compromiso: compromisos, Atribucion: atribuciones}
    legibles = [modelo for modelo in secciones if usuario.has_perm(modelo.permiso_lectura())]
    return {
        "hoy": hoy,
        "dias_sin_actualizar": settings.DIAS_SIN_ACTUALIZAR,
        "bandeja": bandeja_del_enlace(usuario),
        "por_validar": por_validar(usuario, hoy),
        "secciones": [secciones[modelo](hoy, usuario) for modelo in legibles],
        "recientes": cambios_recientes(legibles, usuario),
    }
