"""The public board for a reader who is not a specialist: a legend of the status categories, one line
per convenio and commission saying how many items are in compliance, no empty commissions, and every
CSV also offered with a byte order mark for Excel (its own URL, ETag and 304)."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import strip_tags

from comisiones.models import Atribucion, Comision
from convenios.models import Compromiso
from datos import archivos
from datos.conjuntos import CONJUNTOS
from seguimiento.models import Estatus

from .factories import AtribucionFactory, ComisionFactory, registrar_actualizacion

COMISION = "gobierno-abierto-y-transparencia-proactiva"
HOY = "3 de diciembre de 2026"


@pytest.fixture(autouse=True)
def sin_cache():
    cache.clear()
    yield
    cache.clear()


def texto(respuesta) -> str:
    return " ".join(strip_tags(respuesta.content.decode()).split())


def poner(elementos, slug: str, estatus) -> None:
    for elemento in elementos:
        registrar_actualizacion(
            elemento, estatus=estatus[slug], fecha_efectiva=datetime.date(2026, 1, 5), nota="Revisado."
        )


def test_each_convenio_says_how_many_commitments_are_in_compliance_today(client, semilla, estatus):
    compromisos = list(Compromiso.objects.filter(convenio=semilla).order_by("numero"))
    assert len(compromisos) == 11  # all «En cumplimiento» in the seed: favourable
    poner(compromisos[:1], "cumplido", estatus)  # favourable too
    poner(compromisos[1:2], "incumplido", estatus)
    poner(compromisos[2:3], "no-aplica", estatus)
    pagina = texto(client.get(reverse("datos:portal")))
    assert f"9 de 11 compromisos en cumplimiento al {HOY}" in pagina


def test_each_commission_says_how_many_duties_are_in_compliance_today(client, semilla, estatus):
    comision = Comision.objects.get(slug=COMISION)
    atribuciones = list(Atribucion.objects.filter(comision=comision).order_by("numero"))
    poner(atribuciones[:2], "en-cumplimiento", estatus)
    poner(atribuciones[2:3], "en-proceso", estatus)
    pagina = texto(client.get(reverse("datos:portal")))
    assert f"2 de {len(atribuciones)} atribuciones en cumplimiento al {HOY}" in pagina


def test_a_commission_without_duties_is_left_out_and_one_with_a_single_duty_is_shown(client, semilla):
    vacia = ComisionFactory(nombre="Comisión Sin Atribuciones", publicado=True)
    una = ComisionFactory(nombre="Comisión Con Una Atribución", publicado=True)
    AtribucionFactory(comision=una, numero=1)
    pagina = texto(client.get(reverse("datos:portal")))
    assert vacia.nombre not in pagina
    assert f"{una.nombre} 0 de 1 atribución en cumplimiento al {HOY}" in pagina


def test_the_legend_explains_every_category_with_its_statuses_in_plain_words(client, semilla):
    pagina = texto(client.get(reverse("datos:portal")))
    assert "Qué significa cada categoría de estatus" in pagina
    for valor, etiqueta in Estatus.Categoria.choices:
        nombres = ", ".join(
            Estatus.objects.vigentes()
            .filter(categoria=valor)
            .order_by("orden", "pk")
            .values_list("nombre", flat=True)
        )
        assert f"{etiqueta} ({nombres})" in pagina
    assert "Favorable (Cumplido, En cumplimiento) Lo acordado ya se cumplió o se está cumpliendo." in pagina
    assert "Sin estatus Todavía no tiene ninguna actualización registrada." in pagina


# --- the CSVs for Excel -------------------------------------------------------------------------------


@pytest.mark.parametrize("nombre", list(CONJUNTOS))
def test_every_csv_is_offered_with_a_bom_for_excel_and_the_plain_one_is_unchanged(client, semilla, nombre):
    simple = client.get(f"/datos/archivos/{nombre}.csv")  # the URL it always had
    excel = client.get(reverse("datos:archivo_excel", args=[nombre]))
    assert simple.status_code == excel.status_code == 200
    assert not simple.content.startswith(b"\xef\xbb\xbf")
    assert simple.content == archivos.construir(CONJUNTOS[nombre], "csv")
    assert excel.content == b"\xef\xbb\xbf" + simple.content
    assert excel["Content-Type"] == simple["Content-Type"] == "text/csv; charset=utf-8"
    assert excel["Content-Disposition"] == f'inline; filename="{nombre}-excel.csv"'
    assert simple["Content-Disposition"] == f'inline; filename="{nombre}.csv"'
    assert excel["ETag"] != simple["ETag"]  # two representations, two validators
    assert excel["Last-Modified"] == simple["Last-Modified"]
    pagina = client.get(reverse("datos:portal")).content.decode()
    assert f'href="{reverse("datos:archivo_excel", args=[nombre])}"' in pagina


def test_the_excel_csv_answers_304_with_its_own_etag_and_changes_with_the_data(client, semilla, estatus):
    url = reverse("datos:archivo_excel", args=["compromisos"])
    simple = client.get("/datos/archivos/compromisos.csv")
    primera = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=primera["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=simple["ETag"]).status_code == 200
    poner(Compromiso.objects.filter(convenio=semilla)[:1], "incumplido", estatus)
    despues = client.get(url, HTTP_IF_NONE_MATCH=primera["ETag"])
    assert despues.status_code == 200 and despues["ETag"] != primera["ETag"]
    assert despues.content.startswith(b"\xef\xbb\xbf")


def test_there_is_no_excel_variant_of_an_unknown_file(client, db):
    assert client.get(reverse("datos:archivo_excel", args=["usuarios"])).status_code == 404
    assert client.get("/datos/archivos/excel/compromisos.json").status_code == 404
