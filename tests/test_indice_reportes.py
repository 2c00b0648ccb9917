"""The reports hub (reportes:indice): every report the user may open, as of a date, and the register
of issued reports (everyone's for Gerente, Auditor and superusers; one's own for everyone else)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from comisiones.models import Comision
from convenios.models import Convenio
from reportes.models import InformeEmitido

from .factories import ComisionFactory, ConvenioFactory

URL = "/reportes/"
Tipo = InformeEmitido.Tipo


def registrar(tipo, usuario, objeto=None, n: int = 1) -> list[InformeEmitido]:
    """Register entries as a download would write them (the PDF itself is not needed here)."""
    campo = {Tipo.CONVENIO: "convenio", Tipo.COMISION: "comision"}.get(tipo)
    return [
        InformeEmitido.objects.create(
            tipo=tipo, fecha=timezone.localdate(), emitido_por=usuario, **({campo: objeto} if campo else {})
        )
        for _ in range(n)
    ]


def test_the_hub_lists_every_report_with_its_html_and_pdf_links(client, usuarios, semilla):
    assert reverse("reportes:indice") == URL
    client.force_login(usuarios["gerente"])
    respuesta = client.get(URL)
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    hoy = timezone.localdate().isoformat()
    assert f'href="{reverse("reportes:consolidado")}?fecha={hoy}"' in html
    assert f'href="{reverse("reportes:consolidado_pdf")}?fecha={hoy}"' in html
    for convenio in Convenio.objects.all():
        assert f'href="{reverse("reportes:informe", args=[convenio.slug])}?fecha={hoy}"' in html
        assert f'href="{reverse("reportes:informe_pdf", args=[convenio.slug])}?fecha={hoy}"' in html
    assert Comision.objects.exists()
    for comision in Comision.objects.all():
        assert f'href="{reverse("reportes:comision", args=[comision.slug])}?fecha={hoy}"' in html
        assert f'href="{reverse("reportes:comision_pdf", args=[comision.slug])}?fecha={hoy}"' in html
    assert 'type="date" id="fecha" name="fecha"' in html and 'for="fecha"' in html


def test_the_importador_sees_no_commission_report(client, usuarios, semilla):
    client.force_login(usuarios["importador"])
    html = client.get(URL).content.decode()
    assert reverse("reportes:informe", args=[semilla.slug]) in html
    assert "/reportes/comision/" not in html and "Informes de atribuciones de comisión" not in html


def test_the_date_picker_carries_the_date_and_a_convenio_not_started_says_so(client, usuarios, semilla):
    tardio = ConvenioFactory(nombre="Convenio tardío", slug="tardio", fecha_inicio=datetime.date(2024, 1, 1))
    client.force_login(usuarios["auditor"])
    html = client.get(URL, {"fecha": "2023-06-30"}).content.decode()
    assert 'value="2023-06-30"' in html
    assert f'href="{reverse("reportes:consolidado")}?fecha=2023-06-30"' in html
    assert reverse("reportes:informe", args=[tardio.slug]) not in html
    assert "Inició el 1 de enero de 2024: sin informe a esta fecha." in html


@pytest.mark.parametrize("fecha", ["2023-13-01", "2999-01-01"])
def test_a_bad_date_is_a_400_that_says_why_and_still_lists_today(client, usuarios, semilla, fecha):
    client.force_login(usuarios["gerente"])
    respuesta = client.get(URL, {"fecha": fecha})
    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    assert 'role="alert"' in html and "Se muestran al día de hoy." in html
    assert f"?fecha={timezone.localdate().isoformat()}" in html


def test_everyone_sees_their_own_issued_reports_gerente_and_auditor_see_all(client, usuarios, semilla):
    comision = Comision.objects.first()
    (del_capturista,) = registrar(Tipo.CONVENIO, usuarios["capturista"], semilla)
    (del_gerente,) = registrar(Tipo.COMISION, usuarios["gerente"], comision)
    (del_importador,) = registrar(Tipo.CONSOLIDADO, usuarios["importador"])
    todos = {del_capturista, del_gerente, del_importador}
    esperados = {
        "capturista": {del_capturista},
        "importador": {del_importador},
        "gerente": todos,
        "auditor": todos,
        "admin": todos,
    }
    for rol, visibles in esperados.items():
        client.force_login(usuarios[rol])
        html = client.get(URL).content.decode()
        for informe in todos:
            enlace = f'href="{reverse("reportes:regenerar", args=[informe.folio])}"'
            assert (enlace in html) == (informe in visibles), (rol, informe.folio)
            assert (reverse("reportes:emitido", args=[informe.folio]) in html) == (informe in visibles)
    client.force_login(usuarios["gerente"])
    html = client.get(URL).content.decode()
    assert "Informes emitidos</h2>" in html and "Informe de Atribuciones de Comisión: " in html
    client.force_login(usuarios["capturista"])
    assert "Informes que usted emitió</h2>" in client.get(URL).content.decode()


def test_the_register_is_paginated_newest_first(client, usuarios, semilla):
    informes = registrar(Tipo.CONSOLIDADO, usuarios["gerente"], n=25)
    client.force_login(usuarios["gerente"])
    primera = client.get(URL).content.decode()
    segunda = client.get(URL, {"pagina": "2"}).content.decode()
    assert "Página 1 de 2" in primera and "Página 2 de 2" in segunda and 'rel="next"' in primera
    assert informes[-1].folio in primera and informes[-1].folio not in segunda
    assert informes[0].folio in segunda and informes[0].folio not in primera
    assert "(25 en total)" in primera


def test_a_user_who_may_not_download_reports_cannot_open_the_hub(client, usuarios, db):
    client.force_login(usuarios["sin_rol"])
    assert client.get(URL).status_code == 403


def test_the_hub_takes_the_same_queries_whatever_the_size(
    client, usuarios, db, django_assert_max_num_queries
):
    gerente = usuarios["gerente"]
    client.force_login(gerente)

    def crear(n):
        convenios = [ConvenioFactory() for _ in range(n)]
        comisiones = [ComisionFactory() for _ in range(n)]
        for i in range(n):
            registrar(Tipo.CONVENIO, usuarios["capturista"], convenios[i])
            registrar(Tipo.COMISION, gerente, comisiones[i])
            registrar(Tipo.CONSOLIDADO, usuarios["auditor"])

    crear(2)
    with django_assert_max_num_queries(10) as chico:
        assert client.get(URL).status_code == 200
    crear(40)
    with django_assert_max_num_queries(10) as grande:
        html = client.get(URL).content.decode()
    assert html.count('<a href="/reportes/comision/') == 2 * 42  # HTML and PDF of each
    assert html.count('<a href="/reportes/emitidos/') == 2 * 20  # a page of the register: folio and PDF
    assert len(grande.captured_queries) == len(chico.captured_queries)
