"""``DATABASE_REPLICA_URL`` (seguimiento/replica.py): reads that tolerate lag go to the alias ``replica``;
everything else stays on ``default``. The replica here is a second connection to the test database
(a mirror, as ``TEST: {"MIRROR": "default"}`` makes it), so each connection's queries say who served."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comisiones.models import Comision
from seguimiento.replica import REPLICA

from .conftest import con_token


@pytest.fixture
def replica(transactional_db):
    """The alias a DATABASE_REPLICA_URL adds, pointing at the test database (committed rows: each
    connection sees the other's)."""
    connections.settings[REPLICA] = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    # Connected here: the test case only lets a new connection open on the aliases it was told of.
    connections[REPLICA].connect()
    yield connections[REPLICA]
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


def pedir(cliente, url, **kwargs):
    with (
        CaptureQueriesContext(connections["default"]) as primaria,
        CaptureQueriesContext(connections[REPLICA]) as copia,
    ):
        respuesta = cliente.get(url, **kwargs)
    return respuesta, len(primaria), len(copia)


def test_the_public_board_and_open_data_files_read_the_replica_only(replica, client, semilla):
    comision = Comision.objects.get(slug="gobierno-abierto-y-transparencia-proactiva")
    urls = [
        reverse("datos:portal"),
        reverse("datos:convenio", args=[semilla.slug]),
        reverse("datos:comision", args=[comision.slug]),
        reverse("datos:archivo", args=["compromisos", "csv"]),
        reverse("datos:archivo", args=["atribuciones", "json"]),
        reverse("datos:paquete"),
    ]
    for url in urls:
        respuesta, primaria, copia = pedir(client, url)
        assert respuesta.status_code == 200, url
        assert copia > 0 and primaria == 0, (url, primaria, copia)


@pytest.mark.parametrize("modelo", ["compromisos", "atribuciones"])
def test_the_apis_get_lists_read_the_replica_but_not_as_of_a_date_nor_one_item(
    replica, usuarios, semilla, modelo
):
    cliente = con_token(usuarios["admin"])
    lista = f"/api/v1/{modelo}/"
    respuesta, primaria, copia = pedir(cliente, lista)
    assert respuesta.status_code == 200 and copia > 0
    # The key is checked on the primary (a key issued a moment ago works); the rows come from the copy.
    assert primaria <= 2, primaria

    respuesta, primaria, copia = pedir(cliente, lista, data={"fecha": "2025-06-30"})
    assert respuesta.status_code == 200 and copia == 0 and primaria > 0

    pk = respuesta.json()["results"][0]["id"] if "results" in respuesta.json() else respuesta.json()[0]["id"]
    respuesta, primaria, copia = pedir(cliente, f"{lista}{pk}/")
    assert respuesta.status_code == 200 and copia == 0 and primaria > 0


def test_staff_pages_and_writes_stay_on_the_primary(replica, client, usuarios, semilla):
    client.force_login(usuarios["admin"])
    for url in (reverse("inicio"), reverse("convenios:lista")):
        respuesta, primaria, copia = pedir(client, url)
        assert respuesta.status_code == 200, url
        assert copia == 0 and primaria > 0, url
