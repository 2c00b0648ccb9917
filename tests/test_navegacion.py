"""Ways back: the header's title leads home from every page, detail pages carry breadcrumbs (a
``<nav aria-label="Ruta">`` list down from the home page, the current page marked), the
messages after an action are a list inside a status region (axe: ``listitem``), an htmx fragment
whose session ended sends the whole page to log in, and every ``aria-describedby`` names an element
of its page (what pa11y reported)."""

from html.parser import HTMLParser

import pytest
from django.contrib import messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from comisiones.models import Atribucion, Comision
from convenios.models import Compromiso, Convenio

# The seed and the users are built once for the module (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("mundo_del_modulo")

CONVENIO = "convenio-de-colaboracion-www-datos-gob-mx"
COMISION = "gobierno-abierto-y-transparencia-proactiva"


class Migas(HTMLParser):
    """The breadcrumbs of a page: [(href or None, text, is the current page)], and where they sit."""

    def __init__(self):
        super().__init__()
        self.migas: list[tuple[str | None, str, bool]] = []
        self.navs = 0
        self.pila: list[str] = []
        self.dentro = False
        self.en_ol = False
        self.actual: list = []
        self.fuera_de_ol = []  # anything but an <ol> directly in the nav

    def handle_starttag(self, tag, attrs):
        atributos = dict(attrs)
        if tag == "nav" and atributos.get("aria-label") == "Ruta":
            self.navs += 1
            self.dentro = True
        elif self.dentro:
            if tag == "ol":
                self.en_ol = True
            elif tag == "li" and self.en_ol:
                self.actual = [None, "", False]
            elif tag in ("a", "span") and self.actual:
                self.actual[0] = atributos.get("href", self.actual[0])
                self.actual[2] = self.actual[2] or atributos.get("aria-current") == "page"
            elif not self.en_ol:
                self.fuera_de_ol.append(tag)

    def handle_data(self, data):
        if self.actual:
            self.actual[1] += data

    def handle_endtag(self, tag):
        if not self.dentro:
            return
        if tag == "li" and self.actual:
            href, texto, actual = self.actual
            self.migas.append((href, " ".join(texto.split()), actual))
            self.actual = []
        elif tag == "ol":
            self.en_ol = False
        elif tag == "nav":
            self.dentro = False


def migas_de(html: str) -> list[tuple[str | None, str, bool]]:
    lector = Migas()
    lector.feed(html)
    assert lector.navs == 1, "one breadcrumb trail per page"
    assert lector.fuera_de_ol == []
    return lector.migas


def pagina(client, usuario, url) -> str:
    client.force_login(usuario)
    respuesta = client.get(url)
    assert respuesta.status_code == 200, url
    return respuesta.content.decode()


def test_the_header_title_leads_home_from_any_page(client, usuarios, semilla):
    for usuario, url in (
        (usuarios["gerente"], reverse("convenios:lista")),
        (None, reverse("reportes:verificar")),
    ):
        if usuario:
            client.force_login(usuario)
        else:
            client.logout()
        html = client.get(url).content.decode()
        assert f'<a class="marca-titulo" href="{reverse("inicio")}">Seguimiento</a>' in html


def casos() -> dict:
    """Each detail page: who opens it, and the trail expected above it (the last one is the page)."""
    convenio = Convenio.objects.get(slug=CONVENIO)
    comision = Comision.objects.get(slug=COMISION)
    compromiso = Compromiso.objects.filter(convenio=convenio).order_by("numero")[0]
    atribucion = Atribucion.objects.filter(comision=comision).order_by("numero")[0]
    inicio, convenios, comisiones = (
        (reverse("inicio"), "Inicio"),
        (reverse("convenios:lista"), "Convenios"),
        (reverse("comisiones:lista"), "Comisiones"),
    )
    al_convenio = (convenio.get_absolute_url(), convenio.nombre)
    a_la_comision = (comision.get_absolute_url(), comision.nombre)
    informe_convenio = reverse("reportes:informe", args=[CONVENIO])
    informe_comision = reverse("reportes:comision", args=[COMISION])
    reportes = (reverse("reportes:indice"), "Reportes")
    return {
        "convenio": ("gerente", convenio.get_absolute_url(), [inicio, convenios], convenio.nombre),
        "comisión": ("gerente", comision.get_absolute_url(), [inicio, comisiones], comision.nombre),
        "actualizar compromiso": (
            "capturista",
            compromiso.url_actualizar,
            [inicio, convenios, al_convenio],
            "Actualizar estatus",
        ),
        "historial compromiso": (
            "auditor",
            compromiso.url_historial,
            [inicio, convenios, al_convenio],
            "Historial",
        ),
        "actualizar atribución": (
            "capturista",
            atribucion.url_actualizar,
            [inicio, comisiones, a_la_comision],
            "Actualizar estatus",
        ),
        "historial atribución": (
            "auditor",
            atribucion.url_historial,
            [inicio, comisiones, a_la_comision],
            "Historial",
        ),
        "informe de convenio": (
            "admin",
            informe_convenio,
            [inicio, convenios, al_convenio],
            "Informe de seguimiento",
        ),
        "informe de comisión": (
            "admin",
            informe_comision,
            [inicio, comisiones, a_la_comision],
            "Informe de atribuciones",
        ),
        "informe consolidado": (
            "admin",
            reverse("reportes:consolidado"),
            [inicio, reportes],
            "Informe consolidado",
        ),
    }


@pytest.mark.parametrize(
    "caso",
    [
        "convenio",
        "comisión",
        "actualizar compromiso",
        "historial compromiso",
        "actualizar atribución",
        "historial atribución",
        "informe de convenio",
        "informe de comisión",
        "informe consolidado",
    ],
)
def test_detail_pages_carry_breadcrumbs_from_home_to_the_current_page(client, usuarios, semilla, caso):
    rol, url, ruta, actual = casos()[caso]
    migas = migas_de(pagina(client, usuarios[rol], url))
    assert migas == [(href, texto, False) for href, texto in ruta] + [(None, actual, True)]
    for href, _texto, _actual in migas[:-1]:
        assert client.get(href).status_code == 200, href


def test_the_inline_form_row_carries_no_breadcrumbs(client, usuarios, semilla):
    compromiso = Compromiso.objects.filter(convenio__slug=CONVENIO).order_by("numero")[0]
    client.force_login(usuarios["capturista"])
    html = client.get(compromiso.url_actualizar, headers={"HX-Request": "true"}).content.decode()
    assert 'aria-label="Ruta"' not in html


def test_messages_are_a_plain_list_inside_a_status_region(rf: RequestFactory, usuarios):
    """axe's ``listitem``: a ``<li>`` must sit in a ``<ul>``/``<ol>`` whose role is a list, so the
    status role goes on a wrapper, not on the list."""
    from django.contrib.messages.storage.fallback import FallbackStorage

    peticion = rf.get("/")
    peticion.session = {}
    peticion._messages = FallbackStorage(peticion)
    messages.success(peticion, "Estatus actualizado.")
    html = " ".join(render_to_string("_messages.html", request=peticion).split())
    assert html == (
        '<div class="mensajes" role="status"> <ul> '
        '<li class="mensaje mensaje-success">Estatus actualizado.</li> </ul> </div>'
    )


# --- A fragment without a session; ARIA references (pa11y) ------------------------------------------


def fragmentos() -> list[str]:
    """htmx fragments: the home page's charts, a commitment's row form."""
    compromiso = Compromiso.objects.filter(convenio__slug=CONVENIO).order_by("numero")[0]
    return [reverse("graficas"), compromiso.url_actualizar]


def test_a_fragment_without_session_sends_the_whole_page_to_log_in(client):
    pagina = f"/convenios/{CONVENIO}/?q=a"
    for url in fragmentos():
        respuesta = client.get(
            url, headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{pagina}"}
        )
        # Not the log-in page swapped into the charts' box or a table row (a second <main>)
        assert respuesta.status_code == 200 and respuesta.content == b"", url
        assert respuesta["HX-Redirect"] == f"{reverse('login')}?next=/convenios/{CONVENIO}/%3Fq%3Da"
        # Another site's address in the header gives only its path
        otro = client.get(url, headers={"HX-Request": "true", "HX-Current-URL": "https://otro.example/x"})
        assert otro["HX-Redirect"] == f"{reverse('login')}?next=/x"
        # Without htmx, Django's redirect as before
        sin_htmx = client.get(url)
        assert sin_htmx.status_code == 302 and sin_htmx["Location"] == f"{reverse('login')}?next={url}"


def test_a_fragment_whose_session_reached_its_lifetime_sends_the_page_to_log_in(client, usuarios, settings):
    client.force_login(usuarios["capturista"])
    settings.SESION_MAXIMA_HORAS = 0  # the session ends on its next request
    respuesta = client.get(
        reverse("graficas"), headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/"}
    )
    assert respuesta["HX-Redirect"] == f"{reverse('login')}?next=/"


class Referencias(HTMLParser):
    """The ids a page declares and those its ``aria-describedby``/``aria-labelledby`` name."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.nombrados: set[str] = set()

    def handle_starttag(self, tag, attrs):
        atributos = dict(attrs)
        if atributos.get("id"):
            self.ids.add(atributos["id"])
        for clave in ("aria-describedby", "aria-labelledby"):
            self.nombrados.update((atributos.get(clave) or "").split())


@pytest.mark.parametrize(
    ("rol", "url"),
    [
        (None, "/reportes/verificar/"),
        (None, "/accounts/login/"),
        ("capturista", "/accounts/password_change/"),
        ("capturista", "/convenios/compromisos/"),
        ("capturista", "/comisiones/atribuciones/?fecha=2026-01-01"),
        ("importador", "/convenios/importacion/"),
    ],
)
def test_every_aria_reference_names_an_element_of_the_page(client, usuarios, rol, url):
    if rol:
        client.force_login(usuarios[rol])
    respuesta = client.get(url)
    assert respuesta.status_code == 200
    pagina = Referencias()
    pagina.feed(respuesta.content.decode())
    assert pagina.nombrados <= pagina.ids, pagina.nombrados - pagina.ids
    if url == "/reportes/verificar/":  # its help texts (pa11y: aria-describedby naming no element)
        assert {"id_folio_helptext", "id_codigo_helptext"} <= pagina.nombrados


def test_every_aria_reference_of_the_update_form_names_an_element(client, usuarios):
    compromiso = Compromiso.objects.filter(convenio__slug=CONVENIO).order_by("numero")[0]
    client.force_login(usuarios["capturista"])
    pagina = Referencias()
    pagina.feed(client.get(compromiso.url_actualizar).content.decode())
    assert pagina.nombrados and pagina.nombrados <= pagina.ids, pagina.nombrados - pagina.ids
