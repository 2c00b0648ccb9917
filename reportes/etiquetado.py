"""What WeasyPrint's PDF/UA tagging leaves for a screen reader to stumble on, mended before the file
is written (``acabar``, a ``write_pdf`` finisher; pure and deterministic, so equal HTML still gives
equal bytes):

- the running header and footer (margin boxes) are marked as Spans that no structure element holds:
  they become pagination Artifacts;
- a table cell's ``Headers`` name only the header of its first column, and a ``rowgroup`` header only
  the cell beneath it: each cell gets every header that covers it (HTML's ``headers`` when it says,
  else the column headers above it, the row headers on its left and the row-group headers of its
  group) and each header its ``Scope``;
- where a line breaks (wrapping or ``<br>``), the last word of a line and the first of the next run
  together in tag order ("NOMBRE DELCONVENIO"): the line's Span gets an ``ActualText`` ending in a
  space.
"""

import itertools
import re

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

SIN_ESPACIO_DESPUES = ("-", "\u00ad", "\u2010")  # a line broken after a hyphen joins the word again
NUMERO = rb"[-+\d.e]+"
TM = re.compile(rb"^(?:%s ){5}(%s) Tm$" % (NUMERO, NUMERO))  # the line's baseline: Tm's last number
TF = re.compile(rb"^/(\S+) %s Tf$" % NUMERO)
GLIFOS = re.compile(rb"<([0-9a-f]*)>")  # hex strings of two-byte glyph ids (Identity-H)
BFCHAR = re.compile(rb"<([0-9a-f]+)> <([0-9a-f]+)>")


def acabar(document, pdf) -> None:
    if "StructTreeRoot" not in pdf.catalog:
        return
    documento = Documento(pdf)
    documento.marcar_artefactos()
    for pagina in document.pages:
        for caja in _cajas(pagina._page_box):
            if isinstance(caja, boxes.TableBox):
                _encabezados(caja)
    documento.separar_lineas()


def _bytes(valor) -> bytes:
    return valor if isinstance(valor, bytes) else str(valor).encode()


class Documento:
    """The pydyf objects WeasyPrint built, read as a structure tree and per-page content."""

    def __init__(self, pdf):
        self.pdf = pdf
        raiz = self.objeto(pdf.catalog["StructTreeRoot"])
        self.arbol = self.objeto(raiz["ParentTree"])["Nums"]  # page, [element of each MCID], …
        self.raiz = raiz
        self.paginas = [self.objeto(ref) for ref in pdf.page_references]

    def objeto(self, referencia):
        """The object a reference (``b"12 0 R"``) names; anything else as it is."""
        if isinstance(referencia, bytes) and referencia.endswith(b" R"):
            return self.pdf.objects[int(referencia.split()[0])]
        return referencia

    def alcanzables(self) -> set[int]:
        vistos: set[int] = set()
        pendientes = list(self.raiz["K"])
        while pendientes:
            hijo = pendientes.pop()
            if isinstance(hijo, int):
                continue
            numero = int(_bytes(hijo).split()[0])
            if numero in vistos:
                continue
            vistos.add(numero)
            elemento = self.pdf.objects[numero]
            if isinstance(elemento, pydyf.Dictionary) and elemento.get("Type") == "/StructElem":
                pendientes.extend(elemento["K"])
        return vistos

    def contenido(self, pagina):
        return self.objeto(pagina["Contents"]).stream

    def marcar_artefactos(self) -> None:
        """Marked content whose element no structure holds (the margin boxes) becomes an Artifact."""
        alcanzables = self.alcanzables()
        for indice in range(0, len(self.arbol), 2):
            pagina, elementos = self.arbol[indice], self.arbol[indice + 1]
            huerfanos = set()
            for mcid, referencia in enumerate(elementos):
                if referencia != "null" and int(_bytes(referencia).split()[0]) not in alcanzables:
                    huerfanos.add(mcid)
                    elementos[mcid] = "null"
            if not huerfanos:
                continue
            flujo = self.contenido(self.paginas[pagina])
            for posicion, item in enumerate(flujo):
                propiedades = flujo[posicion - 1] if item == b"BDC" else None
                if isinstance(propiedades, pydyf.Dictionary) and propiedades.get("MCID") in huerfanos:
                    flujo[posicion - 2] = "/Artifact"
                    flujo[posicion - 1] = pydyf.Dictionary({"Type": "/Pagination"})

    def textos(self, pagina) -> dict[int, tuple[str, float]]:
        """Each MCID of a page: its text (through the fonts' ToUnicode) and the baseline it starts on."""
        fuentes = self.objeto(self.objeto(pagina["Resources"]).get("Font", {}))
        unicode = {nombre: self._a_unicode(self.objeto(ref)) for nombre, ref in fuentes.items()}
        resultado: dict[int, tuple[str, float]] = {}
        mcid, fuente, texto, linea = None, None, [], None
        for item in self.contenido(pagina):
            if isinstance(item, pydyf.Dictionary) and "MCID" in item:
                mcid, texto, linea = item["MCID"], [], None
            elif item == b"EMC" and mcid is not None:
                resultado[mcid] = ("".join(texto), linea if linea is not None else 0.0)
                mcid = None
            elif isinstance(item, bytes) and mcid is not None:
                if coincidencia := TM.match(item):
                    linea = float(coincidencia[1]) if linea is None else linea
                elif coincidencia := TF.match(item):
                    fuente = coincidencia[1].decode()
                elif item.endswith(b"TJ") or item.endswith(b"Tj"):
                    mapa = unicode.get(fuente, {})
                    for cadena in GLIFOS.findall(item):
                        texto.extend(mapa.get(cadena[i : i + 4], "") for i in range(0, len(cadena), 4))
        return resultado

    def _a_unicode(self, fuente) -> dict[bytes, str]:
        if "ToUnicode" not in fuente:
            return {}
        cmap = b"\n".join(_bytes(linea) for linea in self.objeto(fuente["ToUnicode"]).stream)
        return {
            glifo.rjust(4, b"0"): bytes.fromhex(texto.decode()).decode("utf-16-be")
            for glifo, texto in BFCHAR.findall(cmap)
        }

    def separar_lineas(self) -> None:
        """A Span that ends a line and is followed in tag order by another line says so with a space."""
        textos = {}
        for indice in range(0, len(self.arbol), 2):
            textos[self.arbol[indice]] = self.textos(self.paginas[self.arbol[indice]])
        hojas = []  # (element, page, mcid) in tag order
        self._hojas(self.objeto(self.raiz["K"][0]), None, hojas)
        for (elemento, pagina, mcid), (_siguiente, otra_pagina, otro_mcid) in itertools.pairwise(hojas):
            texto, linea = textos.get(pagina, {}).get(mcid, ("", 0.0))
            _otro_texto, otra_linea = textos.get(otra_pagina, {}).get(otro_mcid, ("", 0.0))
            if not texto or texto[-1].isspace() or texto.endswith(SIN_ESPACIO_DESPUES):
                continue
            if (pagina, linea) != (otra_pagina, otra_linea) and list(elemento["K"]) == [mcid]:
                elemento["ActualText"] = pydyf.String(texto + " ")

    def _hojas(self, elemento, pagina, hojas) -> None:
        if "Pg" in elemento:
            pagina = self.pdf.page_references.index(_bytes(elemento["Pg"]))
        for hijo in elemento["K"]:
            if isinstance(hijo, int):
                hojas.append((elemento, pagina, hijo))
                continue
            objeto = self.objeto(hijo)
            if isinstance(objeto, pydyf.Dictionary) and objeto.get("Type") == "/StructElem":
                self._hojas(objeto, pagina, hojas)


def _cajas(caja):
    if isinstance(caja, AbsolutePlaceholder):
        caja = caja._box
    yield caja
    if isinstance(caja, boxes.ParentBox):
        for hijo in caja.children:
            yield from _cajas(hijo)


def _encabezados(tabla) -> None:
    """Scope for each TH, and for each TD every header that covers it, as HTML's table model says."""
    celdas = []  # (cell, first row, first column, group)
    ocupadas: set[tuple[int, int]] = set()
    fila = 0
    for grupo, seccion in enumerate(tabla.children):
        for renglon in getattr(seccion, "children", ()):
            columna = 0
            for celda in renglon.children:
                while (fila, columna) in ocupadas:
                    columna += 1
                celdas.append((celda, fila, columna, grupo, seccion.element_tag))
                for f in range(fila, fila + celda.rowspan):
                    for c in range(columna, columna + celda.colspan):
                        ocupadas.add((f, c))
                columna += celda.colspan
            fila += 1
    encabezados = [c for c in celdas if _es(c[0], "th") and hasattr(c[0], "mark") and "ID" in c[0].mark]
    por_id = {c[0].element.get("id"): c[0].mark["ID"] for c in encabezados if c[0].element.get("id")}
    alcance = {}
    for celda, _f, _c, _g, seccion in encabezados:
        alcance[celda] = celda.element.get("scope") or ("col" if seccion == "thead" else "row")
        celda.mark["A"]["Scope"] = "/Column" if alcance[celda] in ("col", "colgroup") else "/Row"
    for celda, fila, columna, grupo, _seccion in celdas:
        if not _es(celda, "td") or not hasattr(celda, "mark"):
            continue
        filas = range(fila, fila + celda.rowspan)
        columnas = range(columna, columna + celda.colspan)
        if nombres := celda.element.get("headers"):
            ids = [por_id[n] for n in nombres.split() if n in por_id]
        else:
            ids = [
                th.mark["ID"]
                for th, f, c, g, _s in encabezados
                if _cubre(alcance[th], th, f, c, g, filas, columnas, grupo)
            ]
        celda.mark["A"]["Headers"] = pydyf.Array(ids)


def _cubre(alcance, th, f, c, g, filas, columnas, grupo) -> bool:
    if alcance in ("col", "colgroup"):
        return f < filas.start and not set(range(c, c + th.colspan)).isdisjoint(columnas)
    if c >= columnas.start:
        return False
    if alcance == "rowgroup":
        return g == grupo and f <= filas.start
    return not set(range(f, f + th.rowspan)).isdisjoint(filas)


def _es(caja, etiqueta: str) -> bool:
    return caja.element is not None and caja.element_tag == etiqueta
