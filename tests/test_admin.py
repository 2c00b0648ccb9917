"""The admin pages of followed-up items and their updates, for both kinds of item."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from comisiones.models import Atribucion
from convenios.models import Compromiso

from .factories import registrar_actualizacion

pytestmark = pytest.mark.archivos

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELEMENTOS = {"compromiso": Compromiso, "atribucion": Atribucion}


@pytest.mark.parametrize("tipo", list(ELEMENTOS))
def test_admin_pages_of_an_update_with_evidence_link_to_the_private_download(
    client, usuarios, semilla, estatus, tipo
):
    elemento = ELEMENTOS[tipo].objects.order_by("pk").first()
    actualizacion = registrar_actualizacion(
        elemento,
        estatus=estatus["cumplido"],
        fecha_efectiva=datetime.date(2024, 1, 2),
        nota="Con oficio.",
        usuario=usuarios["capturista"],
        evidencia=SimpleUploadedFile("oficio.pdf", PDF),
    )
    client.force_login(usuarios["admin"])
    opciones = type(actualizacion)._meta
    paginas = [
        reverse(f"admin:{elemento._meta.app_label}_{elemento._meta.model_name}_change", args=[elemento.pk]),
        reverse(f"admin:{opciones.app_label}_{opciones.model_name}_change", args=[actualizacion.pk]),
    ]
    for pagina in paginas:
        respuesta = client.get(pagina)
        assert respuesta.status_code == 200, pagina
        assert f'href="{actualizacion.url_evidencia}"' in respuesta.content.decode(), pagina
    assert client.get(actualizacion.url_evidencia).status_code == 200


@pytest.mark.parametrize("tipo", list(ELEMENTOS))
def test_the_admin_add_form_still_takes_an_evidence_file(client, usuarios, semilla, estatus, tipo):
    elemento = ELEMENTOS[tipo].objects.order_by("pk").first()
    opciones = elemento.actualizaciones.model._meta
    client.force_login(usuarios["admin"])
    alta = reverse(f"admin:{opciones.app_label}_{opciones.model_name}_add")
    assert 'type="file" name="evidencia"' in client.get(alta).content.decode()
    respuesta = client.post(
        alta,
        {
            elemento.actualizaciones.field.name: elemento.pk,
            "estatus": estatus["cumplido"].pk,
            "fecha_efectiva": "2024-01-02",
            "nota": "Con oficio.",
            "evidencia": SimpleUploadedFile("oficio.pdf", PDF),
        },
    )
    assert respuesta.status_code == 302
    assert elemento.actualizaciones.latest().evidencia.name.endswith(".pdf")
