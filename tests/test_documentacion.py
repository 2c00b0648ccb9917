"""The README and docs/ stay a short entry point and a manual whose links all lead somewhere.

Every relative link in README.md and docs/*.md must name a file or folder of the repository and, when
it carries ``#anchor`` into a Markdown file, a heading of that file, slugged as GitHub does it
(github-slugger: lower case, punctuation and symbols dropped, spaces to hyphens, accents kept, «-1»,
«-2»… for repeated headings). Setext headings (underlined with ``===``) are not recognised: the docs
use ``#`` headings only. No database needed.
"""

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest

RAIZ = Path(__file__).resolve().parent.parent
DOCUMENTOS = [RAIZ / "README.md", *sorted((RAIZ / "docs").glob("*.md"))]
MAXIMO_DE_LINEAS_DEL_README = 200

CERCA = re.compile(r"^\s{0,3}(```|~~~)")
ENCABEZADO = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
CODIGO_EN_LINEA = re.compile(r"(`+)((?:(?!\n\n).)+?)\1", re.DOTALL)
ENLACE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
DEFINICION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
ESQUEMA = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def lineas_fuera_de_codigo(texto: str) -> list[str]:
    """The lines that Markdown reads as text: fenced code blocks (a ``# comment`` in a shell example
    is not a heading) are left out."""
    lineas, dentro = [], False
    for linea in texto.splitlines():
        if CERCA.match(linea):
            dentro = not dentro
        elif not dentro:
            lineas.append(linea)
    return lineas


def texto_visible(markdown: str) -> str:
    """A heading's text as rendered: inline code without backticks, links as their text."""
    markdown = CODIGO_EN_LINEA.sub(lambda m: m.group(2).strip(), markdown)
    return re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)


def slug(texto: str) -> str:
    """GitHub's anchor for a heading (github-slugger): letters, marks, digits, ``_``, ``-`` and spaces
    survive, lower-cased; each space becomes a hyphen."""
    conservados = (
        c
        for c in texto_visible(texto).lower()
        if c in " -_" or unicodedata.category(c)[0] in "LM" or unicodedata.category(c) in ("Nd", "Nl")
    )
    return "".join(conservados).replace(" ", "-")


def anclas(documento: Path) -> set[str]:
    vistas: dict[str, int] = {}
    resultado = set()
    for linea in lineas_fuera_de_codigo(documento.read_text(encoding="utf-8")):
        if encabezado := ENCABEZADO.match(linea):
            base = slug(encabezado.group(2))
            repeticion = vistas.get(base, 0)
            vistas[base] = repeticion + 1
            resultado.add(base if repeticion == 0 else f"{base}-{repeticion}")
    return resultado


def destinos(documento: Path) -> list[str]:
    """Every link target written in the document (inline links, images and reference definitions)."""
    lineas = lineas_fuera_de_codigo(documento.read_text(encoding="utf-8"))
    encontrados = [d.group(1) for linea in lineas if (d := DEFINICION.match(linea))]
    # A paragraph is wrapped at any space, so a link or a code span may continue on the next line.
    texto = CODIGO_EN_LINEA.sub("", "\n".join(linea for linea in lineas if not DEFINICION.match(linea)))
    return encontrados + [m.group(1) for m in ENLACE.finditer(texto)]


def enlaces_rotos(documento: Path, raiz: Path = RAIZ) -> list[str]:
    """The relative links of ``documento`` that lead nowhere, each with the reason."""
    rotos = []
    for destino in destinos(documento):
        if not destino or ESQUEMA.match(destino):
            continue  # external (https:, mailto:) links are not checked here
        ruta, _, ancla = destino.partition("#")
        archivo = (documento.parent / unquote(ruta)).resolve() if ruta else documento
        if not archivo.is_relative_to(raiz.resolve()):
            rotos.append(f"{destino}: fuera del repositorio")
        elif not archivo.exists():
            rotos.append(f"{destino}: no existe {archivo.relative_to(raiz.resolve())}")
        elif ancla and archivo.suffix == ".md" and unquote(ancla) not in anclas(archivo):
            rotos.append(f"{destino}: {archivo.name} no tiene el encabezado #{unquote(ancla)}")
    return rotos


@pytest.mark.parametrize("documento", DOCUMENTOS, ids=lambda d: str(d.relative_to(RAIZ)))
def test_every_relative_link_leads_to_an_existing_file_and_heading(documento):
    assert enlaces_rotos(documento) == []


def test_readme_is_a_short_entry_point():
    lineas = (RAIZ / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lineas) <= MAXIMO_DE_LINEAS_DEL_README


def test_every_docs_file_is_linked_from_the_readme():
    enlazados = {(RAIZ / d.partition("#")[0]).resolve() for d in destinos(RAIZ / "README.md")}
    assert [d.name for d in DOCUMENTOS[1:] if d.resolve() not in enlazados] == []


@pytest.mark.parametrize(
    ("encabezado", "ancla"),
    [
        ("Caché HTTP (ETag y 304)", "caché-http-etag-y-304"),
        ("El primer administrador (producción)", "el-primer-administrador-producción"),
        ("Filtrar (`/convenios/compromisos/`)", "filtrar-convenioscompromisos"),
        ("El estatus vigente, y sin cachés de página", "el-estatus-vigente-y-sin-cachés-de-página"),
        ("Pendientes: la página de inicio (`inicio`, `/`)", "pendientes-la-página-de-inicio-inicio-"),
        ("Datos de «Pendientes» — [enlace](x.md)", "datos-de-pendientes--enlace"),
    ],
)
def test_anchors_follow_githubs_slug_rules(encabezado, ancla):
    assert slug(encabezado) == ancla


def test_a_broken_link_or_anchor_is_reported(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "uno.md").write_text("# Uno\n\n## Producción\n\n## Producción\n", encoding="utf-8")
    leeme = tmp_path / "README.md"
    leeme.write_text(
        "# Prueba\n\n"
        "[bien](docs/uno.md#producción) [repetido](docs/uno.md#producción-1) [aquí](#prueba)\n"
        "[falta](docs/dos.md) [sin ancla](docs/uno.md#respaldos) [fuera](../otro.md)\n"
        "[externo](https://example.org/x) `[en código](nada.md)` [partido en\ndos líneas](tres.md)\n\n"
        "```\n[en bloque](nada.md)\n```\n",
        encoding="utf-8",
    )
    assert enlaces_rotos(leeme, raiz=tmp_path) == [
        "docs/dos.md: no existe docs/dos.md",
        "docs/uno.md#respaldos: uno.md no tiene el encabezado #respaldos",
        "../otro.md: fuera del repositorio",
        "tres.md: no existe tres.md",
    ]
