"""Who may see, download, verify and regenerate reports: role × URL × method."""

import pytest
from django.urls import reverse

from reportes.models import InformeEmitido

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


@pytest.mark.parametrize("nombre", TODAS)
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


def test_any_logged_in_user_may_verify(client, usuarios, urls):
    client.force_login(usuarios["sin_rol"])
    assert client.get(urls["reportes:verificar"]).status_code == 200
    assert (
        client.post(urls["reportes:verificar"], {"folio": "IS-2020-000001", "codigo": "X"}).status_code == 200
    )


@pytest.mark.parametrize("rol", CON_PERMISO)
@pytest.mark.parametrize("nombre", DESCARGAS)
@pytest.mark.parametrize("metodo", ["post", "put", "patch", "delete"])
def test_reports_refuse_writes(client, usuarios, urls, rol, nombre, metodo):
    client.force_login(usuarios[rol])
    assert getattr(client, metodo)(urls[nombre]).status_code == 405
