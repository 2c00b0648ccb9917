"""The three reports' PDFs hold for a screen reader: read back with pikepdf, walking the structure
tree from StructTreeRoot (what assistive technology reads) and each page's marked content.

- every marked-content sequence is an Artifact (the running header and footer are pagination) or is
  reached from StructTreeRoot;
- every table keeps its caption, and every data cell's ``Headers`` name real header cells of its
  table that cover it (column headers above it, row headers on its left), with a column header and,
  where its group has one, a row header;
- the tagged text (in tag order, ``ActualText`` where given) keeps the space where a line breaks.
"""

import io
import re
from dataclasses import dataclass, field

import pikepdf
import pytest
from django.urls import reverse
from django.utils import timezone

from .test_reportes import COMISION

pytestmark = pytest.mark.archivos

ESPACIO_DE_CODIGOS = re.compile(rb"<([0-9a-f]+)> <([0-9a-f]+)>")


@dataclass
class Celda:
    elemento: pikepdf.Dictionary
    etiqueta: str  # /TH or /TD
    fila: int
    columna: int
    seccion: int
    texto: str
    filas: range = field(init=False)
    columnas: range = field(init=False)

    def __post_init__(self):
        atributos = self.elemento.get("/A", {})
        self.filas = range(self.fila, self.fila + int(atributos.get("/RowSpan", 1)))
        self.columnas = range(self.columna, self.columna + int(atributos.get("/ColSpan", 1)))

    @property
    def alcance(self) -> str:
        return str(self.elemento.get("/A", {}).get("/Scope", ""))


class PdfEtiquetado:
    def __init__(self, contenido: bytes):
        self.pdf = pikepdf.open(io.BytesIO(contenido))
        self.numero_de = {pagina.objgen: i for i, pagina in enumerate(self.pdf.pages)}
        self.textos, self.secuencias, self.artefactos = self._contenido()
        self.hojas: list[tuple[pikepdf.Dictionary, int, int]] = []  # element, page, MCID in tag order
        self.elementos: list[pikepdf.Dictionary] = []
        self._recorrer(self.pdf.Root.StructTreeRoot, None)

    def _pagina(self, elemento, pagina):
        return self.numero_de[elemento.Pg.objgen] if "/Pg" in elemento else pagina

    def _recorrer(self, nodo, pagina) -> None:
        hijos = nodo.get("/K", [])
        for hijo in hijos if isinstance(hijos, pikepdf.Array) else [hijos]:
            if isinstance(hijo, int):
                self.hojas.append((nodo, pagina, hijo))
            elif isinstance(hijo, pikepdf.Dictionary) and hijo.get("/Type") == "/MCR":
                self.hojas.append((nodo, self._pagina(hijo, pagina), int(hijo.MCID)))
            elif isinstance(hijo, pikepdf.Dictionary) and hijo.get("/Type") != "/OBJR":
                self.elementos.append(hijo)
                self._recorrer(hijo, self._pagina(hijo, pagina))

    def _contenido(self):
        """Per page: the text of each MCID, every marked-content sequence (page, tag, MCID, inside an
        Artifact?), and the text drawn inside Artifacts."""
        textos, secuencias, artefactos = {}, [], []
        for numero, pagina in enumerate(self.pdf.pages):
            mapas = {
                str(nombre): {
                    int(c, 16): bytes.fromhex(u.decode()).decode("utf-16-be")
                    for c, u in ESPACIO_DE_CODIGOS.findall(fuente.ToUnicode.read_bytes())
                }
                for nombre, fuente in pagina.Resources.Font.items()
            }
            pila, fuente = [], None
            for operandos, operador in pikepdf.parse_content_stream(pagina):
                operador = str(operador)
                if operador in ("BDC", "BMC"):
                    propiedades = operandos[1] if operador == "BDC" else None
                    mcid = (
                        int(propiedades.MCID)
                        if isinstance(propiedades, pikepdf.Dictionary) and ("/MCID" in propiedades)
                        else None
                    )
                    artefacto = any(t == "/Artifact" for t, _ in pila) or str(operandos[0]) == "/Artifact"
                    pila.append((str(operandos[0]), mcid))
                    secuencias.append((numero, str(operandos[0]), mcid, artefacto))
                elif operador == "EMC":
                    pila.pop()
                elif operador == "Tf":
                    fuente = str(operandos[0])
                elif operador in ("TJ", "Tj"):
                    cadenas = (
                        [x for x in operandos[0] if isinstance(x, pikepdf.String)]
                        if operador == "TJ"
                        else [operandos[0]]
                    )
                    datos = b"".join(bytes(c) for c in cadenas)
                    texto = "".join(
                        mapas[fuente].get(int.from_bytes(datos[i : i + 2]), "")
                        for i in range(0, len(datos), 2)
                    )
                    marcado = next((m for _t, m in reversed(pila) if m is not None), None)
                    if any(t == "/Artifact" for t, _ in pila):
                        artefactos.append(texto)
                    elif marcado is not None:
                        textos[(numero, marcado)] = textos.get((numero, marcado), "") + texto
        return textos, secuencias, artefactos

    def texto_de(self, elemento) -> str:
        """What a screen reader reads for an element: its ActualText, else its leaves' text in order."""
        if "/ActualText" in elemento:
            return str(elemento.ActualText)
        partes = []
        hijos = elemento.get("/K", [])
        for hijo in hijos if isinstance(hijos, pikepdf.Array) else [hijos]:
            if isinstance(hijo, int):
                pagina = next(p for e, p, m in self.hojas if e.objgen == elemento.objgen and m == hijo)
                partes.append(self.textos.get((pagina, hijo), ""))
            elif isinstance(hijo, pikepdf.Dictionary) and hijo.get("/Type") not in ("/MCR", "/OBJR"):
                partes.append(self.texto_de(hijo))
        return "".join(partes)

    def texto_etiquetado(self) -> str:
        return self.texto_de(self.pdf.Root.StructTreeRoot.K[0])

    def tablas(self):
        for tabla in (e for e in self.elementos if e.S == "/Table"):
            yield tabla, self.celdas(tabla)

    def celdas(self, tabla) -> list[Celda]:
        celdas, ocupadas, fila = [], set(), 0
        hijos = [h for h in tabla.K if isinstance(h, pikepdf.Dictionary)]
        secciones = [h for h in hijos if h.S in ("/THead", "/TBody", "/TFoot")] or [tabla]
        for numero, seccion in enumerate(secciones):
            for renglon in (r for r in seccion.K if isinstance(r, pikepdf.Dictionary) and r.S == "/TR"):
                columna = 0
                for elemento in (c for c in renglon.K if isinstance(c, pikepdf.Dictionary)):
                    while (fila, columna) in ocupadas:
                        columna += 1
                    celda = Celda(elemento, str(elemento.S), fila, columna, numero, self.texto_de(elemento))
                    celdas.append(celda)
                    ocupadas |= {(f, c) for f in celda.filas for c in celda.columnas}
                    columna = celda.columnas.stop
                fila += 1
        return celdas


def cubre(th: Celda, td: Celda) -> bool:
    """A column header above the cell in one of its columns, or a row header on its left in its own
    group, at or above its row (a row header covers its row; a row-group header, the rows below)."""
    if th.alcance == "/Column":
        return th.fila < td.fila and not set(th.columnas).isdisjoint(td.columnas)
    return (
        th.alcance == "/Row" and th.seccion == td.seccion and th.columna < td.columna and th.fila <= td.fila
    )


INFORMES = {
    "convenio": ("reportes:informe_pdf", True, "2020-02-07", 1),
    "consolidado": ("reportes:consolidado_pdf", False, "2021-01-01", 4),  # the table and 3 charts' data
    "comision": ("reportes:comision_pdf", False, None, 1),
}


@pytest.fixture
def emitir(client, semilla, gerente):
    def emitir(informe: str) -> PdfEtiquetado:
        nombre, de_convenio, fecha, _tablas = INFORMES[informe]
        args = [semilla.slug] if de_convenio else [COMISION] if informe == "comision" else []
        respuesta = client.post(
            reverse(nombre, args=args), {"fecha": fecha or timezone.localdate().isoformat()}
        )
        assert respuesta.status_code == 200, respuesta.content[:300]
        return PdfEtiquetado(respuesta.content)

    return emitir


@pytest.mark.parametrize("informe", INFORMES)
def test_every_marked_content_is_an_artifact_or_reached_from_the_structure_tree(emitir, informe):
    pdf = emitir(informe)
    alcanzadas = {(pagina, mcid) for _elemento, pagina, mcid in pdf.hojas}
    sueltas = [
        (pagina, etiqueta, mcid, pdf.textos.get((pagina, mcid), ""))
        for pagina, etiqueta, mcid, artefacto in pdf.secuencias
        if not artefacto and (mcid is None or (pagina, mcid) not in alcanzadas)
    ]
    assert sueltas == []
    paginas = len(pdf.pdf.pages)
    artefactos = " ".join(pdf.artefactos)
    for numero in range(1, paginas + 1):  # the running footer is pagination, not content
        assert f"Página {numero} de {paginas}" in artefactos
    assert "Página 1 de" not in pdf.texto_etiquetado()


@pytest.mark.parametrize("informe", INFORMES)
def test_every_table_keeps_its_caption_and_every_cell_names_the_headers_that_cover_it(emitir, informe):
    pdf = emitir(informe)
    con_titulo = 0
    for tabla, celdas in pdf.tablas():
        primero = next(h for h in tabla.K if isinstance(h, pikepdf.Dictionary))
        if primero.S == "/Caption":
            assert pdf.texto_de(primero).strip()
            con_titulo += 1
        encabezados = {bytes(c.elemento.ID): c for c in celdas if c.etiqueta == "/TH"}
        assert all(th.alcance in ("/Column", "/Row") for th in encabezados.values())
        for td in (c for c in celdas if c.etiqueta == "/TD"):
            nombres = [bytes(n) for n in td.elemento.A.get("/Headers", [])]
            assert all(n in encabezados for n in nombres), (td.texto, nombres)
            suyos = [encabezados[n] for n in nombres]
            assert all(cubre(th, td) for th in suyos), (td.texto, [th.texto for th in suyos])
            assert any(th.alcance == "/Column" for th in suyos), td.texto
            filas_del_grupo = [th for th in encabezados.values() if th.alcance == "/Row" and cubre(th, td)]
            if td.texto.strip() and filas_del_grupo:
                assert any(th.alcance == "/Row" for th in suyos), td.texto
    assert con_titulo == INFORMES[informe][3], "el título de cada tabla (caption) sigue en el PDF"


def test_the_seed_reports_cells_are_read_with_their_two_column_header_and_their_block(emitir):
    pdf = emitir("convenio")
    (_tabla, celdas), *_continuacion = pdf.tablas()
    por_texto = {c.texto.strip(): c for c in celdas if c.etiqueta == "/TH"}
    datos_generales = por_texto["Datos Generales del Convenio."]
    assert list(datos_generales.columnas) == [0, 1]
    bloque = next(c for texto, c in por_texto.items() if texto.startswith("COMPROMISOS"))
    compromiso = next(c for c in celdas if c.texto.startswith("Determinar los conjuntos de datos"))
    encabezados = {bytes(n) for n in compromiso.elemento.A.Headers}
    assert encabezados == {bytes(datos_generales.elemento.ID), bytes(bloque.elemento.ID)}
    marcador = next(
        c for c in celdas if c.etiqueta == "/TD" and c.fila == compromiso.fila + 1 and c.columna == 0
    )
    assert marcador.texto == "" and bytes(bloque.elemento.ID) not in {
        bytes(n) for n in marcador.elemento.A.Headers
    }


@pytest.mark.parametrize("informe", INFORMES)
def test_words_do_not_run_together_where_a_line_breaks(emitir, informe):
    texto = emitir(informe).texto_etiquetado()
    assert "Estatus al" in texto and "Código de verificación" in texto
    assert not re.search(r"\SEstatus al", texto), "un <br> separa palabras"
    if informe == "convenio":
        assert "NOMBRE DEL CONVENIO" in texto and "NOMBRE DELCONVENIO" not in texto
        assert "de sus atribuciones" in texto
