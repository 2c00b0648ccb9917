"""What describes the files: the Frictionless data package and the DCAT catalogue (JSON-LD) that a
CKAN catalogue such as datos.gob.mx harvests with ckanext-dcat. Both from ``conjuntos``."""

from collections.abc import Callable

from django.conf import settings

from . import archivos
from .conjuntos import CONJUNTOS, Conjunto
from .version import Version, Versiones

LICENCIA = {
    "name": "Libre-Uso-MX",
    "title": "Términos de Libre Uso MX",
    "path": "https://datos.gob.mx/libreusomx",
}
TITULO = "Seguimiento de convenios y comisiones del SNT"
DESCRIPCION = (
    "Datos abiertos del seguimiento que la Contraloría Gubernamental da al cumplimiento de convenios "
    "interinstitucionales y de las atribuciones de comisiones del Sistema Nacional de Transparencia: "
    "compromisos, atribuciones, su estatus vigente y el historial público de estatus."
)
MEDIOS = {"csv": "text/csv", "json": "application/json"}
# How often the data change: whenever an update is recorded.
PERIODICIDAD = "http://purl.org/cld/freq/irregular"


def _esquema(conjunto: Conjunto) -> dict:
    esquema = {
        "fields": [
            {
                "name": c.nombre,
                "type": c.tipo,
                "description": str(c.descripcion),
                "example": c.ejemplo,
                **({"constraints": {"required": True}} if c.requerida else {}),
                **({"format": "%Y-%m-%d"} if c.tipo == "date" else {}),
            }
            for c in conjunto.columnas
        ],
        "primaryKey": list(conjunto.clave_primaria),
    }
    if conjunto.claves_foraneas:
        esquema["foreignKeys"] = [
            {"fields": list(campos), "reference": {"resource": recurso, "fields": list(destino)}}
            for campos, recurso, destino in conjunto.claves_foraneas
        ]
    return esquema


ESQUEMA_DICCIONARIO = {
    "fields": [{"name": n, "type": "string"} for n in archivos.COLUMNAS_DICCIONARIO],
    "primaryKey": ["columna"],
}


def paquete(url: Callable[[str, str], str], version: Version) -> dict:
    """``datapackage.json``: every file with its Table Schema, the licence, sources and contributors.
    ``url(nombre, formato)`` gives a file's absolute address (``diccionario`` for a dictionary)."""
    recursos = []
    for conjunto in CONJUNTOS.values():
        for formato in ("csv", "json"):
            recursos.append(
                {
                    "name": conjunto.nombre if formato == "csv" else f"{conjunto.nombre}-json",
                    "title": f"{conjunto.titulo} ({formato.upper()})",
                    "description": str(conjunto.descripcion),
                    "path": url(conjunto.nombre, formato),
                    "format": formato,
                    "mediatype": MEDIOS[formato],
                    "encoding": "utf-8",
                    "profile": "tabular-data-resource",
                    "schema": _esquema(conjunto),
                }
            )
        recursos.append(
            {
                "name": f"{conjunto.nombre}-diccionario",
                "title": f"Diccionario de datos: {conjunto.titulo}",
                "path": url(conjunto.nombre, "diccionario"),
                "format": "csv",
                "mediatype": MEDIOS["csv"],
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": ESQUEMA_DICCIONARIO,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "seguimiento-convenios-comisiones",
        "title": TITULO,
        "description": DESCRIPCION,
        "version": version.etag("paquete")[:12],
        **({"created": version.modificado.isoformat()} if version.modificado else {}),
        "keywords": ["datos abiertos", "convenios", "compromisos", "transparencia", "SNT"],
        "licenses": [LICENCIA],
        "sources": [{"title": settings.INSTITUCION, "path": url("", "portal")}],
        "contributors": [
            {"title": settings.INSTITUCION, "role": "publisher", "email": settings.CORREO_DATOS_ABIERTOS}
        ],
        "resources": recursos,
    }


CONTEXTO = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _literal(valor, tipo: str) -> dict:
    return {"@value": valor, "@type": f"xsd:{tipo}"}


def _modificado(version: Version) -> dict | None:
    if version.modificado is None:
        return None
    return _literal(version.modificado.isoformat(timespec="seconds"), "dateTime")


def catalogo(url: Callable[[str, str], str], versiones: Versiones) -> dict:
    """DCAT catalogue: per dataset the fields datos.gob.mx requires (identifier, title, description,
    keyword, modified, contactPoint with e-mail, landingPage, accrualPeriodicity, publisher, licence)
    and per distribution title, downloadURL, mediaType, format and byteSize."""
    portal = url("", "portal")
    publicador = {"@type": "foaf:Organization", "foaf:name": settings.INSTITUCION}
    licencia = {"@id": LICENCIA["path"]}
    modificado = _modificado(versiones.todo)
    conjuntos = []
    for conjunto in CONJUNTOS.values():
        modificado_conjunto = _modificado(versiones.de(conjunto.nombre))
        distribuciones = []
        for formato in ("csv", "json"):
            tamano = len(archivos.construir(conjunto, formato))
            distribuciones.append(
                {
                    "@id": url(conjunto.nombre, formato),
                    "@type": "dcat:Distribution",
                    "dct:title": f"{conjunto.titulo} ({formato.upper()})",
                    "dcat:downloadURL": {"@id": url(conjunto.nombre, formato)},
                    "dcat:accessURL": {"@id": portal},
                    "dcat:mediaType": MEDIOS[formato],
                    "dct:format": formato.upper(),
                    "dcat:byteSize": _literal(tamano, "nonNegativeInteger"),
                    "dct:license": licencia,
                }
            )
        tamano = len(archivos.diccionario(conjunto))
        distribuciones.append(
            {
                "@id": url(conjunto.nombre, "diccionario"),
                "@type": "dcat:Distribution",
                "dct:title": f"Diccionario de datos: {conjunto.titulo}",
                "dcat:downloadURL": {"@id": url(conjunto.nombre, "diccionario")},
                "dcat:accessURL": {"@id": portal},
                "dcat:mediaType": MEDIOS["csv"],
                "dct:format": "CSV",
                "dcat:byteSize": _literal(tamano, "nonNegativeInteger"),
                "dct:license": licencia,
            }
        )
        conjuntos.append(
            {
                "@id": f"{portal}#conjunto-{conjunto.nombre}",
                "@type": "dcat:Dataset",
                "dct:identifier": f"seguimiento-{conjunto.nombre}",
                "dct:title": str(conjunto.titulo),
                "dct:description": str(conjunto.descripcion),
                "dcat:keyword": list(conjunto.palabras_clave),
                **({"dct:modified": modificado_conjunto} if modificado_conjunto else {}),
                "dcat:contactPoint": {
                    "@type": "vcard:Organization",
                    "vcard:fn": settings.INSTITUCION,
                    "vcard:hasEmail": {"@id": f"mailto:{settings.CORREO_DATOS_ABIERTOS}"},
                },
                "dcat:landingPage": {"@id": portal},
                "dct:accrualPeriodicity": {"@id": PERIODICIDAD},
                "dct:publisher": publicador,
                "dct:license": licencia,
                "dct:language": "es",
                "dcat:distribution": distribuciones,
            }
        )
    return {
        "@context": CONTEXTO,
        "@id": url("", "catalogo"),
        "@type": "dcat:Catalog",
        "dct:title": TITULO,
        "dct:description": DESCRIPCION,
        "dct:publisher": publicador,
        "dct:license": licencia,
        "dct:language": "es",
        "foaf:homepage": {"@id": portal},
        **({"dct:modified": modificado} if modificado else {}),
        "dcat:dataset": conjuntos,
    }
