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
    "dcatap": "http://data.europa.eu/r5r/",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# DCAT-AP 3 asks for these values as IRIs of the EU vocabularies (and IANA's media types), each typed
# with the class its property expects, so a validator needs no vocabulary loaded to check them.
AUTORIDAD = "http://publications.europa.eu/resource/authority"
IANA = "https://www.iana.org/assignments/media-types"
FORMATOS_UE = {"csv": "CSV", "json": "JSON"}


def _concepto(esquema: str, codigo: str, tipo: str, etiqueta: str) -> dict:
    """A term of a controlled vocabulary (``esquema``: the scheme's IRI), with its class and label."""
    return {
        "@id": f"{esquema}/{codigo}",
        "@type": [tipo, "skos:Concept"] if tipo != "skos:Concept" else tipo,
        "skos:inScheme": {
            "@id": esquema,
            "@type": "skos:ConceptScheme",
            "dct:title": esquema.rsplit("/", 1)[1],
        },
        "skos:prefLabel": {"@value": etiqueta, "@language": "es"},
    }


IDIOMA = _concepto(f"{AUTORIDAD}/language", "SPA", "dct:LinguisticSystem", "español")
PERIODICIDAD_DCAT = _concepto(f"{AUTORIDAD}/frequency", "IRREG", "dct:Frequency", "irregular")
MEXICO = _concepto(f"{AUTORIDAD}/country", "MEX", "dct:Location", "México")
DISPONIBILIDAD = _concepto(f"{AUTORIDAD}/planned-availability", "STABLE", "skos:Concept", "estable")
TEMA = _concepto(f"{AUTORIDAD}/data-theme", "GOVE", "skos:Concept", "Gobierno y sector público")
# ADMS types: the licence asks for attribution; the publisher is a state (regional) authority.
ADMS = "http://purl.org/adms"
TIPO_LICENCIA = {
    **_concepto(f"{ADMS}/licencetype", "Attribution", "skos:Concept", "atribución"),
    "skos:inScheme": {"@id": f"{ADMS}/licencetype/1.0", "@type": "skos:ConceptScheme", "dct:title": "ADMS"},
}
TIPO_PUBLICADOR = {
    **_concepto(f"{ADMS}/publishertype", "RegionalAuthority", "skos:Concept", "autoridad regional"),
    "skos:inScheme": {"@id": f"{ADMS}/publishertype/1.0", "@type": "skos:ConceptScheme", "dct:title": "ADMS"},
}
LICENCIA_DCAT = {
    "@id": LICENCIA["path"],
    "@type": "dct:LicenseDocument",
    "dct:title": "Libre Uso MX",
    "dct:type": TIPO_LICENCIA,
}


def _literal(valor, tipo: str) -> dict:
    return {"@value": valor, "@type": f"xsd:{tipo}"}


def _modificado(version: Version) -> dict | None:
    if version.modificado is None:
        return None
    return _literal(version.modificado.isoformat(timespec="seconds"), "dateTime")


def _distribucion(
    url_archivo: str, portal: str, titulo: str, descripcion: str, formato: str, tamano: int | None
):
    """One downloadable file; ``tamano`` None for a file that changes with every record (its size
    would make the catalogue's version move with it)."""
    return {
        "@id": url_archivo,
        "@type": "dcat:Distribution",
        "dct:title": titulo,
        "dct:description": descripcion,
        "dcat:downloadURL": {"@id": url_archivo},
        "dcat:accessURL": {"@id": portal},
        "dcat:mediaType": {"@id": f"{IANA}/{MEDIOS[formato]}", "@type": "dct:MediaType"},
        "dct:format": _concepto(
            f"{AUTORIDAD}/file-type", FORMATOS_UE[formato], "dct:MediaTypeOrExtent", formato.upper()
        ),
        **({"dcat:byteSize": _literal(tamano, "nonNegativeInteger")} if tamano is not None else {}),
        "dct:license": LICENCIA_DCAT,
        "dcatap:availability": DISPONIBILIDAD,
    }


# What the chain head's data set shares with every other one (contact, publisher, licence...).
COMUNES_DEL_CONJUNTO = (
    "dcat:contactPoint",
    "dcat:landingPage",
    "dct:accrualPeriodicity",
    "dct:publisher",
    "dct:license",
    "dct:language",
    "dcat:theme",
    "dct:spatial",
)
INTEGRIDAD = (
    "Cada actualización de estatus y cada informe emitido es un eslabón de una cadena de huellas "
    "(HMAC-SHA256): quien guarde una huella puede preguntar después si sigue en la cadena, es decir, si "
    "nada registrado antes de ella se reescribió."
)


def catalogo(url: Callable[[str, str], str], versiones: Versiones, periodos: dict | None = None) -> dict:
    """DCAT catalogue, conforming to the DCAT-AP 3 shapes and keeping the fields datos.gob.mx requires:
    per dataset identifier, title, description, keyword, modified, contactPoint with e-mail,
    landingPage, accrualPeriodicity, publisher and licence (a ``dct:LicenseDocument`` titled «Libre Uso
    MX», which ckanext-dcat reads); per distribution title, description, downloadURL, mediaType,
    format and byteSize. ``periodos``: each data set's first date (``dct:temporal``) and first
    publication (``dct:issued``), by name."""
    periodos = periodos or {}
    portal = url("", "portal")
    publicador = {
        "@id": f"{portal}#publicador",
        "@type": ["foaf:Organization", "foaf:Agent"],
        "foaf:name": settings.INSTITUCION,
        "dct:type": TIPO_PUBLICADOR,
    }
    pagina = {"@id": portal, "@type": "foaf:Document"}
    contacto = {
        "@type": ["vcard:Organization", "vcard:Kind"],
        "vcard:fn": settings.INSTITUCION,
        "vcard:hasEmail": {"@id": f"mailto:{settings.CORREO_DATOS_ABIERTOS}"},
    }
    conjuntos = []
    emisiones = []
    for conjunto in CONJUNTOS.values():
        distribuciones = [
            _distribucion(
                url(conjunto.nombre, formato),
                portal,
                f"{conjunto.titulo} ({formato.upper()})",
                f"{conjunto.descripcion} En {formato.upper()}, UTF-8; columnas descritas en su diccionario.",
                formato,
                len(archivos.construir(conjunto, formato)),
            )
            for formato in ("csv", "json")
        ]
        distribuciones.append(
            _distribucion(
                url(conjunto.nombre, "diccionario"),
                portal,
                f"Diccionario de datos: {conjunto.titulo}",
                "Cada columna del conjunto: nombre, tipo, descripción, ejemplo y si es obligatoria.",
                "csv",
                len(archivos.diccionario(conjunto)),
            )
        )
        inicio, emitido = periodos.get(conjunto.nombre, (None, None))
        if emitido:
            emisiones.append(emitido)
        modificado = _modificado(versiones.de(conjunto.nombre))
        conjuntos.append(
            {
                "@id": f"{portal}#conjunto-{conjunto.nombre}",
                "@type": "dcat:Dataset",
                "dct:identifier": f"seguimiento-{conjunto.nombre}",
                "dct:title": str(conjunto.titulo),
                "dct:description": str(conjunto.descripcion),
                "dcat:keyword": list(conjunto.palabras_clave),
                **({"dct:modified": modificado} if modificado else {}),
                **({"dct:issued": _literal(emitido.isoformat(), "date")} if emitido else {}),
                "dcat:contactPoint": contacto,
                "dcat:landingPage": pagina,
                "dct:accrualPeriodicity": PERIODICIDAD_DCAT,
                "dct:publisher": publicador,
                "dct:license": LICENCIA_DCAT,
                "dct:language": IDIOMA,
                "dcat:theme": TEMA,
                "dct:spatial": MEXICO,
                **(
                    {
                        "dct:temporal": {
                            "@type": "dct:PeriodOfTime",
                            "dcat:startDate": _literal(inicio.isoformat(), "date"),
                        }
                    }
                    if inicio
                    else {}
                ),
                "dcat:distribution": distribuciones,
            }
        )
    conjuntos.append(
        {
            **{clave: valor for clave, valor in conjuntos[0].items() if clave in COMUNES_DEL_CONJUNTO},
            "@id": f"{portal}#conjunto-integridad",
            "@type": "dcat:Dataset",
            "dct:identifier": "seguimiento-integridad",
            "dct:title": "Cabeza de la cadena de huellas del registro",
            "dct:description": INTEGRIDAD,
            "dcat:keyword": ["integridad", "huella", "cadena", "verificación"],
            "dcat:distribution": [
                _distribucion(
                    url("", "integridad"),
                    portal,
                    "Cabeza de la cadena (JSON)",
                    "La huella más reciente, cuántos eslabones tiene la cadena y desde cuándo; con "
                    "?huella=… dice si esa huella sigue en la cadena de hoy.",
                    "json",
                    None,
                )
            ],
        }
    )
    modificado = _modificado(versiones.todo)
    return {
        "@context": CONTEXTO,
        "@id": url("", "catalogo"),
        "@type": "dcat:Catalog",
        "dct:title": TITULO,
        "dct:description": DESCRIPCION,
        "dct:publisher": publicador,
        "dct:license": LICENCIA_DCAT,
        "dct:language": IDIOMA,
        "dct:spatial": MEXICO,
        "dcat:themeTaxonomy": TEMA["skos:inScheme"],
        "foaf:homepage": pagina,
        **({"dct:issued": _literal(min(emisiones).isoformat(), "date")} if emisiones else {}),
        **({"dct:modified": modificado} if modificado else {}),
        "dcat:dataset": conjuntos,
    }
