"""Schemathesis against the API's own schema (as ``api:esquema`` serves it), calling the WSGI
application with a token.

Every GET operation and the update POST get generated requests (bounded: ``MAX_EJEMPLOS`` each); none
may answer 500, and every answer must be one the schema declares (status, content type, body).
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given
from hypothesis import settings as ejemplos
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from comisiones.models import Atribucion, Comision
from convenios.models import Compromiso
from reportes.models import InformeEmitido
from reportes.services import emitir_informe

from .conftest import clave_de_api

pytestmark = pytest.mark.archivos

MAX_EJEMPLOS = 20
CHEQUEOS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def sin_cerrar_la_conexion():
    """As Django's test Client does: a request through the real WSGI handler must not close the
    connection that holds the test's transaction (PostgreSQL), at its start or end."""
    for senal in (signals.request_started, signals.request_finished):
        senal.disconnect(close_old_connections)
    yield
    for senal in (signals.request_started, signals.request_finished):
        senal.connect(close_old_connections)


@pytest.fixture
def datos_api(semilla, usuarios, sin_cerrar_la_conexion) -> dict:
    """The seed, an issued report, and a Capturista's token (Capturista reads everything and records)."""
    informe, _pdf = emitir_informe(
        InformeEmitido.Tipo.CONVENIO, semilla, semilla.fecha_inicio, usuarios["gerente"]
    )
    return {
        "token": clave_de_api(usuarios["capturista"]),
        # What a path parameter is replaced by in half the cases, so existing items are exercised too.
        "reales": {
            "id": {"compromiso": Compromiso.objects.first().pk, "atribucion": Atribucion.objects.first().pk},
            "slug": {"convenio": semilla.slug, "comision": Comision.objects.first().slug},
            "folio": {"informe": informe.folio},
        },
    }


def esquema_de_la_api():
    """The document ``api:esquema`` serves (same generator and renderer), without a request. Built
    inside the test, with its database: the enums (active statuses, convenios, commissions) are read
    from the catalogues, as when the schema is served."""
    documento = SchemaGenerator().get_schema(request=None, public=True)
    cargado = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(documento)))
    cargado.app = WSGIHandler()  # requests go through Django's whole stack: middleware, CSP, log
    return cargado.include(method=["GET", "POST"])


def con_elementos_reales(case, reales: dict) -> None:
    recurso = {"compromisos": "compromiso", "atribuciones": "atribucion", "convenios": "convenio"}.get(
        case.path.split("/")[3],
        {"comisiones": "comision", "informes": "informe"}.get(case.path.split("/")[3]),
    )
    for nombre, valor in list((case.path_parameters or {}).items()):
        real = reales.get(nombre, {}).get(recurso)
        if real is not None and len(str(valor)) % 2 == 0:
            case.path_parameters[nombre] = real


def test_every_operation_answers_as_its_schema_says(datos_api, settings):
    settings.API_LIMITE = "100000/min"  # one test for all operations: the limit has its own tests
    cabeceras = {"Authorization": f"Token {datos_api['token']}"}
    operaciones = [resultado.ok() for resultado in esquema_de_la_api().get_all_operations()]
    assert len(operaciones) == 24
    for operacion in operaciones:

        @given(case=operacion.as_strategy())
        @ejemplos(
            max_examples=MAX_EJEMPLOS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        def probar(case):
            con_elementos_reales(case, datos_api["reales"])
            case.call_and_validate(headers=cabeceras, checks=CHEQUEOS)

        probar()
