"""Reports and pages that group items under headings: one heading per party (or subject), whatever the
numbers of the items added later, and the items of each heading in number order."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from comisiones.models import Atribucion, Comision
from convenios.models import Parte

from .factories import AtribucionFactory, CompromisoFactory
from .test_reportes import COMISION, texto_pdf

GOB_TAM = "COMPROMISOS GOB- TAM"
LAS_PARTES = 'COMPROMISOS DE "LAS PARTES"'


def texto_html(contenido: bytes) -> str:
    return " ".join(strip_tags(contenido.decode()).replace("&quot;", '"').split())


def numeros_bajo(texto: str, encabezado: str, siguiente: str) -> list[int]:
    """The commitment numbers written between one heading and the next (rows start «N. » or «N »)."""
    tramo = texto.split(encabezado, 1)[1].split(siguiente, 1)[0]
    return [int(n) for n in re.findall(r"(?:^| )(\d{1,2})\.? Compromiso agregado", tramo)]


@pytest.fixture
def agregados(semilla):
    """Two commitments of GOB-TAM (the first party) numbered after the joint ones (7–11)."""
    gob_tam = Parte.objects.get(convenio=semilla, etiqueta="GOB- TAM")
    for numero in (13, 12):
        CompromisoFactory(
            convenio=semilla, numero=numero, responsable=gob_tam, texto=f"{numero}. Compromiso agregado."
        )
    return semilla


@pytest.mark.parametrize(
    "ruta, como",
    [
        ("convenios:detalle", "html"),
        ("reportes:informe", "html"),
        ("reportes:informe_pdf", "pdf"),
        ("datos:convenio", "html"),
    ],
)
@pytest.mark.archivos
def test_a_party_heading_appears_once_after_commitments_with_higher_numbers(
    client, agregados, gerente, ruta, como
):
    respuesta = getattr(client, "post" if como == "pdf" else "get")(reverse(ruta, args=[agregados.slug]))
    assert respuesta.status_code == 200
    texto = texto_pdf(respuesta.content) if como == "pdf" else texto_html(respuesta.content)
    assert texto.count(GOB_TAM) == 1
    assert texto.count(LAS_PARTES) == 1
    # The block of GOB-TAM holds its new commitments, in number order, before the joint ones.
    assert texto.index(GOB_TAM) < texto.index(LAS_PARTES)
    assert numeros_bajo(texto, GOB_TAM, LAS_PARTES) == [12, 13]
    assert "Compromiso agregado" not in texto.split(LAS_PARTES, 1)[1]


@pytest.mark.parametrize(
    "ruta, como",
    [
        ("comisiones:detalle", "html"),
        ("reportes:comision", "html"),
        ("reportes:comision_pdf", "pdf"),
        ("datos:comision", "html"),
    ],
)
@pytest.mark.archivos
def test_a_subject_heading_appears_once_after_duties_with_higher_numbers(
    client, semilla, gerente, ruta, como
):
    comision = Comision.objects.get(slug=COMISION)
    comision.publicado = True
    comision.save()
    ultima = Atribucion.objects.filter(comision=comision).order_by("-numero").first()
    primera = Atribucion.objects.filter(comision=comision).order_by("numero").first()
    assert ultima.materia != primera.materia  # the seed ends on another subject than it starts
    AtribucionFactory(
        comision=comision, numero=ultima.numero + 1, materia=primera.materia, texto="Atribución agregada."
    )
    respuesta = getattr(client, "post" if como == "pdf" else "get")(reverse(ruta, args=[comision.slug]))
    assert respuesta.status_code == 200
    texto = texto_pdf(respuesta.content) if como == "pdf" else texto_html(respuesta.content)
    etiqueta = str(Atribucion.Materia(primera.materia).label)
    assert texto.count(etiqueta) == 1
    siguiente = str(Atribucion.Materia(ultima.materia).label)
    assert texto.index(etiqueta) < texto.index("Atribución agregada.") < texto.index(siguiente)
