"""Whole journeys in a real browser: Playwright driving Debian's chromium against a live server."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from .conftest import restaurar_datos_de_migraciones

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CAPTURAS = Path(__file__).resolve().parents[1] / "capturas"


@pytest.fixture(scope="module")
def navegador():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Falta /usr/bin/chromium: .ci/run debe instalar el paquete chromium.")
        pytest.skip("Falta /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running; the live server's ORM calls are sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def pagina(navegador):
    contexto = navegador.new_context(locale="es-MX", viewport={"width": 1280, "height": 900})
    page = contexto.new_page()
    yield page
    contexto.close()


@pytest.fixture
def datos(transactional_db, django_user_model):
    restaurar_datos_de_migraciones()
    call_command("cargar_semilla", stdout=open(os.devnull, "w"))  # noqa: SIM115
    usuario = django_user_model.objects.create_user("gerente", password="clave-de-prueba")
    usuario.groups.add(Group.objects.get(name="Gerente"))
    return usuario


def iniciar_sesion(page, live_server, usuario, clave="clave-de-prueba"):
    page.goto(f"{live_server.url}/convenios/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(clave)
    page.get_by_role("button", name="Entrar").click()


def test_gerente_logs_in_and_reads_the_seed_convenio(pagina, live_server, datos):
    iniciar_sesion(pagina, live_server, "gerente")
    pagina.get_by_role("link", name="Convenio de Colaboración WWW.DATOS.GOB.MX.").click()
    pagina.wait_for_url("**/convenios/convenio-de-colaboracion-www-datos-gob-mx/")
    assert pagina.get_by_role("heading", level=1).inner_text() == "Convenio de Colaboración WWW.DATOS.GOB.MX."
    assert pagina.get_by_role("table", name="COMPROMISOS GOB- TAM").get_by_role("row").count() == 7
    assert pagina.get_by_role("table", name='COMPROMISOS DE "LAS PARTES"').get_by_role("row").count() == 6
    assert pagina.get_by_text("En cumplimiento").count() == 11
    CAPTURAS.mkdir(exist_ok=True)
    pagina.screenshot(path=CAPTURAS / "convenio-detalle.png", full_page=True)

    pagina.set_viewport_size({"width": 390, "height": 844})
    pagina.screenshot(path=CAPTURAS / "convenio-detalle-movil.png", full_page=True)


def test_wrong_password_shows_a_spanish_error(pagina, live_server, datos):
    iniciar_sesion(pagina, live_server, "gerente", clave="equivocada")
    assert pagina.get_by_role("alert").inner_text().startswith("Usuario o contraseña incorrectos")
