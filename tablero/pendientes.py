"""What the home page shows each user: for every kind of item they may read, counts by status
category, the overdue, due-soon and stale items, the latest changes and the commitments' charts.

The rules (overdue, due soon, stale) are ``SeguibleQuerySet`` methods; this module only asks them,
each list in one query that also counts the whole set (a window ``COUNT(*) OVER ()``).
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, F, Window
from django.urls import reverse

from comisiones.models import Atribucion
from convenios.models import Compromiso

from .graficas import CLAVES, ETIQUETAS, SIN_ESTATUS, Grafica, graficas_de_compromisos

# How many items each list shows; its link opens all of them.
POR_LISTA = 10
RECIENTES = 20
DIAS_POR_VENCER = 30


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
    graficas: list[Grafica] = field(default_factory=list)


def _lista(qs, clave: str, titulo: str, vacia: str, orden: list, enlace: str | None) -> Lista:
    elementos = list(qs.annotate(total_lista=Window(Count("pk"))).order_by(*orden, "pk")[:POR_LISTA])
    total = elementos[0].total_lista if elementos else 0
    return Lista(clave, titulo, vacia, elementos, total, enlace if total else None)


def _conteos(filas, enlace) -> tuple[list, int]:
    por_categoria = dict.fromkeys(CLAVES, 0)
    for fila in filas:
        por_categoria[fila["categoria"] or SIN_ESTATUS] += fila["n"]
    conteos = [(c, ETIQUETAS[c], n, enlace(c) if n else None) for c, n in por_categoria.items()]
    return conteos, sum(por_categoria.values())


def compromisos(hoy: datetime.date, dias: int) -> Seccion:
    pagina = reverse("convenios:compromisos")

    def filtrada(**parametros) -> str:
        return f"{pagina}?{urlencode(parametros)}"

    base = Compromiso.objects.select_related("convenio", "ultima_actualizacion__estatus")
    filas = list(
        Compromiso.objects.values(
            convenio_nombre=F("convenio__nombre"),
            institucion=F("responsable__dependencia__nombre"),
            inicio=F("convenio__fecha_inicio"),
            categoria=F("ultima_actualizacion__estatus__categoria"),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    conteos, total = _conteos(filas, lambda c: filtrada(categoria=c))
    return Seccion(
        clave="compromisos",
        titulo="Compromisos",
        conteos=conteos,
        total=total,
        listas=[
            _lista(
                base.vencidos(hoy),
                "vencidos",
                "Vencidos",
                "Ningún compromiso vencido.",
                ["fecha_limite"],
                filtrada(vencidos=1, orden="limite"),
            ),
            _lista(
                base.por_vencer(hoy, DIAS_POR_VENCER),
                "por-vencer",
                f"Vencen en los próximos {DIAS_POR_VENCER} días",
                f"Ningún compromiso pendiente vence en los próximos {DIAS_POR_VENCER} días.",
                ["fecha_limite"],
                filtrada(por_vencer=DIAS_POR_VENCER, orden="limite"),
            ),
            _lista(
                base.sin_actualizar(hoy, dias),
                "sin-actualizar",
                f"Sin actualizar en {dias} días o más",
                f"Todos tienen una actualización efectiva en los últimos {dias} días.",
                [F("ultima_actualizacion__fecha_efectiva").asc(nulls_first=True)],
                filtrada(sin_actualizar=dias, orden="fecha"),
            ),
        ],
        graficas=graficas_de_compromisos(filas, Compromiso.objects.all(), hoy),
    )


def atribuciones(hoy: datetime.date, dias: int) -> Seccion:
    """Duties have no due date: never overdue nor due soon; only their status and staleness."""
    lista = reverse("comisiones:lista")
    filas = Atribucion.objects.values(categoria=F("ultima_actualizacion__estatus__categoria")).annotate(
        n=Count("pk")
    )
    conteos, total = _conteos(filas.order_by(), lambda _c: lista)
    return Seccion(
        clave="atribuciones",
        titulo="Atribuciones de las comisiones",
        conteos=conteos,
        total=total,
        listas=[
            _lista(
                Atribucion.objects.select_related("comision", "ultima_actualizacion__estatus").sin_actualizar(
                    hoy, dias
                ),
                "atribuciones-sin-actualizar",
                f"Sin actualizar en {dias} días o más",
                f"Todas tienen una actualización efectiva en los últimos {dias} días.",
                [F("ultima_actualizacion__fecha_efectiva").asc(nulls_first=True)],
                lista,
            )
        ],
    )


def cambios_recientes(modelos) -> list:
    """The latest ``RECIENTES`` updates recorded, of every kind in ``modelos``, newest first."""
    cambios = []
    for modelo in modelos:
        historial = modelo.modelo_actualizacion()
        elemento = historial.CAMPO_ELEMENTO
        contenedor = f"{elemento}__{modelo.RELACIONES_PAGINA[0]}"
        cambios += historial.objects.select_related(
            "estatus", "estatus_anterior", "registrado_por", contenedor
        ).order_by("-registrado_en", "-pk")[:RECIENTES]
    return sorted(cambios, key=lambda a: (a.registrado_en, a.pk), reverse=True)[:RECIENTES]


def pendientes(usuario, hoy: datetime.date) -> dict:
    """The home page's context for ``usuario``: only the kinds of item the user may read."""
    dias = settings.DIAS_SIN_ACTUALIZAR
    secciones = {Compromiso: compromisos, Atribucion: atribuciones}
    legibles = [modelo for modelo in secciones if usuario.has_perm(modelo.permiso_lectura())]
    return {
        "hoy": hoy,
        "dias_sin_actualizar": dias,
        "secciones": [secciones[modelo](hoy, dias) for modelo in legibles],
        "recientes": cambios_recientes(legibles),
    }
