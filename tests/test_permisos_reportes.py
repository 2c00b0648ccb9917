"""Who may see, download, verify and regenerate reports: role × URL × method."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from comisiones.models import Comision
from reportes.models import InformeEmitido

# The seed and the users are built once for the module (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("mundo_del_modulo")

COMISION = "gobierno-abierto-y-transparencia-proactiva"
CON_PERMISO = ["capturista", "gerente", "auditor", "admin"]
VEN_TODO_EL_REGISTRO = ["gerente", "auditor", "admin"]  # others see only the reports they issued


@pytest.fixture
def urls(semilla, usuarios):
    informe = InformeEmitido.objects.create(
        tipo=InformeEmitido.Tipo.CONVENIO,
        convenio=semilla,
        fecha=semilla.fecha_inicio,
        emitido_por=usuarios["gerente"],
    )
    return {
        "reportes:informe": reverse("reportes:informe", args=[semilla.slug]),
        "reportes:informe_pdf": reverse("reportes:informe_pdf", args=[semilla.slug]),
        "reportes:consolidado": reverse("reportes:consolidado"),
        "reportes:consolidado_pdf": reverse("reportes:consolidado_pdf"),
        "reportes:comision": reverse("reportes:comision", args=[COMISION]),
        "reportes:comision_pdf": reverse("reportes:comision_pdf", args=[COMISION]),
        "reportes:regenerar": reverse("reportes:regenerar", args=[informe.folio]),
        "reportes:emitido": reverse("reportes:emitido", args=[informe.folio]),
        "reportes:verificar": reverse("reportes:verificar"),
    }


DESCARGAS = [
    "reportes:informe",
    "reportes:informe_pdf",
    "reportes:consolidado",
    "reportes:consolidado_pdf",
    "reportes:comision",
    "reportes:comision_pdf",
    "reportes:regenerar",
    "reportes:emitido",
]
TODAS = [*DESCARGAS, "reportes:verificar"]


@pytest.mark.parametrize("nombre", DESCARGAS)
@pytest.mark.parametrize("metodo", ["get", "post"])
def test_anonymous_users_are_sent_to_log_in(client, urls, nombre, metodo):
    respuesta = getattr(client, metodo)(urls[nombre])
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith(reverse("login"))
    assert not InformeEmitido.objects.exclude(sha256="").exists()


@pytest.mark.parametrize("rol", CON_PERMISO)
@pytest.mark.parametrize("nombre", [n for n in TODAS if n not in ("reportes:regenerar", "reportes:emitido")])
@pytest.mark.archivos
def test_roles_with_the_download_permission_get_every_report(client, usuarios, urls, rol, nombre):
    client.force_login(usuarios[rol])
    respuesta = client.get(urls[nombre])
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"].startswith("text/html")  # a PDF's GET is the form that issues it
    if nombre.endswith("_pdf"):
        respuesta = client.post(urls[nombre])
        assert respuesta.status_code == 200 and respuesta["Content-Type"] == "application/pdf"
        assert InformeEmitido.objects.por_folio(respuesta["X-Folio"]).emitido_por == usuarios[rol]


@pytest.mark.parametrize("rol", CON_PERMISO)
@pytest.mark.parametrize("nombre", ["reportes:regenerar", "reportes:emitido"])
def test_an_issued_report_is_shown_to_its_issuer_and_to_who_sees_the_whole_register(
    client, usuarios, urls, rol, nombre
):
    """The report of ``urls`` was issued by the gerente; a capturista did not issue it."""
    client.force_login(usuarios[rol])
    respuesta = client.get(urls[nombre])
    assert respuesta.status_code == (200 if rol in VEN_TODO_EL_REGISTRO else 403)
    propio = InformeEmitido.objects.create(
        tipo=InformeEmitido.Tipo.CONSOLIDADO, fecha=datetime.date(2021, 1, 1), emitido_por=usuarios[rol]
    )
    assert client.get(reverse(nombre, args=[propio.folio])).status_code == 200


@pytest.mark.archivos
def test_issuing_takes_a_post_with_the_csrf_token_so_a_link_from_elsewhere_issues_nothing(usuarios, urls):
    from django.test import Client

    navegador = Client(enforce_csrf_checks=True)
    navegador.force_login(usuarios["capturista"])
    for nombre in ("reportes:informe_pdf", "reportes:consolidado_pdf", "reportes:comision_pdf"):
        formulario = navegador.get(urls[nombre], {"fecha": "2024-01-02"})
        assert formulario.status_code == 200 and "Emitir y descargar PDF" in formulario.content.decode()
        assert 'value="2024-01-02"' in formulario.content.decode()
        assert navegador.post(urls[nombre], {"fecha": "2024-01-02"}).status_code == 403  # no token
    assert InformeEmitido.objects.count() == 1  # the fixture's
    token = navegador.cookies["csrftoken"].value
    emitido = navegador.post(
        urls["reportes:consolidado_pdf"], {"fecha": "2024-01-02", "csrfmiddlewaretoken": token}
    )
    assert emitido.status_code == 200 and emitido["Content-Type"] == "application/pdf"
    assert InformeEmitido.objects.count() == 2


@pytest.mark.parametrize("nombre", DESCARGAS)
def test_a_user_without_the_permission_is_refused_and_nothing_is_issued(client, usuarios, urls, nombre):
    client.force_login(usuarios["sin_rol"])
    assert client.get(urls[nombre]).status_code == 403
    assert client.post(urls[nombre]).status_code in (403, 405)
    assert InformeEmitido.objects.count() == 1


# --- verification: public, and only what a printed copy already says ---------------------------------


@pytest.fixture
def emitido(semilla, usuarios):
    informe = InformeEmitido.objects.create(
        tipo=InformeEmitido.Tipo.CONVENIO,
        convenio=semilla,
        fecha=datetime.date(2020, 2, 7),
        emitido_por=usuarios["gerente"],
        sha256=hashlib.sha256(PDF_EMITIDO).hexdigest(),
    )
    usuarios["gerente"].first_name = "Gerardo Emisor"
    usuarios["gerente"].save()
    return informe


PDF_EMITIDO = b"%PDF-1.7\n% informe emitido\n%%EOF\n"
# Public: what the copy says, its issue date and hash (issue 23); who issued it is for report readers.
RESTRINGIDO = ["Gerardo Emisor", "Ver el informe emitido", "Emitido por"]


def verificar(client, informe, **cambios):
    datos = {"folio": informe.folio, "codigo": informe.codigo_legible, **cambios}
    return client.post(reverse("reportes:verificar"), {k: v for k, v in datos.items() if v is not None})


@pytest.mark.parametrize("quien", ["anonimo", "sin_rol"])
def test_anyone_holding_a_copy_may_verify_it_and_learns_only_what_the_copy_says(
    client, usuarios, emitido, quien
):
    if quien != "anonimo":
        client.force_login(usuarios[quien])
    assert client.get(reverse("reportes:verificar")).status_code == 200
    for respuesta in (
        verificar(client, emitido),
        verificar(client, emitido, folio=None, codigo=None, archivo=SimpleUploadedFile("i.pdf", PDF_EMITIDO)),
    ):
        assert respuesta.status_code == 200
        contenido = respuesta.content.decode()
        assert "Informe auténtico" in contenido
        assert emitido.folio in contenido
        assert emitido.convenio.nombre in contenido
        assert "7 de febrero de 2020" in contenido and emitido.sha256 in contenido
        assert [r for r in RESTRINGIDO if r in contenido] == []


@pytest.mark.parametrize("quien", ["anonimo", "sin_rol", "gerente"])
def test_a_wrong_code_or_file_says_not_authentic_and_nothing_more(client, usuarios, emitido, quien):
    if quien != "anonimo":
        client.force_login(usuarios[quien])
    for respuesta in (
        verificar(client, emitido, codigo="0000-0000"),
        verificar(client, emitido, folio=None, codigo=None, archivo=SimpleUploadedFile("i.pdf", b"%PDF x")),
    ):
        contenido = respuesta.content.decode()
        assert respuesta.status_code == 200 and "No se pudo verificar" in contenido
        assert emitido.convenio.nombre not in contenido and emitido.folio not in contenido.split("<form")[0]


@pytest.mark.parametrize("rol", CON_PERMISO)
def test_who_sees_the_issued_report_in_the_register_also_sees_who_issued_it_and_may_open_it(
    client, usuarios, emitido, rol
):
    client.force_login(usuarios[rol])
    contenido = verificar(client, emitido).content.decode()
    assert "Informe auténtico" in contenido and emitido.convenio.nombre in contenido
    if rol in VEN_TODO_EL_REGISTRO:  # the gerente issued it; the capturista did not
        assert [r for r in RESTRINGIDO if r not in contenido] == []
        assert reverse("reportes:emitido", args=[emitido.folio]) in contenido
    else:
        assert [r for r in RESTRINGIDO if r in contenido] == []


@pytest.mark.parametrize("rol", CON_PERMISO)
@pytest.mark.parametrize(
    ("nombre", "metodo"),
    [
        (nombre, metodo)
        for nombre in DESCARGAS
        for metodo in ("post", "put", "patch", "delete")
        if not (metodo == "post" and nombre.endswith("_pdf"))  # a PDF is issued by a POST
    ],
)
def test_reports_refuse_writes(client, usuarios, urls, rol, nombre, metodo):
    client.force_login(usuarios[rol])
    assert getattr(client, metodo)(urls[nombre]).status_code == 405


# --- a report needs the right to read what it shows ----------------------------------------------------


def test_importador_reads_convenio_reports_but_not_the_commissions_it_cannot_open(client, urls, importador):
    comision = InformeEmitido.objects.create(
        tipo=InformeEmitido.Tipo.COMISION,
        comision=Comision.objects.get(slug=COMISION),
        fecha=datetime.date(2024, 1, 2),
        emitido_por=importador,
    )
    client.force_login(importador)
    assert client.get(reverse("comisiones:lista")).status_code == 403
    for nombre in ("reportes:comision", "reportes:comision_pdf"):
        assert client.get(urls[nombre]).status_code == 403, nombre
    assert client.post(urls["reportes:comision_pdf"]).status_code == 403
    assert client.get(reverse("reportes:regenerar", args=[comision.folio])).status_code == 403
    for nombre in ("reportes:informe", "reportes:informe_pdf", "reportes:consolidado"):
        assert client.get(urls[nombre]).status_code == 200, nombre
    assert client.get(urls["reportes:regenerar"]).status_code == 403, "lo emitió el gerente"
    assert not InformeEmitido.objects.filter(tipo=InformeEmitido.Tipo.COMISION).exclude(sha256="").exists()
