"""The stylesheets define each rule once: a selector written twice in the same media context is how a
later ``display: flex`` silently overrode the «Acciones» cells and took them out of their rows."""

import re
from collections import Counter
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[1] / "static" / "css"


def selectores(texto: str) -> Counter:
    """(media context, selector) → how many rule blocks name it; ``@page`` margin boxes are not selectors."""
    texto = re.sub(r"/\*.*?\*/", "", texto, flags=re.S)
    cuenta, pila, cabecera = Counter(), [], ""
    for pieza in re.findall(r"[{}]|[^{}]+", texto):
        if pieza == "{":
            pila.append(" ".join(cabecera.split()))
            cabecera = ""
        elif pieza == "}":
            bloque = pila.pop()
            if not bloque.startswith("@") and not any(p.startswith("@page") for p in pila):
                contexto = " ".join(pila)
                # Commas inside :is(…)/:not(…) do not separate selectors.
                for selector in re.split(r",(?![^(]*\))", bloque):
                    cuenta[(contexto, " ".join(selector.split()))] += 1
            cabecera = ""
        else:
            cabecera = pieza if not pila or pila[-1].startswith("@") else ""
    return cuenta


def test_the_parser_sees_a_selector_written_twice():
    assert selectores(".a { color: red; } .b, .a { margin: 0; } @media (x) { .a { color: blue; } }") == {
        ("", ".a"): 2,
        ("", ".b"): 1,
        ("@media (x)", ".a"): 1,
    }
    assert selectores(".t :is(th, td) { border: 0; }") == {("", ".t :is(th, td)"): 1}


@pytest.mark.parametrize("hoja", sorted(p.name for p in CSS.glob("*.css")))
def test_each_selector_is_defined_once_per_media_context(hoja):
    cuenta = selectores((CSS / hoja).read_text(encoding="utf-8"))
    assert cuenta, hoja
    assert {clave: n for clave, n in cuenta.items() if n > 1} == {}
