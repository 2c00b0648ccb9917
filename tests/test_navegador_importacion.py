"""An importer brings a LibreOffice file in a real browser: the review lists what would be created
and writes nothing, the confirmation imports it; at 1366 and 390 px, nothing wider than the window."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from convenios import importacion
from convenios.models import Compromiso

from .conftest import SLUG_DE_LA_SEMILLA as SEMILLA
from .conftest import restaurar_datos_de_migraciones
from .test_navegador import CAPTURAS, iniciar_sesion, navegador  # noqa: F401 (the module's chromium)
from .test_navegador_datos import violaciones_graves

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def importador(transactional_db, django_user_model):
    restaurar_datos_de_migraciones()
    call_command("cargar_semilla", stdout=io.StringIO())
    usuario = django_user_model.objects.create_user("importador", password="clave-de-prueba", is_staff=True)
    usuario.groups.add(Group.objects.get(name="Importador"))
    return usuario


@pytest.mark.parametrize("ancho", [1366, 390])
def test_an_importer_reviews_then_confirms_an_ods_file(navegador, live_server, importador, tmp_path, ancho):  # noqa: F811
    hojas = {
        "convenios": [
            {"tipo": "compromiso", "convenio": SEMILLA, "numero": str(n), "texto": f"Compromiso nuevo {n}."}
            for n in (12, 13)
        ],
        "actualizaciones": [
            {"convenio": SEMILLA, "numero": "4", "estatus": "pendiente", "fecha_efectiva": "2021-02-02"}
        ],
    }
    archivo = tmp_path / "seguimiento.ods"
    archivo.write_bytes(importacion.como_ods(hojas))
    contexto = navegador.new_context(locale="es-MX", viewport={"width": ancho, "height": 900})
    page = contexto.new_page()
    iniciar_sesion(page, live_server, "importador")
    page.goto(f"{live_server.url}/convenios/importacion/")
    page.get_by_label("Archivo a revisar").set_input_files(str(archivo))
    page.get_by_role("button", name="Revisar el archivo").click()
    lista = page.get_by_role("table", name="Filas que crearían o cambiarían algo")
    assert lista.is_visible()
    texto = " ".join(lista.inner_text().split())
    assert f"Se crearía compromiso 12 de {SEMILLA}" in texto
    assert f"Se crearía compromiso 4 de {SEMILLA}: pendiente desde 2021-02-02" in texto
    assert "Creados" not in page.content()
    assert not Compromiso.objects.filter(numero=12).exists()
    assert violaciones_graves(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= ancho
    CAPTURAS.mkdir(exist_ok=True)
    page.screenshot(path=CAPTURAS / f"importar-ods-{ancho}.png", full_page=True)
    page.get_by_role("button", name="Confirmar la importación").click()
    assert "Importación terminada: 3 creados" in page.get_by_role("status").first.inner_text()
    assert Compromiso.objects.filter(convenio__slug=SEMILLA, numero__in=[12, 13]).count() == 2
    contexto.close()
