"""Open data (app ``datos``): what an unpublished convenio or commission has never reaches a public file
or page, even its updates with public notes; and each history file's version (ETag, Last-Modified)
follows the newest update of its published items. For commitments and duties alike."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import parse_http_date

from comisiones.models import Atribucion
from convenios.models import Compromiso

from .factories import (
    AtribucionFactory,
    ComisionFactory,
    CompromisoFactory,
    ConvenioFactory,
    registrar_actualizacion,
)

MARCA = "MARCAOCULTA"
HOY = datetime.date(2026, 11, 30)
LADOS = {
    # kind: (history file, items file, published item, a hidden container's new item)
    "compromiso": (
        "historial-compromisos",
        "compromisos",
        lambda semilla: Compromiso.objects.filter(convenio=semilla).order_by("numero").first(),
        lambda: CompromisoFactory(
            convenio=ConvenioFactory(nombre=f"{MARCA} convenio", slug="oculto", publicado=False),
            texto=f"{MARCA} compromiso",
        ),
    ),
    "atribucion": (
        "historial-atribuciones",
        "atribuciones",
        lambda semilla: Atribucion.objects.filter(comision__publicado=True).order_by("pk").first(),
        lambda: AtribucionFactory(
            comision=ComisionFactory(nombre=f"{MARCA} comisión", slug="oculta", publicado=False),
            texto=f"{MARCA} atribución",
        ),
    ),
}


@pytest.fixture(autouse=True)
def sin_cache():
    """Built files live in the cache under the data's version; every test starts without them."""
    cache.clear()
    yield
    cache.clear()


def archivo(nombre: str, formato: str = "csv") -> str:
    return reverse("datos:archivo", args=[nombre, formato])


def actualizar(elemento, estatus, nota: str):
    return registrar_actualizacion(
        elemento, estatus=estatus, fecha_efectiva=HOY, nota=nota, nota_publica=True
    )


@pytest.mark.parametrize("tipo", list(LADOS))
def test_a_hidden_containers_updates_with_public_notes_reach_no_public_file_or_page(
    client, semilla, estatus, tipo
):
    historial, elementos, publicado, oculto = LADOS[tipo]
    actualizar(publicado(semilla), estatus["en-proceso"], "Nota pública de control.")
    actualizar(oculto(), estatus["cumplido"], f"{MARCA} nota pública de un contenedor oculto")
    for nombre in (historial, elementos):
        for formato in ("csv", "json"):
            respuesta = client.get(archivo(nombre, formato))
            assert respuesta.status_code == 200
            assert MARCA not in respuesta.content.decode(), (nombre, formato)
    # The control: the published item's public note is there, so the file does carry notes.
    assert "Nota pública de control." in client.get(archivo(historial)).content.decode()
    for url in (reverse("datos:portal"), reverse("datos:paquete"), reverse("datos:catalogo")):
        assert MARCA not in client.get(url).content.decode(), url


@pytest.mark.parametrize("tipo", list(LADOS))
def test_a_hidden_containers_update_leaves_the_history_files_version_alone(client, semilla, estatus, tipo):
    historial, _elementos, _publicado, oculto = LADOS[tipo]
    elemento = oculto()
    etag = client.get(archivo(historial))["ETag"]
    actualizar(elemento, estatus["cumplido"], "Nota de un contenedor oculto.")
    assert client.get(archivo(historial), HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize("tipo", list(LADOS))
def test_the_history_files_version_follows_the_newest_update_of_a_published_item(
    client, semilla, estatus, tipo
):
    """With two earlier updates, a version read from the oldest (the wrong order) would not move."""
    historial, _elementos, publicado, _oculto = LADOS[tipo]
    elemento = publicado(semilla)
    actualizar(elemento, estatus["en-proceso"], "Primera.")
    actualizar(elemento, estatus["pendiente"], "Segunda.")
    antes = client.get(archivo(historial))
    nueva = actualizar(elemento, estatus["cumplido"], "Tercera.")
    despues = client.get(archivo(historial), HTTP_IF_NONE_MATCH=antes["ETag"])
    assert despues.status_code == 200 and despues["ETag"] != antes["ETag"]
    assert "Tercera." in despues.content.decode()
    # Last-Modified is the new update's moment, or a second past the previous version's when both
    # fall in the same second (it moves whenever the ETag does).
    modificado, previo = parse_http_date(despues["Last-Modified"]), parse_http_date(antes["Last-Modified"])
    assert modificado == max(int(nueva.registrado_en.timestamp()), previo + 1)
