"""Every text search ignores accents and case, alike on PostgreSQL and SQLite (``seguimiento.busqueda``):
the commitments and duties pages (``q``, ``q_historial``), the convenios list and the API's ``q``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seguimiento.busqueda import CON_ACENTO, sin_acentos

from .conftest import con_token, dias
from .factories import AtribucionFactory, CompromisoFactory, ConvenioFactory, registrar_actualizacion

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor

FORMAS = ["capacitacion", "CAPACITACIÓN", "Capacitación", "capacitaciÓn", "  capacitación  "]


@pytest.fixture
def elementos(db, estatus):
    """A commitment and a duty with «capacitación» in their text, and others with it in a note."""
    convenio = ConvenioFactory(nombre="Convenio de colaboración", slug="colaboracion")
    e = {
        "compromiso": CompromisoFactory(convenio=convenio, texto="Impulsar la Capacitación de enlaces."),
        "otro_compromiso": CompromisoFactory(convenio=convenio, texto="Publicar datos."),
        "atribucion": AtribucionFactory(texto="Promover la capacitación en transparencia."),
        "otra_atribucion": AtribucionFactory(texto="Organizar archivos."),
    }
    for clave in ("otro_compromiso", "otra_atribucion"):
        registrar_actualizacion(
            e[clave], estatus=estatus["en-proceso"], fecha_efectiva=dias(-9), nota="Ñandú"
        )
        registrar_actualizacion(e[clave], estatus=estatus["cumplido"], fecha_efectiva=dias(-1), nota="Listo.")
    return e


def test_the_database_function_gives_what_python_gives(db):
    """The PostgreSQL function (migration) and the SQLite one (Python) must agree letter by letter."""
    texto = CON_ACENTO + " Ça, ÑANDÚ y pingüino: 100% a_b"
    with connection.cursor() as cursor:
        cursor.execute("SELECT sin_acentos(%s), sin_acentos(NULL)", [texto])
        en_la_base, nulo = cursor.fetchone()
    assert en_la_base == sin_acentos(texto)
    assert sin_acentos("ÁÉÍÓÚÜÑáéíóúüñ") == "aeiouunaeiouun" and nulo is None


@pytest.mark.postgres
def test_the_postgresql_function_is_immutable_so_it_can_be_indexed(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT provolatile FROM pg_proc WHERE proname = 'sin_acentos'")
        assert cursor.fetchall() == [("i",)]


@pytest.mark.parametrize("forma", FORMAS)
@pytest.mark.parametrize(
    ("url", "clave"), [("/convenios/compromisos/", "compromiso"), ("/comisiones/atribuciones/", "atribucion")]
)
def test_q_finds_the_text_whatever_its_accents_and_case(client, usuarios, elementos, url, clave, forma):
    client.force_login(usuarios["auditor"])
    respuesta = client.get(url, {"q": forma})
    assert respuesta.status_code == 200
    assert [e.pk for e in respuesta.context["pagina"].object_list] == [elementos[clave].pk]


@pytest.mark.parametrize(
    ("url", "clave"),
    [("/convenios/compromisos/", "otro_compromiso"), ("/comisiones/atribuciones/", "otra_atribucion")],
)
@pytest.mark.parametrize("forma", ["nandu", "ÑANDÚ", "Ñandu"])
def test_q_historial_finds_an_old_note_whatever_its_accents_and_case(
    client, usuarios, elementos, url, clave, forma
):
    client.force_login(usuarios["auditor"])
    encontrados = client.get(url, {"q_historial": forma}).context["pagina"].object_list
    assert [e.pk for e in encontrados] == [elementos[clave].pk]
    assert not client.get(url, {"q": forma}).context["pagina"].object_list  # not the current note


@pytest.mark.parametrize("forma", ["colaboracion", "COLABORACIÓN", "Colaboración"])
def test_the_convenios_list_finds_a_name_whatever_its_accents_and_case(client, usuarios, elementos, forma):
    client.force_login(usuarios["auditor"])
    respuesta = client.get("/convenios/", {"q": forma})
    assert [c.slug for c in respuesta.context["convenios"]] == ["colaboracion"]
    assert not client.get("/convenios/", {"q": "colaboracionx"}).context["convenios"]


@pytest.mark.parametrize("forma", ["capacitacion", "CAPACITACIÓN", "Capacitación"])
@pytest.mark.parametrize(("ruta", "clave"), [("compromisos", "compromiso"), ("atribuciones", "atribucion")])
def test_the_apis_q_finds_the_text_whatever_its_accents_and_case(usuarios, elementos, ruta, clave, forma):

    cliente = con_token(usuarios["auditor"])
    respuesta = cliente.get(f"/api/v1/{ruta}/", {"q": forma})
    assert respuesta.status_code == 200
    assert [fila["id"] for fila in respuesta.json()["results"]] == [elementos[clave].pk]
    assert cliente.get(f"/api/v1/{ruta}/", {"q": "x" * 201}).status_code == 400


@pytest.mark.parametrize(
    ("url", "q"),
    [
        ("/convenios/compromisos/", "Capacitación"),
        ("/comisiones/atribuciones/", "CAPACITACION"),
        ("/convenios/", "Colaboración"),
    ],
)
def test_searching_costs_no_query_more_than_not_searching(client, usuarios, elementos, url, q):
    client.force_login(usuarios["auditor"])
    client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as sin_buscar:
        client.get(url)
    with CaptureQueriesContext(connection) as buscando:
        assert client.get(url, {"q": q}).status_code == 200
    assert len(buscando.captured_queries) == len(sin_buscar.captured_queries)


@pytest.mark.parametrize("patron", ["%", "_", "\\"])
def test_like_wildcards_in_the_query_are_plain_letters(client, usuarios, elementos, patron):
    client.force_login(usuarios["auditor"])
    for url in ("/convenios/compromisos/", "/comisiones/atribuciones/", "/convenios/"):
        contexto = client.get(url, {"q": patron}).context
        filas = contexto["convenios"] if url == "/convenios/" else contexto["pagina"].object_list
        assert not filas, url
