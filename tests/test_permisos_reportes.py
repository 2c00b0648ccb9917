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
@pytest.mark.parametrize("nombre", TODAS)
def test_roles_with_the_download_permission_get_every_report(client, usuarios, urls, rol, nombre):
    client.force_login(usuarios[rol])
    respuesta = client.get(urls[nombre])
    assert respuesta.status_code == 200
    if nombre.endswith(("_pdf", "regenerar")):
        assert respuesta["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("nombre", DESCARGAS)
def test_a_user_without_the_permission_is_refused_and_nothing_is_issued(client, usuarios, urls, nombre):
    client.force_login(usuarios["sin_rol"])
    assert client.get(urls[nombre]).status_code == 403
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
def test_roles_that_download_reports_also_see_who_issued_it_and_may_open_it(client, usuarios, emitido, rol):
    client.force_login(usuarios[rol])
    contenido = verificar(client, emitido).content.decode()
    assert "Informe auténtico" in contenido and emitido.convenio.nombre in contenido
    assert [r for r in RESTRINGIDO if r not in contenido] == []
    assert reverse("reportes:emitido", args=[emitido.folio]) in contenido


@pytest.mark.parametrize("rol", CON_PERMISO)
@pytest.mark.parametrize("nombre", DESCARGAS)
@pytest.mark.parametrize("metodo", ["post", "put", "patch", "delete"])
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
    assert client.get(reverse("reportes:regenerar", args=[comision.folio])).status_code == 403
    for nombre in ("reportes:informe", "reportes:informe_pdf", "reportes:consolidado", "reportes:regenerar"):
        assert client.get(urls[nombre]).status_code == 200, nombre
    assert not InformeEmitido.objects.filter(tipo=InformeEmitido.Tipo.COMISION).exclude(sha256="").exists()
