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


@pytest.fixture
def capturista_y_auditor(datos, django_user_model):
    for nombre, grupo in (("capturista", "Capturista"), ("auditor", "Auditor")):
        usuario = django_user_model.objects.create_user(nombre, password="clave-de-prueba")
        usuario.groups.add(Group.objects.get(name=grupo))


@pytest.mark.archivos
def test_capturista_updates_a_status_inline_with_a_pdf_and_finds_it_in_the_history(
    pagina, live_server, capturista_y_auditor, tmp_path
):
    from weasyprint import HTML

    pdf = tmp_path / "oficio-de-avance.pdf"
    pdf.write_bytes(HTML(string="<h1>Oficio de avance</h1>").write_pdf())
    CAPTURAS.mkdir(exist_ok=True)

    iniciar_sesion(pagina, live_server, "capturista")
    pagina.goto(f"{live_server.url}/convenios/convenio-de-colaboracion-www-datos-gob-mx/")
    pagina.evaluate("window.sinRecargar = true")
    fila = pagina.locator("tr", has_text="Determinar los conjuntos de datos")
    fila.get_by_role("link", name="Actualizar estatus").click()

    fila = pagina.locator("tr.editando")
    fila.get_by_label("Nuevo estatus").select_option("incumplido")
    fila.get_by_label("Nota", exact=True).fill("La dependencia no entregó el catálogo en el plazo acordado.")
    fila.get_by_label("Evidencia (archivo)").set_input_files(str(pdf))
    pagina.screenshot(path=CAPTURAS / "actualizar-en-linea.png", full_page=False)
    fila.get_by_role("button", name="Guardar").click()

    actualizada = pagina.locator("tr.recien-actualizado")
    actualizada.get_by_text("Estatus actualizado.").wait_for()
    assert actualizada.locator(".estatus").inner_text() == "Incumplido"
    assert "La dependencia no entregó el catálogo" in actualizada.inner_text()
    assert pagina.evaluate("window.sinRecargar") is True
    focused = pagina.evaluate("document.activeElement.textContent")
    assert "Actualizar estatus" in focused
    pagina.screenshot(path=CAPTURAS / "actualizado-en-linea.png", full_page=False)

    actualizada.get_by_role("link", name="Historial").click()
    pagina.wait_for_url("**/historial/")
    primera = pagina.locator("tbody tr").first
    assert "En cumplimiento a Incumplido" in " ".join(primera.inner_text().split())  # «→» drawn by CSS
    assert "capturista" in primera.inner_text()
    with pagina.expect_download() as descarga:
        primera.get_by_role("link", name="Descargar archivo").click()
    assert descarga.value.suggested_filename.endswith(".pdf")
    assert Path(descarga.value.path()).read_bytes() == pdf.read_bytes()
    pagina.screenshot(path=CAPTURAS / "historial.png", full_page=True)


def test_capturista_without_javascript_uses_the_plain_form(navegador, live_server, capturista_y_auditor):
    contexto = navegador.new_context(
        java_script_enabled=False, locale="es-MX", viewport={"width": 390, "height": 844}
    )
    pagina = contexto.new_page()
    iniciar_sesion(pagina, live_server, "capturista")
    pagina.goto(f"{live_server.url}/convenios/convenio-de-colaboracion-www-datos-gob-mx/")
    pagina.locator("tr", has_text="Reconocer la titularidad").get_by_role(
        "link", name="Actualizar estatus"
    ).click()
    pagina.wait_for_url("**/actualizar/")
    pagina.get_by_label("Nuevo estatus").select_option("cumplido")
    pagina.screenshot(path=CAPTURAS / "actualizar-sin-js-movil.png", full_page=True)
    pagina.get_by_role("button", name="Guardar").click()
    pagina.wait_for_url("**/convenio-de-colaboracion-www-datos-gob-mx/#compromiso-*")
    assert "Estatus del compromiso 11 actualizado: Cumplido." in pagina.locator(".mensajes").inner_text()
    pagina.screenshot(path=CAPTURAS / "convenio-movil-tras-actualizar.png", full_page=True)
    contexto.close()


def test_auditor_finds_no_editing_control(pagina, live_server, capturista_y_auditor):
    iniciar_sesion(pagina, live_server, "auditor")
    pagina.goto(f"{live_server.url}/convenios/convenio-de-colaboracion-www-datos-gob-mx/")
    assert pagina.get_by_role("link", name="Historial").count() == 11
    assert pagina.get_by_role("link", name="Actualizar estatus").count() == 0
    assert pagina.locator("form select, form textarea, input[type=file]").count() == 0
