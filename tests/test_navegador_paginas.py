"""Pages that hold, in a real browser: every page every role may open, at a phone's width and a
desktop's, never scrolls sideways and has no serious or critical axe-core violation, nor such a result
axe leaves for review (pa11y reports both as errors); and the inline status form keeps the keyboard
where the user expects it.

The pages come from the URL resolver and THE permission table (tests/test_tabla_permisos.py), with
the same sample arguments, so a page added later is visited without touching this file. axe-core is
vendored from its npm package (tests/vendor/axe-core/, MPL-2.0); the strict CSP stays on: Playwright's
``add_script_tag`` is an inline script the policy blocks, so the file is an init script of the browser
context (the DevTools protocol runs it in every page before the page's own scripts, and the page's
policy does not govern it).
"""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from . import test_navegador, test_tabla_permisos
from .conftest import restaurar_datos_de_migraciones

navegador = test_navegador.navegador  # one chromium for the module
mundo = test_tabla_permisos.mundo  # the seed, a user per role, and each URL's sample arguments
TABLA, ROLES = test_tabla_permisos.TABLA, test_tabla_permisos.ROLES

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
ANCHOS = {390: 844, 1366: 900}
GRAVES = ("serious", "critical")
CONVENIO = "/convenios/convenio-de-colaboracion-www-datos-gob-mx/"
# Swagger UI (drf-spectacular-sidecar), a third-party tool for developers, nests interactive controls
# and greys its version stamp (axe: nested-interactive, color-contrast) in its own markup; the walk
# still checks its width. Every page of ours is held to axe.
SIN_AXE = {"api:docs"}

# Serious and critical results, also those axe leaves for review («incomplete»: a contrast it cannot
# judge, an aria-describedby naming no element): pa11y's axe runner reports both as errors.
VIOLACIONES_GRAVES = """async () => {
  const resultado = await axe.run(document, {resultTypes: ["violations", "incomplete"]});
  return [...resultado.violations, ...resultado.incomplete.map((v) => ({...v, id: `${v.id} (por revisar)`}))]
    .filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}"""


@pytest.fixture
def restaurados(transactional_db):
    """What the data migrations made (statuses, roles), back after the previous test's flush."""
    restaurar_datos_de_migraciones()


def paginas(argumentos) -> dict[str, str]:
    """Every named page someone may GET, by the permission table, with its sample arguments."""
    return {nombre: reverse(nombre, args=argumentos(nombre)) for nombre in sorted(TABLA) if TABLA[nombre][0]}


def contexto_de(navegador, live_server, usuario):
    """A browser context logged in as ``usuario`` (None: anonymous), through Django's own session."""
    contexto = navegador.new_context(locale="es-MX", viewport={"width": 1366, "height": 900})
    contexto.add_init_script(path=AXE)
    if usuario is not None:
        cliente = Client()
        cliente.force_login(usuario)
        sesion = cliente.cookies["sessionid"].value
        contexto.add_cookies([{"name": "sessionid", "value": sesion, "url": live_server.url}])
    return contexto


@pytest.mark.archivos
def test_every_page_of_every_role_fits_a_phone_and_has_no_serious_axe_violation(
    navegador, live_server, restaurados, mundo
):
    # drf-spectacular's first build of the schema is not thread-safe: the API docs page and this walk
    # would ask for it at once from two server threads (one got a 500). Build it once beforehand.
    SchemaGenerator().get_schema(request=None, public=True)
    urls = paginas(mundo["argumentos"])
    desbordadas, violaciones, visitadas, es_pagina = [], [], set(), {}
    for rol in ROLES:
        if rol == "sin_rol":
            continue  # a logged-in user with no group: the pages of SESION, which every role visits
        contexto = contexto_de(navegador, live_server, mundo["usuarios"].get(rol))
        pagina = contexto.new_page()
        for nombre, url in [(nombre, url) for nombre, url in urls.items() if rol in TABLA[nombre][0]]:
            # Files (PDF, XLSX, CSV, evidence, JSON) and htmx fragments (a lone row) are not pages: ask
            # first with the context's own cookies, so the browser never starts a download; once per
            # URL, as a view answers every role that may open it with the same kind of content.
            if url not in es_pagina:
                previa = contexto.request.get(f"{live_server.url}{url}")
                tipo = previa.headers.get("content-type", "")
                es_pagina[url] = tipo.startswith("text/html") and "<html" in previa.text()
            if not es_pagina[url]:
                continue
            pagina.set_viewport_size({"width": 1366, "height": ANCHOS[1366]})
            respuesta = pagina.goto(f"{live_server.url}{url}")
            assert respuesta.ok, (rol, url, respuesta.status)
            visitadas.add(url)
            for ancho, alto in ANCHOS.items():
                pagina.set_viewport_size({"width": ancho, "height": alto})
                documento = pagina.evaluate("document.documentElement.scrollWidth")
                if documento > pagina.evaluate("window.innerWidth"):
                    desbordadas.append(f"{rol} {url} a {ancho} px: {documento} px")
                if nombre not in SIN_AXE:
                    violaciones += [
                        f"{rol} {url} a {ancho} px: {v}" for v in pagina.evaluate(VIOLACIONES_GRAVES)
                    ]
        contexto.close()

    assert desbordadas == [], "\n".join(desbordadas)
    assert violaciones == [], "\n".join(violaciones)
    # The walk reached the pages people work in, not just the login form.
    for nombre, args in [
        ("convenios:lista", []),
        ("convenios:detalle", [CONVENIO.split("/")[2]]),
        ("convenios:compromisos", []),
        ("reportes:consolidado", []),
        ("comisiones:lista", []),
        ("login", []),
    ]:
        assert reverse(nombre, args=args) in visitadas


# Whether each row's «Acciones» cell is a cell of its row (not floated out of the table layout) and holds
# its content, and every table's column widths: a save must not widen a column nor make the other rows
# taller.
GEOMETRIA = """() => ({
  fuera: [...document.querySelectorAll("tbody tr")].filter((fila) => {
    const f = fila.getBoundingClientRect();
    return [...fila.querySelectorAll("td.acciones")].some((celda) => {
      const c = celda.getBoundingClientRect();
      // A table cell spans its row's height; a stacked card's cell (a phone) stays inside its card.
      const celdaDeTabla = getComputedStyle(celda).display === "table-cell";
      return (celdaDeTabla ? Math.abs(c.top - f.top) > 1 || Math.abs(c.bottom - f.bottom) > 1
        : c.top < f.top - 1 || c.bottom > f.bottom + 1) || c.left < f.left - 1 || c.right > f.right + 1
        // nor does anything in it (the «Estatus actualizado.» notice, a button) stick out of the cell
        // (a block's own text overflows it: its scrollWidth passes its clientWidth)
        || [...celda.children].some((hijo) => hijo.getBoundingClientRect().right > c.right + 1
          || hijo.scrollWidth > hijo.clientWidth + 1);
    });
  }).map((fila) => fila.id),
  columnas: [...document.querySelectorAll("table.tabla-seguimiento thead th")]
    .map((th) => Math.round(th.getBoundingClientRect().width)),
  altos: Object.fromEntries([...document.querySelectorAll("table.tabla-seguimiento tbody tr")]
    .map((tr) => [tr.id, Math.round(tr.getBoundingClientRect().height)])),
})"""

EN_PANTALLA = """(elemento) => {
  const r = elemento.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight;
}"""


@pytest.mark.parametrize("ancho", sorted(ANCHOS))
def test_the_inline_form_keeps_the_keyboard_where_the_user_expects_it(
    navegador, live_server, restaurados, mundo, ancho
):
    from playwright.sync_api import expect

    contexto = contexto_de(navegador, live_server, mundo["usuarios"]["capturista"])
    pagina = contexto.new_page()
    pagina.set_viewport_size({"width": ancho, "height": ANCHOS[ancho]})
    pagina.goto(f"{live_server.url}{CONVENIO}")
    pagina.evaluate("window.sinRecargar = true")
    antes = pagina.evaluate(GEOMETRIA)
    assert antes["fuera"] == []

    fila = pagina.locator("tbody tr", has_text="Generar, almacenar, tratar")
    boton = fila.get_by_role("link", name="Actualizar estatus")
    editando = pagina.locator("tr.editando")

    # Opening: the keyboard lands on the form's first field, the form in view.
    boton.click()
    expect(editando.get_by_label("Nuevo estatus")).to_be_focused()
    expect(editando.get_by_role("button", name="Guardar")).to_be_in_viewport()

    # Escape closes the form and gives the keyboard back to the row's button.
    pagina.keyboard.press("Escape")
    expect(editando).to_have_count(0)
    expect(boton).to_be_focused()

    # A refused save (400): the keyboard on the first field in error, whose message is an alert.
    boton.click()
    editando.get_by_label("Nuevo estatus").select_option("incumplido")
    with pagina.expect_response(lambda r: r.request.method == "POST") as respuesta:
        editando.get_by_role("button", name="Guardar").click()
    assert respuesta.value.status == 400
    nota = editando.get_by_label("Nota", exact=True)
    expect(nota).to_be_focused()
    expect(nota).to_have_attribute("aria-invalid", "true")
    error = pagina.locator(f"#{nota.get_attribute('aria-describedby').split()[0]}")
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text("Escriba una nota")
    assert pagina.evaluate(VIOLACIONES_GRAVES) == []  # the open form with its errors, too

    # A save: the keyboard back on the row's button, the row in view, the table's layout unchanged.
    nota.fill("La dependencia no entregó el catálogo en el plazo acordado.")
    editando.get_by_role("button", name="Guardar").click()
    expect(fila.get_by_text("Estatus actualizado.")).to_be_visible()
    expect(boton).to_be_focused()
    assert fila.evaluate(EN_PANTALLA)
    despues = pagina.evaluate(GEOMETRIA)
    assert despues["fuera"] == []
    assert despues["columnas"] == antes["columnas"]
    guardada = fila.get_attribute("id")
    otras = {i: alto for i, alto in despues["altos"].items() if i != guardada}
    assert otras == {i: alto for i, alto in antes["altos"].items() if i != guardada}

    # Another row's form, far down the page, opens in view: the saved row does not pull focus back.
    lejana = pagina.locator("tbody tr", has_text="Reconocer la titularidad")
    lejana.get_by_role("link", name="Actualizar estatus").click()
    expect(lejana.get_by_label("Nuevo estatus")).to_be_focused()
    expect(lejana.get_by_role("button", name="Guardar")).to_be_in_viewport()
    # Cancelar, like Escape, gives the keyboard back to that row's button.
    lejana.get_by_role("link", name="Cancelar").click()
    expect(lejana.get_by_role("link", name="Actualizar estatus")).to_be_focused()
    assert pagina.evaluate("document.documentElement.scrollWidth") <= ancho
    assert pagina.evaluate("window.sinRecargar") is True
    contexto.close()


def test_a_duty_form_behaves_the_same_on_a_commission_page(navegador, live_server, restaurados, mundo):
    """Commission pages share the rows and the script: open, 400, Escape, save, at a phone's width."""
    from playwright.sync_api import expect

    contexto = contexto_de(navegador, live_server, mundo["usuarios"]["capturista"])
    pagina = contexto.new_page()
    pagina.set_viewport_size({"width": 390, "height": ANCHOS[390]})
    pagina.goto(f"{live_server.url}/comisiones/gobierno-abierto-y-transparencia-proactiva/")
    fila = pagina.locator("tbody tr", has_text="Conforma una red de conocimiento")
    boton = fila.get_by_role("link", name="Actualizar estatus")

    boton.click()
    expect(fila.get_by_label("Nuevo estatus")).to_be_focused()
    fila.get_by_label("Nuevo estatus").select_option("incumplido")
    fila.get_by_role("button", name="Guardar").click()  # unfavourable without a note: 400
    expect(fila.get_by_label("Nota", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(fila.get_by_label("Nota", exact=True)).to_be_focused()
    expect(fila.get_by_role("alert")).to_contain_text("Escriba una nota")
    pagina.keyboard.press("Escape")
    expect(pagina.locator("tr.editando")).to_have_count(0)
    expect(boton).to_be_focused()

    boton.click()
    fila.get_by_label("Nuevo estatus").select_option("en-proceso")
    fila.get_by_role("button", name="Guardar").click()
    expect(fila.get_by_text("Estatus actualizado.")).to_be_visible()
    expect(boton).to_be_focused()
    assert fila.evaluate(EN_PANTALLA)
    assert pagina.evaluate("document.documentElement.scrollWidth") <= 390
    contexto.close()
