"""An auditor's journey on the commitments page, in a real browser (Playwright driving Debian's chromium)."""

import csv
import datetime
import io
import os
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from convenios.models import Compromiso
from seguimiento.models import Estatus

from .conftest import restaurar_datos_de_migraciones
from .factories import registrar_actualizacion
from .test_navegador import CAPTURAS, iniciar_sesion, navegador, pagina  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def auditor(transactional_db, django_user_model):
    restaurar_datos_de_migraciones()
    call_command("cargar_semilla", stdout=open(os.devnull, "w"))  # noqa: SIM115
    incumplido = Estatus.objects.get(slug="incumplido")
    for compromiso in Compromiso.objects.filter(numero__in=[2, 8]):
        registrar_actualizacion(
            compromiso,
            estatus=incumplido,
            fecha_efectiva=timezone.localdate() - datetime.timedelta(days=3),
            nota="Sin evidencia de avance.",
        )
    usuario = django_user_model.objects.create_user("gerente", password="clave-de-prueba")
    usuario.groups.add(Group.objects.get(name="Auditor"))
    return usuario


def test_auditor_filters_by_status_exports_and_finds_nothing_to_edit(pagina, live_server, auditor):  # noqa: F811
    iniciar_sesion(pagina, live_server, "gerente")
    pagina.get_by_role("navigation", name="Principal").get_by_role("link", name="Compromisos").click()
    pagina.wait_for_url("**/convenios/compromisos/")
    assert pagina.get_by_role("heading", level=1).inner_text() == "Compromisos"
    assert pagina.get_by_role("heading", name="11 compromisos").is_visible()

    # Keyboard only: tick "Incumplido" and submit the form.
    pagina.get_by_label("Incumplido").focus()
    pagina.keyboard.press("Space")
    pagina.get_by_role("button", name="Filtrar").focus()
    pagina.keyboard.press("Enter")
    pagina.wait_for_url("**estatus=incumplido**")
    tabla = pagina.get_by_role("table", name="Compromisos filtrados, página 1 de 1")
    filas = tabla.locator("tbody tr")
    assert filas.count() == 2
    assert filas.get_by_text("Incumplido").count() == 2
    assert pagina.get_by_role("heading", name="2 compromisos").is_visible()

    with pagina.expect_download() as descarga:
        pagina.get_by_role("link", name="CSV").click()
    archivo = descarga.value
    assert (
        archivo.suggested_filename == f"compromisos_estatus-incumplido_{timezone.localdate().isoformat()}.csv"
    )
    contenido = open(archivo.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    filas_csv = list(csv.reader(io.StringIO(contenido)))
    assert [fila[4] for fila in filas_csv[1:]] == ["Incumplido", "Incumplido"]

    # Read-only: no form posts anything except "Cerrar sesión" (in the closed user menu), and no edit
    # link or button.
    assert pagina.locator("form[method=post]").count() == 1
    botones = pagina.get_by_role("button", include_hidden=True).all_text_contents()
    assert botones == ["Cerrar sesión", "Filtrar"]
    edicion = re.compile(r"editar|actualizar|registrar|borrar|eliminar|guardar", re.IGNORECASE)
    assert pagina.get_by_role("link", name=edicion).count() == 0
    assert pagina.locator("a[href*='/admin/'], a[href*='/actualizar']").count() == 0

    CAPTURAS.mkdir(exist_ok=True)
    pagina.get_by_label("Incumplido").focus()
    pagina.screenshot(path=CAPTURAS / "compromisos.png", full_page=True)
    pagina.set_viewport_size({"width": 390, "height": 844})
    assert pagina.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls, not the page
    pagina.screenshot(path=CAPTURAS / "compromisos-movil.png", full_page=True)
