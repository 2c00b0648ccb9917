"""The public board in a real browser, without a session: axe-core finds no serious or critical
violation and nothing is wider than the window, at 1366 and 390 px (screenshots for a person to see)."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from comisiones.models import Atribucion
from convenios.models import Compromiso
from seguimiento.models import Estatus

from .conftest import restaurar_datos_de_migraciones
from .factories import registrar_actualizacion
from .test_navegador import navegador  # noqa: F401 (the module's chromium)

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

# axe-core 4.14.1 from the npm registry (MPL-2.0, tests/vendor/axe-core/LICENSE); only tests use it.
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
CAPTURAS = Path(os.environ.get("CAPTURAS", "/tmp/capturas-datos"))
ANCHOS = [1366, 390]


@pytest.fixture
def tablero(transactional_db):
    restaurar_datos_de_migraciones()
    call_command("cargar_semilla", stdout=io.StringIO())
    cumplido = Estatus.objects.get(slug="cumplido")
    for elemento in (Compromiso.objects.order_by("pk").first(), Atribucion.objects.order_by("pk").first()):
        registrar_actualizacion(
            elemento,
            estatus=cumplido,
            fecha_efectiva=datetime.date(2024, 5, 2),
            nota="Se publicó el conjunto de datos en www.datos.gob.mx con su diccionario.",
            nota_publica=True,
        )
    return [
        ("portal", reverse("datos:portal")),
        ("convenio", reverse("datos:convenio", args=["convenio-de-colaboracion-www-datos-gob-mx"])),
        ("comision", reverse("datos:comision", args=["gobierno-abierto-y-transparencia-proactiva"])),
    ]


def violaciones_graves(page) -> list[str]:
    page.evaluate(AXE.read_text())  # evaluated by the browser's debugger, not as a page script: the CSP holds
    resultado = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in resultado["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_public_board_is_accessible_and_fits_at_both_widths(navegador, live_server, tablero):  # noqa: F811
    CAPTURAS.mkdir(parents=True, exist_ok=True)
    contexto = navegador.new_context(locale="es-MX")
    page = contexto.new_page()
    csp = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    for ancho in ANCHOS:
        page.set_viewport_size({"width": ancho, "height": 900})
        for nombre, url in tablero:
            respuesta = page.goto(f"{live_server.url}{url}")
            assert respuesta.status == 200
            assert "/accounts/login/" not in page.url
            if nombre != "portal":
                page.locator("details.historial-publico summary").first.click()
            assert violaciones_graves(page) == [], (nombre, ancho)
            ancho_pagina = page.evaluate("() => document.documentElement.scrollWidth")
            assert ancho_pagina <= ancho, (nombre, ancho, ancho_pagina)
            page.screenshot(path=CAPTURAS / f"{nombre}-{ancho}.png", full_page=True)
    assert csp == []
    # Printed, a convenio shows every public history, also the closed ones (static/js/datos.js).
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{tablero[1][1]}")
    assert page.locator("details.historial-publico[open]").count() == 0
    texto = "".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf())).pages)
    assert "Se publicó el conjunto de datos" in " ".join(texto.split())
    assert page.locator("details.historial-publico[open]").count() == 0
    # Keyboard: the first Tab reaches the skip link, which is on screen when focused.
    page.goto(f"{live_server.url}{tablero[0][1]}")
    page.keyboard.press("Tab")
    caja = page.evaluate("() => document.activeElement.getBoundingClientRect().toJSON()")
    assert page.evaluate("() => document.activeElement.textContent") == "Saltar al contenido"
    assert caja["left"] >= 0 and caja["right"] <= 390
    contexto.close()


def test_a_visitor_reads_the_legend_and_summaries_and_gets_the_csv_for_excel_at_both_widths(
    navegador,  # noqa: F811
    live_server,
    tablero,
):
    """What a citizen sees first: what each category means, one line per convenio and commission,
    and which CSV to take for Excel; at a desk and on a phone, with nothing wider than the window."""
    CAPTURAS.mkdir(parents=True, exist_ok=True)
    contexto = navegador.new_context(locale="es-MX")
    page = contexto.new_page()
    for ancho in ANCHOS:
        page.set_viewport_size({"width": ancho, "height": 900})
        assert page.goto(f"{live_server.url}{reverse('datos:portal')}").status == 200
        leyenda = page.get_by_role("region", name="Qué significa cada categoría de estatus")
        assert leyenda.is_visible()
        assert "Lo acordado ya se cumplió o se está cumpliendo" in leyenda.inner_text()
        convenio = page.get_by_role("rowheader", name="Convenio de Colaboración")
        assert "11 de 11 compromisos en cumplimiento al " in convenio.inner_text()
        assert convenio.locator(".linea-resumen").is_visible()
        comision = page.get_by_role("rowheader", name="Comisión de Gobierno Abierto")
        assert "1 de 9 atribuciones en cumplimiento al " in comision.inner_text()
        excel = page.locator(f"a[href='{reverse('datos:archivo_excel', args=['compromisos'])}']")
        assert excel.is_visible() and excel.inner_text().startswith("CSV para Excel")
        contenido = page.request.get(f"{live_server.url}{excel.get_attribute('href')}").body()
        assert contenido.startswith(b"\xef\xbb\xbf")
        assert violaciones_graves(page) == [], ancho
        ancho_pagina = page.evaluate("() => document.documentElement.scrollWidth")
        assert ancho_pagina <= ancho, (ancho, ancho_pagina)
        page.screenshot(path=CAPTURAS / f"leyenda-{ancho}.png", full_page=True)
    contexto.close()
