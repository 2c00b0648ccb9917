"""An administrator corrects a commitment's text in the admin, in a real browser; the history page then
shows the old and the new wording beside the status changes, at 1366 and 390 px, with no serious
axe-core violation and no sideways scroll."""

import os

import pytest
from django.core.management import call_command

from convenios.models import Compromiso
from seguimiento.models import VersionTexto

from .conftest import restaurar_datos_de_migraciones
from .test_navegador import CAPTURAS, iniciar_sesion, navegador, pagina  # noqa: F401 (fixtures)
from .test_navegador_paginas import AXE, VIOLACIONES_GRAVES

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

NUEVO = "Determinar y publicar los conjuntos de datos en www.datos.gob.mx, según el plan acordado."


@pytest.fixture
def administrador(transactional_db, django_user_model):
    restaurar_datos_de_migraciones()
    call_command("cargar_semilla", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "clave-de-prueba")


def test_admin_edits_a_commitments_text_and_the_history_shows_old_and_new(
    pagina,  # noqa: F811
    live_server,
    administrador,
):
    compromiso = Compromiso.objects.order_by("convenio", "numero").first()
    antes = compromiso.texto
    pagina.context.add_init_script(path=AXE)
    pagina.set_viewport_size({"width": 1366, "height": 900})
    iniciar_sesion(pagina, live_server, "admin")
    pagina.goto(f"{live_server.url}/admin/convenios/compromiso/{compromiso.pk}/change/")
    pagina.get_by_label("Texto").fill(NUEVO)
    pagina.get_by_role("button", name="Guardar", exact=True).click()
    pagina.wait_for_url("**/admin/convenios/compromiso/")

    version = VersionTexto.objects.get()
    assert (version.anterior, version.nuevo, version.registrado_por) == (antes, NUEVO, administrador)

    pagina.goto(f"{live_server.url}{compromiso.url_historial}")
    tabla = pagina.get_by_role("table", name="Actualizaciones de estatus y cambios del texto")
    fila = tabla.locator("tr.cambio-texto")
    assert fila.count() == 1
    assert fila.locator("del").inner_text() == antes and fila.locator("ins").inner_text() == NUEVO
    assert "Cambio de texto" in fila.inner_text() and "admin" in fila.inner_text()
    assert tabla.locator("tbody tr").count() == 2, "the text change beside the seed's status update"

    CAPTURAS.mkdir(exist_ok=True)
    for ancho, alto in ((1366, 900), (390, 844)):
        pagina.set_viewport_size({"width": ancho, "height": alto})
        assert pagina.evaluate("document.documentElement.scrollWidth") <= ancho
        assert pagina.evaluate(VIOLACIONES_GRAVES) == []
        pagina.screenshot(path=CAPTURAS / f"historial-cambio-de-texto-{ancho}.png", full_page=True)
