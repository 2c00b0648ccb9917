"""Requests no page can serve: a NUL character in the path or in any GET/POST key or value is answered
with a Spanish 400 before a view runs (PostgreSQL cannot hold or compare text with NUL: it was a 500)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from convenios.models import Compromiso

# The seed and the users are built once for the module (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("mundo_del_modulo")

SEMILLA = "convenio-de-colaboracion-www-datos-gob-mx"
COMISION = "gobierno-abierto-y-transparencia-proactiva"
MENSAJE = "carácter nulo"


def compromiso() -> Compromiso:
    return Compromiso.objects.order_by("pk").first()


GET = {
    "busqueda de convenios": (lambda: reverse("convenios:lista"), {"q": "\x00"}),
    "busqueda de compromisos": (lambda: reverse("convenios:compromisos"), {"q": "a\x00b"}),
    "filtro de compromisos": (lambda: reverse("convenios:compromisos"), {"estatus": "\x00"}),
    "convenio con nombre de parametro": (lambda: reverse("convenios:detalle", args=[SEMILLA]), {"\x00": "1"}),
    "fecha de un informe": (lambda: reverse("reportes:informe", args=[SEMILLA]), {"fecha": "2020-01-01\x00"}),
    "comisiones": (lambda: reverse("comisiones:detalle", args=[COMISION]), {"orden": "\x00"}),
    "historial": (lambda: reverse("convenios:historial", args=[compromiso().pk]), {"x": "\x00"}),
}


@pytest.mark.parametrize("caso", list(GET))
def test_nul_in_a_query_parameter_is_a_400_in_spanish(client, usuarios, semilla, caso):
    url, parametros = GET[caso]
    client.force_login(usuarios["capturista"])
    respuesta = client.get(url(), parametros)
    assert respuesta.status_code == 400
    assert MENSAJE in respuesta.content.decode()


def test_nul_in_the_path_is_a_400(client, usuarios, semilla):
    client.force_login(usuarios["capturista"])
    for ruta in ("/convenios/%00/", "/reportes/emitidos/IS-2020-%00/pdf/"):
        respuesta = client.get(ruta)
        assert respuesta.status_code == 400, ruta
        assert MENSAJE in respuesta.content.decode()


def test_nul_in_a_posted_field_is_a_400_and_nothing_is_written(client, usuarios, semilla, estatus):
    elemento = compromiso()
    antes = list(elemento.actualizaciones.values())
    client.force_login(usuarios["capturista"])
    respuesta = client.post(
        reverse("convenios:actualizar", args=[elemento.pk]),
        {
            "estatus": "cumplido",
            "fecha": timezone.localdate().isoformat(),
            "nota": "Se publicó\x00",
            "version": elemento.version,
        },
    )
    assert respuesta.status_code == 400
    assert MENSAJE in respuesta.content.decode()
    assert list(elemento.actualizaciones.values()) == antes


def test_nul_reaches_no_public_page_either(client, db):
    assert client.get(reverse("login"), {"next": "/\x00"}).status_code == 400
    respuesta = client.post(reverse("reportes:verificar"), {"folio": "IS-2020-\x00", "codigo": "X"})
    assert respuesta.status_code == 400
    assert MENSAJE in respuesta.content.decode()


def test_ordinary_parameters_still_work(client, usuarios, semilla):
    client.force_login(usuarios["capturista"])
    assert client.get(reverse("convenios:lista"), {"q": "datos"}).status_code == 200
    assert client.get(reverse("convenios:compromisos"), {"q": "100% _datos_"}).status_code == 200
