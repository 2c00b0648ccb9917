"""The open data sets: what is published, column by column, written once.

Each ``Conjunto`` says its columns (name, Table Schema type, description, example, and the database
expression that reads it) and its rows (only published convenios and commissions; a note only if
its author marked it public). The CSV, the JSON, the data dictionary, the Frictionless package and
the DCAT catalogue are all made from these definitions, so they cannot disagree.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F, Min, QuerySet, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext_lazy as _

from comisiones.models import ActualizacionAtribucion, Atribucion, Comision
from convenios.models import Actualizacion, Compromiso, Convenio

LAS_PARTES = "LAS PARTES"
SIN_ESTATUS = "Sin estatus"


def convenios_publicados() -> QuerySet:
    return Convenio.objects.filter(publicado=True)


def comisiones_publicadas() -> QuerySet:
    return Comision.objects.filter(publicado=True)


@dataclass(frozen=True)
class Columna:
    nombre: str
    tipo: str  # Table Schema type: string, integer, date, number
    descripcion: str
    ejemplo: str
    expresion: object  # a lookup path or an expression, read with ``values_list``
    requerida: bool = False


@dataclass(frozen=True)
class Conjunto:
    nombre: str  # the file's name, also the Frictionless resource name
    titulo: str
    descripcion: str
    columnas: tuple[Columna, ...]
    filas_base: Callable[[], QuerySet]
    orden: tuple[str, ...]
    clave_primaria: tuple[str, ...]
    claves_foraneas: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = field(default=())
    palabras_clave: tuple[str, ...] = ()

    def filas(self):
        """Tuples in column order, straight from the database (one query, no model instances)."""
        alias = {f"c{i}": columna.expresion for i, columna in enumerate(self.columnas)}
        alias = {k: F(v) if isinstance(v, str) else v for k, v in alias.items()}
        return self.filas_base().order_by(*self.orden).values_list(*alias.values(), named=False)

    @property
    def nombres(self) -> list[str]:
        return [c.nombre for c in self.columnas]


def _estatus(prefijo: str) -> Coalesce:
    return Coalesce(F(f"{prefijo}__nombre"), Value(SIN_ESTATUS))


COLUMNAS_ESTATUS_ACTUAL = (
    Columna(
        "estatus",
        "string",
        _("Estatus vigente: el de la actualización más reciente por fecha efectiva."),
        "En proceso",
        _estatus("estatus_vigente"),
        requerida=True,
    ),
    Columna(
        "categoria",
        "string",
        _("Categoría del estatus: favorable, en_proceso, desfavorable o no_aplica; vacía sin estatus."),
        "en_proceso",
        "estatus_vigente__categoria",
    ),
    Columna(
        "fecha_estatus",
        "date",
        _("Fecha efectiva del estatus vigente (AAAA-MM-DD)."),
        "2024-04-15",
        "fecha_vigente",
    ),
)


def _historial(
    campo_contenedor: str, nombre_contenedor: str, ejemplo: str, de_contenedor, de_numero
) -> tuple[Columna, ...]:
    elemento = campo_contenedor.split("__")[0]
    return (
        Columna(
            nombre_contenedor,
            "string",
            de_contenedor,
            ejemplo,
            f"{campo_contenedor}__slug",
            True,
        ),
        Columna(
            "numero",
            "integer",
            de_numero,
            "3",
            f"{elemento}__numero",
            True,
        ),
        Columna(
            "secuencia",
            "integer",
            _(
                "Número de la actualización en el historial de su elemento: 1 la primera registrada, "
                "sin huecos; no cambia."
            ),
            "2",
            # Numbered per item, not the internal id: a gap in a public id would reveal activity
            # on unpublished convenios and commissions.
            Window(RowNumber(), partition_by=[F(f"{elemento}_id")], order_by=[F("pk").asc()]),
            True,
        ),
        Columna(
            "fecha_efectiva",
            "date",
            _("Desde cuándo rige el estatus (AAAA-MM-DD)."),
            "2024-04-15",
            "fecha_efectiva",
            True,
        ),
        Columna("estatus", "string", _("Estatus registrado."), "Cumplido", "estatus__nombre", True),
        Columna(
            "categoria",
            "string",
            _("Categoría del estatus: favorable, en_proceso, desfavorable o no_aplica."),
            "favorable",
            "estatus__categoria",
            True,
        ),
        Columna(
            "estatus_anterior",
            "string",
            _("Estatus vigente cuando se registró esta actualización; vacío si era el primero."),
            "En proceso",
            "estatus_anterior__nombre",
        ),
        Columna(
            "nota",
            "string",
            _("Nota de la actualización, solo si quien la registró la marcó como pública."),
            "Se publicó el conjunto de datos.",
            "nota_publicada",
        ),
    )


CONVENIOS = Conjunto(
    nombre="convenios",
    titulo=_("Convenios en seguimiento"),
    descripcion=_(
        "Convenios interinstitucionales cuyo cumplimiento da seguimiento la Contraloría Gubernamental: "
        "nombre, objeto, vigencia, partes y contacto."
    ),
    columnas=(
        Columna("clave", "string", _("Clave estable del convenio."), "convenio-de-ejemplo", "slug", True),
        Columna("nombre", "string", _("Nombre del convenio."), "Convenio de Colaboración…", "nombre", True),
        Columna(
            "nota", "string", _("Nota que acompaña al nombre."), "A partir del 3 de mayo de 2017", "nota"
        ),
        Columna("objeto", "string", _("Objeto del convenio."), "Establecer las bases…", "objeto", True),
        Columna(
            "fecha_inicio", "date", _("Fecha de inicio (AAAA-MM-DD)."), "2017-05-03", "fecha_inicio", True
        ),
        Columna(
            "fecha_fin",
            "date",
            _("Fin de vigencia (AAAA-MM-DD); vacía si la vigencia es indefinida."),
            "2024-12-31",
            "fecha_fin",
        ),
        Columna(
            "contacto_unidad",
            "string",
            _("Unidad administrativa de contacto."),
            "Dirección de…",
            "contacto_unidad",
        ),
        Columna(
            "contacto_institucion",
            "string",
            _("Institución de contacto."),
            "Contraloría Gubernamental",
            "contacto_institucion",
        ),
        Columna(
            "contacto_telefono", "string", _("Teléfono de contacto."), "(834) 107 84 31", "contacto_telefono"
        ),
        Columna("contacto_extension", "string", _("Extensión telefónica."), "43201", "contacto_extension"),
    ),
    filas_base=convenios_publicados,
    orden=("slug",),
    clave_primaria=("clave",),
    palabras_clave=("convenios", "seguimiento", "cumplimiento"),
)

COMPROMISOS = Conjunto(
    nombre="compromisos",
    titulo=_("Compromisos de los convenios y su estatus"),
    descripcion=_(
        "Cada compromiso de los convenios publicados, con la parte responsable, la fecha límite y su "
        "estatus vigente."
    ),
    columnas=(
        Columna(
            "convenio",
            "string",
            _("Clave del convenio (ver convenios)."),
            "convenio-de-ejemplo",
            "convenio__slug",
            True,
        ),
        Columna("numero", "integer", _("Número del compromiso dentro del convenio."), "3", "numero", True),
        Columna(
            "responsable",
            "string",
            _("Dependencia responsable; «LAS PARTES» si es de todas."),
            "Contraloría Gubernamental",
            Coalesce(F("responsable__dependencia__nombre"), Value(LAS_PARTES)),
            True,
        ),
        Columna("texto", "string", _("Texto del compromiso."), "Publicar los datos…", "texto", True),
        Columna(
            "fecha_limite",
            "date",
            _("Fecha límite (AAAA-MM-DD); vacía si no tiene."),
            "2024-06-30",
            "fecha_limite",
        ),
        *COLUMNAS_ESTATUS_ACTUAL,
    ),
    filas_base=lambda: Compromiso.objects.filter(convenio__publicado=True),
    orden=("convenio__slug", "numero"),
    clave_primaria=("convenio", "numero"),
    claves_foraneas=((("convenio",), "convenios", ("clave",)),),
    palabras_clave=("compromisos", "convenios", "estatus", "cumplimiento"),
)

HISTORIAL_COMPROMISOS = Conjunto(
    nombre="historial-compromisos",
    titulo=_("Historial de estatus de los compromisos"),
    descripcion=_(
        "Cada cambio de estatus registrado de los compromisos publicados, con su fecha efectiva; "
        "la nota solo cuando se marcó como pública."
    ),
    columnas=_historial(
        "compromiso__convenio",
        "convenio",
        "convenio-de-ejemplo",
        _("Clave del convenio (ver convenios)."),
        _("Número del compromiso dentro del convenio (ver compromisos)."),
    ),
    filas_base=lambda: Actualizacion.objects.filter(compromiso__convenio__publicado=True).con_nota_publica(),
    orden=("compromiso__convenio__slug", "compromiso__numero", "pk"),
    clave_primaria=("convenio", "numero", "secuencia"),
    claves_foraneas=((("convenio", "numero"), "compromisos", ("convenio", "numero")),),
    palabras_clave=("historial", "estatus", "compromisos"),
)

COMISIONES = Conjunto(
    nombre="comisiones",
    titulo=_("Comisiones del SNT en seguimiento"),
    descripcion=_("Comisiones del Sistema Nacional de Transparencia cuyas atribuciones se siguen."),
    columnas=(
        Columna("clave", "string", _("Clave estable de la comisión."), "gobierno-abierto", "slug", True),
        Columna(
            "nombre", "string", _("Nombre de la comisión."), "Comisión de Gobierno Abierto…", "nombre", True
        ),
        Columna(
            "sistema",
            "string",
            _("Sistema al que pertenece."),
            "Sistema Nacional de Transparencia",
            "sistema__nombre",
            True,
        ),
        Columna("tipo", "string", _("Tipo de comisión."), "Ordinaria", "tipo__nombre", True),
        Columna("descripcion", "string", _("Descripción."), "Atiende los temas…", "descripcion"),
    ),
    filas_base=comisiones_publicadas,
    orden=("slug",),
    clave_primaria=("clave",),
    palabras_clave=("comisiones", "SNT", "transparencia"),
)

ATRIBUCIONES = Conjunto(
    nombre="atribuciones",
    titulo=_("Atribuciones de las comisiones y su estatus"),
    descripcion=_("Cada atribución de las comisiones publicadas, por materia, con su estatus vigente."),
    columnas=(
        Columna(
            "comision",
            "string",
            _("Clave de la comisión (ver comisiones)."),
            "gobierno-abierto",
            "comision__slug",
            True,
        ),
        Columna(
            "numero", "integer", _("Número de la atribución dentro de la comisión."), "2", "numero", True
        ),
        Columna(
            "materia",
            "string",
            _("Materia: apertura, transparencia-proactiva o ambas."),
            "apertura",
            "materia",
            True,
        ),
        Columna("texto", "string", _("Texto de la atribución."), "Promover…", "texto", True),
        *COLUMNAS_ESTATUS_ACTUAL,
    ),
    filas_base=lambda: Atribucion.objects.filter(comision__publicado=True),
    orden=("comision__slug", "numero"),
    clave_primaria=("comision", "numero"),
    claves_foraneas=((("comision",), "comisiones", ("clave",)),),
    palabras_clave=("atribuciones", "comisiones", "estatus"),
)

HISTORIAL_ATRIBUCIONES = Conjunto(
    nombre="historial-atribuciones",
    titulo=_("Historial de estatus de las atribuciones"),
    descripcion=_(
        "Cada cambio de estatus registrado de las atribuciones publicadas, con su fecha efectiva; "
        "la nota solo cuando se marcó como pública."
    ),
    columnas=_historial(
        "atribucion__comision",
        "comision",
        "gobierno-abierto",
        _("Clave de la comisión (ver comisiones)."),
        _("Número de la atribución dentro de la comisión (ver atribuciones)."),
    ),
    filas_base=lambda: ActualizacionAtribucion.objects.filter(
        atribucion__comision__publicado=True
    ).con_nota_publica(),
    orden=("atribucion__comision__slug", "atribucion__numero", "pk"),
    clave_primaria=("comision", "numero", "secuencia"),
    claves_foraneas=((("comision", "numero"), "atribuciones", ("comision", "numero")),),
    palabras_clave=("historial", "estatus", "atribuciones"),
)

CONJUNTOS = {
    c.nombre: c
    for c in (CONVENIOS, COMPROMISOS, HISTORIAL_COMPROMISOS, COMISIONES, ATRIBUCIONES, HISTORIAL_ATRIBUCIONES)
}


def valor_json(valor):
    return valor.isoformat() if isinstance(valor, datetime.date) else valor


CONVENIOS_Y_COMPROMISOS = ("convenios", "compromisos", "historial-compromisos")


def periodos() -> dict[str, tuple]:
    """Per data set, the first date it covers and the day its first row came to exist (two queries):
    the convenios' side from the published convenios (start dates, creation), the commissions' from
    the effective dates of their duties' updates and the duties' creation."""
    convenios = convenios_publicados().aggregate(inicio=Min("fecha_inicio"), emitido=Min("creado_en"))
    atribuciones = Atribucion.objects.filter(comision__publicado=True).aggregate(
        inicio=Min("actualizaciones__fecha_efectiva"), emitido=Min("creado_en")
    )
    lados = {"convenios": convenios, "comisiones": atribuciones}
    resultado = {}
    for nombre in CONJUNTOS:
        lado = lados["convenios" if nombre in CONVENIOS_Y_COMPROMISOS else "comisiones"]
        emitido = lado["emitido"].date() if lado["emitido"] else None
        resultado[nombre] = (lado["inicio"], emitido)
    return resultado
