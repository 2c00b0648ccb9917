"""An auditor's journey on the commission duties page, in a real browser (Playwright, Debian's chromium):
from the menu, filter by status and by a word typed without its accent, export the XLSX, at both widths."""

import datetime
import io
import os

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from comisiones.models import Atribucion
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
    atribuciones = list(Atribucion.objects.order_by("pk")[:2])
    for atribucion, nota in zip(atribuciones, ["Sin sesión de evaluación.", "Sin avance."], strict=True):
        registrar_actualizacion(
            atribucion,
            estatus=incumplido,
            fecha_efectiva=timezone.localdate() - datetime.timedelta(days=3),
            nota=nota,
        )
    usuario = django_user_model.objects.create_user("auditora", password="clave-de-prueba")
    usuario.groups.add(Group.objects.get(name="Auditor"))
    return usuario


def test_auditor_filters_duties_without_accents_and_exports_them(pagina, live_server, auditor):  # noqa: F811
    pagina.set_viewport_size({"width": 1366, "height": 900})
    iniciar_sesion(pagina, live_server, "auditora")
    pagina.get_by_role("navigation", name="Principal").get_by_role("link", name="Atribuciones").click()
    pagina.wait_for_url("**/comisiones/atribuciones/")
    assert pagina.get_by_role("heading", level=1).inner_text() == "Atribuciones"
    total = Atribucion.objects.count()
    assert pagina.get_by_role("heading", name=f"{total} atribuciones").is_visible()

    pagina.get_by_label("Incumplido").check()
    pagina.get_by_label("Texto (atribución o su nota vigente)").fill("SESION DE EVALUACION")
    pagina.get_by_role("button", name="Filtrar").click()
    pagina.wait_for_url("**estatus=incumplido**")
    assert pagina.get_by_role("heading", name="1 atribución").is_visible()
    tabla = pagina.get_by_role("table", name="Atribuciones filtradas, página 1 de 1")
    assert tabla.locator("tbody tr").count() == 1
    assert tabla.get_by_text("Incumplido").count() == 1

    with pagina.expect_download() as descarga:
        pagina.get_by_role("link", name="Excel (XLSX)").click()
    archivo = descarga.value
    hoy = timezone.localdate().isoformat()
    assert archivo.suggested_filename == f"atribuciones_estatus-incumplido_q-sesion-de-evaluacion_{hoy}.xlsx"
    hoja = openpyxl.load_workbook(io.BytesIO(open(archivo.path(), "rb").read())).active  # noqa: SIM115
    filas = list(hoja.iter_rows(min_row=2, values_only=True))
    assert len(filas) == 1 and filas[0][4] == "Incumplido" and filas[0][-2] == "Sin sesión de evaluación."

    CAPTURAS.mkdir(exist_ok=True)
    pagina.screenshot(path=CAPTURAS / "atribuciones.png", full_page=True)
    pagina.set_viewport_size({"width": 390, "height": 844})
    assert pagina.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls, not the page
    pagina.screenshot(path=CAPTURAS / "atribuciones-movil.png", full_page=True)
