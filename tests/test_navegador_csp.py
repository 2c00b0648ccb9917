"""The Content-Security-Policy holds in a real browser: a journey through the login form, htmx and the
admin with the policy on, failing on any violation the browser reports."""

import pytest
from django.contrib.auth.models import User

from . import test_navegador

# The other browser journeys' fixtures: one chromium per module, a page, the seed and its roles.
navegador, pagina, datos = test_navegador.navegador, test_navegador.pagina, test_navegador.datos
iniciar_sesion = test_navegador.iniciar_sesion

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

CONVENIO = "/convenios/convenio-de-colaboracion-www-datos-gob-mx/"

# The browser reports a violation in the console; the event also catches those it reports only there.
AVISAR_VIOLACIONES = """document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violada: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});"""


@pytest.fixture
def violaciones(pagina):
    encontradas = []
    pagina.add_init_script(AVISAR_VIOLACIONES)
    pagina.on(
        "console",
        lambda mensaje: (
            encontradas.append(f"{pagina.url}: {mensaje.text}")
            if "Content Security Policy" in mensaje.text or "CSP violada" in mensaje.text
            else None
        ),
    )
    return encontradas


def test_login_htmx_update_and_admin_work_under_the_csp_without_violations(
    pagina,
    violaciones,
    live_server,
    datos,
    django_user_model,
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "clave-de-prueba")
    respuesta = pagina.goto(f"{live_server.url}/accounts/login/")
    politica = respuesta.headers["content-security-policy"]
    assert "default-src 'self'" in politica and "unsafe" not in politica

    iniciar_sesion(pagina, live_server, "admin")
    pagina.wait_for_url("**/convenios/")
    pagina.goto(f"{live_server.url}{CONVENIO}")
    pagina.evaluate("window.sinRecargar = true")
    fila = pagina.locator("tr", has_text="Determinar los conjuntos de datos")
    fila.get_by_role("link", name="Actualizar estatus").click()
    fila = pagina.locator("tr.editando")
    fila.get_by_label("Nuevo estatus").select_option("en-proceso")
    fila.get_by_label("Nota", exact=True).fill("Se acordó el calendario de publicación.")
    fila.get_by_role("button", name="Guardar").click()
    actualizada = pagina.locator("tr.recien-actualizado")
    actualizada.get_by_text("Estatus actualizado.").wait_for()
    assert actualizada.locator(".estatus").inner_text() == "En proceso"
    assert pagina.evaluate("window.sinRecargar") is True

    pagina.get_by_role("link", name="Administración").click()
    pagina.wait_for_url("**/admin/")
    pagina.goto(f"{live_server.url}/admin/convenios/convenio/")
    pagina.get_by_role("link", name="Convenio de Colaboración WWW.DATOS.GOB.MX.").click()
    pagina.wait_for_url("**/admin/convenios/convenio/*/change/")
    assert pagina.locator("#convenio_form").is_visible()
    # The admin's own scripts ran: the inlines got their «add another» links.
    assert pagina.locator(".add-row a").count() >= 1
    pagina.goto(f"{live_server.url}/admin/auth/user/{User.objects.get(username='admin').pk}/change/")
    pagina.locator("#user_form").wait_for()

    assert violaciones == []


def test_select_all_on_the_admin_export_page_works_under_the_csp(
    pagina,
    live_server,
    datos,
    django_user_model,
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "clave-de-prueba")
    iniciar_sesion(pagina, live_server, "admin")
    pagina.wait_for_url("**/convenios/")
    pagina.goto(f"{live_server.url}/admin/convenios/convenio/export/")
    campos = pagina.locator('.selectable-field-export-row input[type="checkbox"]:visible')
    assert campos.count() > 1 and all(campos.nth(i).is_checked() for i in range(campos.count()))
    pagina.locator(".select-toggle").uncheck()
    assert not any(campos.nth(i).is_checked() for i in range(campos.count()))
    pagina.locator(".select-toggle").check()
    assert all(campos.nth(i).is_checked() for i in range(campos.count()))
