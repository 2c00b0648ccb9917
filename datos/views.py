"""The public board and the open data files: anonymous, read-only, only what is published.

The files answer a conditional request (If-None-Match / If-Modified-Since) with 304 from
``version_publicada()`` alone, before building anything.
"""

import json
from collections import Counter, defaultdict
from functools import cached_property

import rdflib
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Max, Prefetch
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, TemplateView

from comisiones.models import ActualizacionAtribucion, Atribucion, agrupar_por_materia
from convenios.models import Actualizacion, Compromiso, Parte, bloques_por_encabezado
from reportes.informes import FilaConsolidada
from seguimiento import integridad
from seguimiento.models import Estatus
from seguimiento.replica import LeeDeReplica
from seguimiento.templatetags.fechas import fecha_larga

from . import archivos, metadatos
from .conjuntos import CONJUNTOS, comisiones_publicadas, convenios_publicados, periodos
from .version import FORMATO, versiones_publicadas

Categoria = Estatus.Categoria
publico = method_decorator([login_not_required, require_safe], name="dispatch")


def enlaces_de_archivos() -> list[dict]:
    return [
        {
            "conjunto": c,
            "csv": reverse("datos:archivo", args=[c.nombre, "csv"]),
            "csv_excel": reverse("datos:archivo_excel", args=[c.nombre]),
            "json": reverse("datos:archivo", args=[c.nombre, "json"]),
            "diccionario": reverse("datos:diccionario", args=[c.nombre]),
        }
        for c in CONJUNTOS.values()
    ]


def resumen(contenedores, conteos) -> list[FilaConsolidada]:
    """Each container with its items counted by status category (``conteos``: container id,
    category, count, latest effective date), as the consolidated report counts them."""
    por_contenedor: dict[int, Counter] = defaultdict(Counter)
    ultima: dict[int, object] = {}
    for contenedor_id, categoria, n, fecha in conteos:
        por_contenedor[contenedor_id][categoria] += n
        if fecha and (ultima.get(contenedor_id) is None or fecha > ultima[contenedor_id]):
            ultima[contenedor_id] = fecha
    filas = []
    for contenedor in contenedores:
        cuenta = por_contenedor[contenedor.pk]
        fila = FilaConsolidada(
            convenio=contenedor,
            por_categoria={c: cuenta[c] for c in Categoria.values},
            sin_estatus=cuenta[None],
            total=sum(cuenta.values()),
        )
        fila.fecha_actualizacion = ultima.get(contenedor.pk)
        fila.por_etiqueta = [(etiqueta, fila.por_categoria[valor]) for valor, etiqueta in Categoria.choices]
        filas.append(fila)
    return filas


def _conteos(elementos, campo: str):
    return (
        elementos.values_list(campo, "estatus_vigente__categoria")
        .annotate(n=Count("pk"), fecha=Max("fecha_vigente"))
        .order_by()
    )


# What each status category means, in plain words, for the legend of the public board.
SIGNIFICADOS = {
    Categoria.FAVORABLE: "lo acordado ya se cumplió o se está cumpliendo. Es lo que el resumen de "
    "cada convenio cuenta como «en cumplimiento» y lo que mide el % favorable.",
    Categoria.EN_PROCESO: "se está trabajando en ello o aún no empieza, sin que haya un incumplimiento.",
    Categoria.DESFAVORABLE: "no se cumplió lo acordado.",
    Categoria.NO_APLICA: "ya no corresponde darle seguimiento; cuenta en el total.",
}


def leyenda() -> list[tuple[str, list[str], str]]:
    """Each category with the statuses in use that belong to it and what it means."""
    nombres = defaultdict(list)
    for estatus in Estatus.objects.vigentes().order_by("orden", "pk"):
        nombres[estatus.categoria].append(estatus.nombre)
    return [(etiqueta, nombres[valor], SIGNIFICADOS[valor]) for valor, etiqueta in Categoria.choices]


def linea_de_resumen(fila: FilaConsolidada, singular: str, plural: str, hoy) -> str:
    """«9 de 11 compromisos en cumplimiento al 3 de diciembre de 2026»: the favourable ones of all."""
    if not fila.total:
        return f"Todavía no tiene {plural}."
    return (
        f"{fila.por_categoria[Categoria.FAVORABLE]} de {fila.total} "
        f"{singular if fila.total == 1 else plural} en cumplimiento al {fecha_larga(hoy)}"
    )


class TableroMixin(LeeDeReplica):
    """The public board's pages: data a few seconds old is fine, so they read the replica if any."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(institucion=settings.INSTITUCION, **kwargs)


@publico
class PortalView(TableroMixin, TemplateView):
    """Published convenios and commissions with their compliance summary, and the open data files."""

    template_name = "datos/portal.html"

    def get_context_data(self, **kwargs):
        contexto = super().get_context_data(**kwargs)
        hoy = timezone.localdate()
        contexto["convenios"] = resumen(
            convenios_publicados(),
            _conteos(Compromiso.objects.filter(convenio__publicado=True), "convenio_id"),
        )
        # A commission with no duties has nothing to follow up: the board leaves it out.
        contexto["comisiones"] = [
            fila
            for fila in resumen(
                comisiones_publicadas(),
                _conteos(Atribucion.objects.filter(comision__publicado=True), "comision_id"),
            )
            if fila.total
        ]
        for fila in contexto["convenios"]:
            fila.linea = linea_de_resumen(fila, "compromiso", "compromisos", hoy)
        for fila in contexto["comisiones"]:
            fila.linea = linea_de_resumen(fila, "atribución", "atribuciones", hoy)
        contexto["leyenda"] = leyenda()
        contexto["categorias"] = Categoria.choices
        contexto["archivos"] = enlaces_de_archivos()
        return contexto


def historial_publico(modelo, campo: str, elementos: list) -> None:
    """Attach to each item its public history (newest first), read in one query: statuses and dates,
    the note only if marked public. Nothing else of an update leaves here."""
    por_elemento = defaultdict(list)
    actualizaciones = (
        modelo.objects.filter(**{f"{campo}__in": [e.pk for e in elementos]})
        .con_nota_publica()
        .recientes_primero()
        .values(f"{campo}_id", "fecha_efectiva", "estatus_id", "estatus_anterior_id", "nota_publicada")
    )
    estatus = Estatus.objects.por_id()
    for fila in actualizaciones:
        por_elemento[fila[f"{campo}_id"]].append(
            {
                "fecha_efectiva": fila["fecha_efectiva"],
                "estatus": estatus[fila["estatus_id"]],
                "estatus_anterior": estatus.get(fila["estatus_anterior_id"]),
                "nota": fila["nota_publicada"],
            }
        )
    for elemento in elementos:
        elemento.historial_publico = por_elemento[elemento.pk]


@publico
class ConvenioView(TableroMixin, DetailView):
    template_name = "datos/convenio.html"
    context_object_name = "convenio"

    def get_queryset(self):
        return convenios_publicados().prefetch_related(
            Prefetch("partes", queryset=Parte.objects.select_related("dependencia"))
        )

    def get_context_data(self, **kwargs):
        contexto = super().get_context_data(**kwargs)
        compromisos = list(Compromiso.objects.de_convenio(self.object).con_estatus_actual().por_parte())
        historial_publico(Actualizacion, "compromiso", compromisos)
        contexto["bloques"] = bloques_por_encabezado(compromisos)
        contexto["celebran"] = self.object.celebran(self.object.partes.all())
        return contexto


@publico
class ComisionView(TableroMixin, DetailView):
    template_name = "datos/comision.html"
    context_object_name = "comision"

    def get_queryset(self):
        return comisiones_publicadas().select_related("sistema", "tipo")

    def get_context_data(self, **kwargs):
        contexto = super().get_context_data(**kwargs)
        atribuciones = list(
            Atribucion.objects.filter(comision=self.object).con_estatus_actual().order_by("numero")
        )
        historial_publico(ActualizacionAtribucion, "atribucion", atribuciones)
        contexto["materias"] = agrupar_por_materia(atribuciones)
        return contexto


class ArchivoPublicoView(LeeDeReplica, View):
    """A file with ETag and Last-Modified; a conditional request that still matches gets 304 without
    the file being built. Cacheable by anyone (nothing in it depends on who asks), revalidated each time.
    Version and body are read on the same connection (the replica, if any): the ETag names what is sent."""

    tipo = "application/octet-stream"

    @cached_property
    def versiones(self):
        return versiones_publicadas()

    def version(self, **kwargs):
        """The version of what this response shows: the package and catalogue show everything."""
        return self.versiones.todo

    def validadores(self, request, **kwargs) -> tuple[str, object]:
        version = self.version(**kwargs)
        return version.etag(request.path), version.modificado

    def cuerpo(self, request, **kwargs) -> bytes:
        raise NotImplementedError

    def nombre_descarga(self, **kwargs) -> str | None:
        return None

    def get(self, request, **kwargs):
        self.revisar(**kwargs)
        etag, modificado = self.validadores(request, **kwargs)
        etag = quote_etag(etag)
        ultima = int(modificado.timestamp()) if modificado else None
        respuesta = get_conditional_response(request, etag=etag, last_modified=ultima)
        if respuesta is None:
            respuesta = HttpResponse(self.cuerpo(request, **kwargs), content_type=self.tipo)
            if nombre := self.nombre_descarga(**kwargs):
                respuesta["Content-Disposition"] = content_disposition_header(False, nombre)
        respuesta["ETag"] = etag
        if ultima is not None:
            respuesta["Last-Modified"] = http_date(ultima)
        patch_cache_control(respuesta, public=True, no_cache=True)
        respuesta["Access-Control-Allow-Origin"] = "*"
        return respuesta

    def revisar(self, **kwargs) -> None:
        """404 for a file that does not exist, before any query."""


@publico
class ArchivoView(ArchivoPublicoView):
    def revisar(self, nombre, formato):
        if nombre not in CONJUNTOS or formato not in archivos.FORMATOS:
            raise Http404("No existe ese archivo de datos.")
        self.tipo = archivos.FORMATOS[formato]

    def version(self, nombre, formato):
        return self.versiones.de(nombre)  # one version per data set: only what this file shows

    def cuerpo(self, request, nombre, formato):
        return archivos.construir(CONJUNTOS[nombre], formato)

    def nombre_descarga(self, nombre, formato):
        return f"{nombre}.{formato}"


BOM = "\ufeff".encode()


@publico
class ArchivoExcelView(ArchivoView):
    """The same CSV with a byte order mark first, so that Excel opens it as UTF-8 (accents intact).
    Its own URL, so its ETag (a hash of the path) differs from the plain CSV's and the plain one
    keeps its URL and bytes."""

    def revisar(self, nombre):
        super().revisar(nombre, "csv")

    def version(self, nombre):
        return super().version(nombre, "csv")

    def cuerpo(self, request, nombre):
        return BOM + super().cuerpo(request, nombre, "csv")

    def nombre_descarga(self, nombre):
        return f"{nombre}-excel.csv"


@publico
class DiccionarioView(ArchivoPublicoView):
    tipo = archivos.TIPO_DICCIONARIO

    def revisar(self, nombre):
        if nombre not in CONJUNTOS:
            raise Http404("No existe ese diccionario de datos.")

    def validadores(self, request, **kwargs):
        return f"{FORMATO}-{kwargs['nombre']}", None  # changes only with the columns themselves

    def cuerpo(self, request, nombre):
        return archivos.diccionario(CONJUNTOS[nombre])

    def nombre_descarga(self, nombre):
        return f"diccionario-{nombre}.csv"


def _url_absoluta(request):
    def url(nombre: str, formato: str) -> str:
        if formato == "portal":
            return request.build_absolute_uri(reverse("datos:portal"))
        if formato == "catalogo":
            return request.build_absolute_uri(reverse("datos:catalogo"))
        if formato == "integridad":
            return request.build_absolute_uri(reverse("datos:integridad"))
        if formato == "diccionario":
            return request.build_absolute_uri(reverse("datos:diccionario", args=[nombre]))
        return request.build_absolute_uri(reverse("datos:archivo", args=[nombre, formato]))

    return url


@publico
class PaqueteView(ArchivoPublicoView):
    tipo = "application/json"

    def validadores(self, request, **kwargs):
        return self.versiones.todo.etag(request.build_absolute_uri()), self.versiones.todo.modificado

    def cuerpo(self, request):
        paquete = metadatos.paquete(_url_absoluta(request), self.versiones.todo)
        return json.dumps(paquete, ensure_ascii=False, indent=1).encode("utf-8")


@publico
class CatalogoView(PaqueteView):
    tipo = "application/ld+json"

    def cuerpo(self, request):
        catalogo = metadatos.catalogo(_url_absoluta(request), self.versiones, periodos())
        return json.dumps(catalogo, ensure_ascii=False, indent=1).encode("utf-8")


@publico
class CatalogoTurtleView(CatalogoView):
    """The same catalogue in Turtle: the JSON-LD read as RDF and written again, so both say the same."""

    tipo = "text/turtle; charset=utf-8"

    def cuerpo(self, request):
        grafo = rdflib.Graph().parse(data=super().cuerpo(request), format="json-ld")
        for prefijo, espacio in metadatos.CONTEXTO.items():
            grafo.bind(prefijo, espacio)
        return grafo.serialize(format="turtle").encode("utf-8")


@publico
class IntegridadView(View):
    """The record's chain head, public: whoever keeps it (from here, a PDF or a backup) can later ask
    with ``?huella=`` whether it is still part of today's chain, i.e. nothing before it was rewritten."""

    def get(self, request):
        try:
            datos = integridad.publicacion(request.GET.get("huella"))
        except ValueError as error:
            datos, estado = {"error": str(error)}, 400
        else:
            estado = 200
        respuesta = HttpResponse(
            json.dumps(datos, ensure_ascii=False, indent=1).encode("utf-8"),
            content_type="application/json",
            status=estado,
        )
        patch_cache_control(respuesta, no_cache=True, public=True)
        return respuesta
