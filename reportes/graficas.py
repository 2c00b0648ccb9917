"""The charts of the home page and the consolidated report: data in plain Python, SVG from pygal.

Each chart is served as an ``<img>`` with a ``data:`` URI: an image runs no script and its styles
never reach the page, so the strict Content-Security-Policy holds with no exception, and WeasyPrint
draws the same SVG in the PDF. Each chart carries its data as a table (the text alternative) and a
``<title>`` and ``<desc>`` of its own. The SVG is stable (fixed ids, no generation date), so an
issued report is redrawn byte for byte.
"""

import base64
import datetime
from collections import Counter
from dataclasses import dataclass, field
from hashlib import sha256

import pygal
from django.core.cache import cache
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from pygal.style import Style

from seguimiento.models import Estatus
from seguimiento.templatetags.fechas import MESES

Categoria = Estatus.Categoria
FAVORABLE = Categoria.FAVORABLE
SIN_ESTATUS = "sin_estatus"
# The categories in the order the charts stack them, with "no status" last.
CLAVES = [*Categoria.values, SIN_ESTATUS]
ETIQUETAS = {**dict(Categoria.choices), SIN_ESTATUS: "Sin estatus"}
# The page's status colours (static/css/seguimiento.css), and a light grey for "no status".
COLORES = {
    Categoria.FAVORABLE: "#1d5c2e",
    Categoria.EN_PROCESO: "#b07d00",
    Categoria.DESFAVORABLE: "#8a1c1c",
    Categoria.NO_APLICA: "#6d6d6b",
    SIN_ESTATUS: "#c9c5bf",
}
# A chart shows this many bars at most; the rest are added up in one «Otros» bar (the table lists all).
MAX_BARRAS = 15
MESES_TENDENCIA = 24
EXTRA_LEYENDA = 26

ESTILO = {
    "background": "#ffffff",
    "plot_background": "#ffffff",
    "foreground": "#1d1d1b",
    "foreground_strong": "#1d1d1b",
    "foreground_subtle": "#8a8782",
    "font_family": '"DejaVu Sans", Arial, sans-serif',
    "label_font_size": 13,
    "major_label_font_size": 13,
    "legend_font_size": 14,
    "title_font_size": 17,
    "value_font_size": 12,
    "opacity": "1",
    "opacity_hover": "1",
    "transition": "0ms",
}


@dataclass
class Grafica:
    """A chart and its text alternative: ``filas`` is the table with the same numbers."""

    clave: str
    titulo: str
    descripcion: str
    encabezados: list[str]
    filas: list[tuple[str, list]] = field(default_factory=list)
    svg: str = ""

    @property
    def src(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()

    @property
    def tabla(self) -> str:
        """The data as an HTML table, built here: a template loop over every cell (a hundred
        convenios × seven columns) would cost the page more than its queries."""
        encabezados = "".join(
            format_html('<th scope="col"{}>{}</th>', mark_safe(' class="num"') if i else "", e)
            for i, e in enumerate(self.encabezados)
        )
        filas = "".join(
            format_html(
                '<tr><th scope="row">{}</th>{}</tr>',
                nombre,
                mark_safe("".join(f'<td class="num">{"—" if v is None else v}</td>' for v in valores)),
            )
            for nombre, valores in self.filas
        ) or format_html('<tr><td colspan="{}">Sin datos.</td></tr>', len(self.encabezados))
        return format_html(
            '<table class="tabla tabla-grafica"><caption>{}</caption><thead><tr>{}</tr></thead>'
            "<tbody>{}</tbody></table>",
            self.titulo,
            mark_safe(encabezados),
            mark_safe(filas),
        )


def _pygal(tipo, clave: str, titulo: str, descripcion: str, **opciones):
    """A pygal chart with no script, no external resource, fixed ids and a ``<desc>``."""
    grafica = tipo(
        style=Style(colors=opciones.pop("colores", tuple(COLORES.values())), **ESTILO),
        js=[],
        css=["file://base.css", "file://style.css", "file://graph.css"],
        disable_xml_declaration=True,
        explicit_size=False,
        title=titulo,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        truncate_legend=-1,
        **opciones,
    )
    grafica.uuid = clave  # pygal picks a random id per chart: the SVG would differ on each drawing

    def fijar(raiz):
        # pygal builds with lxml when it is installed (pikepdf brings it), and then every tag carries
        # the SVG namespace («{http://www.w3.org/2000/svg}defs»): match tags by their local name.
        espacio = raiz.tag[: raiz.tag.index("}") + 1] if raiz.tag.startswith("{") else ""
        for hijo in list(raiz):
            if not isinstance(hijo.tag, str):  # comments carry pygal's version and today's date
                raiz.remove(hijo)
        for defs in raiz.iter(f"{espacio}defs"):
            for script in defs.findall(f"{espacio}script"):  # pygal's tooltips: no script at all
                defs.remove(script)
        desc = raiz.makeelement(f"{espacio}desc", {})
        desc.text = descripcion
        titulo = raiz.find(f"{espacio}title")
        raiz.insert(list(raiz).index(titulo) + 1 if titulo is not None else 0, desc)
        raiz.set("role", "img")
        # pygal reserves one legend row under the chart and cuts the second one off: make room for it.
        x, y, ancho, alto = raiz.get("viewBox").split()
        raiz.set("viewBox", f"{x} {y} {ancho} {float(alto) + EXTRA_LEYENDA:g}")
        return raiz

    grafica.add_xml_filter(fijar)
    return grafica


# How long an unused drawing stays: not a freshness bound (the key is the data, so an entry is never
# stale) but an eviction one, or a shared Redis (CACHE_URL) would keep a drawing of every past state.
VIDA_DE_UN_DIBUJO = 7 * 24 * 3600


def _dibujar(dibujo, datos) -> str:
    """The chart's SVG; pygal takes ~0.2 s a chart, so it is kept under a hash of the data it draws
    (measured in bench/inicio.py): an entry can never be stale, so it needs no invalidation."""
    clave = "tablero:svg:" + sha256(repr(datos).encode()).hexdigest()
    svg = cache.get(clave)
    if svg is None:
        svg = dibujo().render(is_unicode=True)
        cache.set(clave, svg, timeout=VIDA_DE_UN_DIBUJO)
    return svg


def _recortar(conteos: dict[str, Counter]) -> list[tuple[str, Counter]]:
    """The ``MAX_BARRAS`` names with most items (ties by name), the rest added up as «Otros»."""
    ordenados = sorted(conteos.items(), key=lambda par: (-sum(par[1].values()), par[0]))
    if len(ordenados) <= MAX_BARRAS:
        return ordenados
    resto = Counter()
    for _nombre, cuenta in ordenados[MAX_BARRAS - 1 :]:
        resto.update(cuenta)
    otros = f"Otros ({len(ordenados) - MAX_BARRAS + 1})"
    return [*ordenados[: MAX_BARRAS - 1], (otros, resto)]


def por_categoria(clave: str, titulo: str, que: str, conteos: dict[str, Counter]) -> Grafica:
    """Stacked horizontal bars: for each name (convenio, institution), its items by status category."""
    todas = sorted(conteos.items(), key=lambda par: (-sum(par[1].values()), par[0]))
    grafica = Grafica(
        clave=clave,
        titulo=titulo,
        descripcion="",
        encabezados=[que, *(ETIQUETAS[c] for c in CLAVES), "Total"],
        filas=[(nombre, [cuenta[c] for c in CLAVES] + [sum(cuenta.values())]) for nombre, cuenta in todas],
    )
    barras = _recortar(conteos)
    total = Counter()
    for _nombre, cuenta in barras:
        total.update(cuenta)
    partes = ", ".join(f"{ETIQUETAS[c].lower()} {total[c]}" for c in CLAVES if total[c])
    grafica.descripcion = (
        f"{titulo}: {len(todas)} en total, {sum(total.values())} compromisos ({partes})."
        if todas
        else f"{titulo}: sin compromisos."
    )
    # pygal draws the first label at the bottom: reverse so the largest bar comes first.
    barras = [(nombre, [cuenta[c] for c in CLAVES]) for nombre, cuenta in barras[::-1]]

    def dibujo():
        grafica_pygal = _pygal(
            pygal.HorizontalStackedBar,
            clave,
            titulo,
            grafica.descripcion,
            height=160 + 34 * max(len(barras), 1),
            width=800,
            truncate_label=38,
            x_title="Compromisos",
            print_values=False,
            show_y_guides=False,
        )
        grafica_pygal.x_labels = [nombre for nombre, _valores in barras]
        for i, c in enumerate(CLAVES):
            grafica_pygal.add(str(ETIQUETAS[c]), [valores[i] or None for _nombre, valores in barras])
        return grafica_pygal

    grafica.svg = _dibujar(dibujo, (clave, titulo, grafica.descripcion, barras))
    return grafica


def cierres_de_mes(hasta: datetime.date, meses: int = MESES_TENDENCIA) -> list[datetime.date]:
    """The last day of each of the ``meses`` months up to ``hasta``'s; the current month ends at ``hasta``."""
    fechas = [hasta]
    fin = hasta.replace(day=1) - datetime.timedelta(days=1)
    while len(fechas) < meses:
        fechas.append(fin)
        fin = fin.replace(day=1) - datetime.timedelta(days=1)
    return fechas[::-1]


def etiqueta_mes(fecha: datetime.date) -> str:
    return f"{MESES[fecha.month - 1][:3]} {fecha.year}"


def tendencia(
    favorables: dict[datetime.date, int], totales: dict[datetime.date, int], hasta: datetime.date
) -> Grafica:
    """Line of the share of favourable statuses at each month's end (``favorables`` / ``totales``)."""
    fechas = sorted(favorables)
    porcentajes = [100 * favorables[f] / totales[f] if totales.get(f) else None for f in fechas]
    titulo = "Compromisos con estatus favorable al cierre de cada mes (%)"
    conocidos = [p for p in porcentajes if p is not None]
    descripcion = (
        f"{titulo}, de {etiqueta_mes(fechas[0])} a {etiqueta_mes(fechas[-1])} "
        f"(el último mes, al {hasta.day}): de {conocidos[0]:.1f} % a {conocidos[-1]:.1f} %, "
        f"mínimo {min(conocidos):.1f} %, máximo {max(conocidos):.1f} %."
        if conocidos
        else f"{titulo}: sin compromisos en el periodo."
    )
    grafica = Grafica(
        clave="grafica-tendencia",
        titulo=titulo,
        descripcion=descripcion,
        encabezados=["Cierre de mes", "Favorables", "Compromisos", "% favorable"],
        filas=[
            (
                f.isoformat(),
                [favorables[f], totales.get(f, 0), None if p is None else round(p, 1)],
            )
            for f, p in zip(fechas, porcentajes, strict=True)
        ],
    )

    def dibujo():
        grafica_pygal = _pygal(
            pygal.Line,
            grafica.clave,
            titulo,
            descripcion,
            height=420,
            width=800,
            range=(0, 100),
            include_x_axis=True,
            x_label_rotation=45,
            x_labels_major_every=3,
            show_minor_x_labels=False,
            show_legend=False,
            colores=(COLORES[Categoria.FAVORABLE],),
            value_formatter=lambda v: f"{v:.0f} %",
            y_title="% favorable",
            allow_interruptions=True,
            dots_size=3,
        )
        grafica_pygal.x_labels = [etiqueta_mes(f) for f in fechas]
        grafica_pygal.add("% favorable", porcentajes)
        return grafica_pygal

    grafica.svg = _dibujar(dibujo, (grafica.clave, descripcion, fechas, porcentajes))
    return grafica


def conteos_por_nombre(filas, nombre: str) -> dict[str, Counter]:
    """``{name: Counter(category: n)}`` from grouped rows ``{nombre: …, "categoria": …, "n": …}``;
    commitments of no single institution go under «LAS PARTES»."""
    conteos: dict[str, Counter] = {}
    for fila in filas:
        clave = fila[nombre] or "LAS PARTES (conjuntos)"
        conteos.setdefault(clave, Counter())[fila["categoria"] or SIN_ESTATUS] += fila["n"]
    return conteos


def totales_al_cierre(filas, fechas: list[datetime.date]) -> dict[datetime.date, int]:
    """How many commitments belong to convenios started by each date (rows carry ``inicio`` and ``n``)."""
    por_inicio = Counter()
    for fila in filas:
        por_inicio[fila["inicio"]] += fila["n"]
    return {f: sum(n for inicio, n in por_inicio.items() if inicio <= f) for f in fechas}


def graficas_de_compromisos(
    filas, favorables: dict[datetime.date, int], hasta: datetime.date
) -> list[Grafica]:
    """The three charts from rows grouped by convenio, institution, convenio start and category
    (``convenio_nombre``, ``institucion``, ``inicio``, ``categoria``, ``n``) and, for the trend, the
    favourable count at each month's end (``favorables_al_cierre`` over ``cierres_de_mes(hasta)``)."""
    return [
        por_categoria(
            "grafica-convenios",
            "Compromisos por categoría de estatus, por convenio",
            "Convenio",
            conteos_por_nombre(filas, "convenio_nombre"),
        ),
        por_categoria(
            "grafica-instituciones",
            "Compromisos por categoría de estatus, por institución responsable",
            "Institución responsable",
            conteos_por_nombre(filas, "institucion"),
        ),
        tendencia(favorables, totales_al_cierre(filas, sorted(favorables)), hasta),
    ]
