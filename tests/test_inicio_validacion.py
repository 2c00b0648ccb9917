"""The home page's parts of issue 21: an Enlace's own (returned proposals, its pending proposals and
extension requests) and, for a validator, «Por validar» (how many wait, and for how many days the
oldest has). Both kinds of item; query counts flat at two sizes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from convenios.services import decidir_prorroga, solicitar_prorroga
from seguimiento.models import Estatus
from seguimiento.services import devolver_propuesta, proponer

from .conftest import DIA_FIJO, reloj_en
from .factories import (
    AtribucionFactory,
    ComisionFactory,
    CompromisoFactory,
    ParteFactory,
    UsuarioFactory,
    crear_enlace,
)

DIA = datetime.timedelta(days=1)


@pytest.fixture
def mundo(db):
    parte = ParteFactory()
    comision = ComisionFactory()
    otra = ParteFactory()
    return {
        "parte": parte,
        "comision": comision,
        "enlace": crear_enlace("enlace_inicio", [parte.dependencia], [comision]),
        "ajeno": crear_enlace("enlace_otro", [otra.dependencia], [ComisionFactory()]),
        "otra": otra,
        "capturista": UsuarioFactory(username="capturista_inicio", rol="Capturista"),
    }


def compromiso_de(parte):
    return CompromisoFactory(
        convenio=parte.convenio, responsable=parte, fecha_limite=timezone.localdate() + 5 * DIA
    )


def propuesta(elemento, enlace):
    return proponer(
        elemento,
        estatus=Estatus.objects.get(slug="en-proceso"),
        fecha_efectiva=timezone.localdate(),
        usuario=enlace,
        version=elemento.version,
    )


def prorroga(compromiso, enlace):
    return solicitar_prorroga(
        compromiso, fecha_nueva=timezone.localdate() + 60 * DIA, justificacion="Razón.", usuario=enlace
    )


def inicio(client, usuario):
    client.force_login(usuario)
    return client.get(reverse("inicio"))


def test_a_validator_sees_how_many_wait_and_the_oldest_days(client, mundo):
    m = mundo
    with reloj_en(DIA_FIJO - 7 * DIA):
        prorroga(compromiso_de(m["parte"]), m["enlace"])
    with reloj_en(DIA_FIJO - 3 * DIA):
        propuesta(compromiso_de(m["parte"]), m["enlace"])
        propuesta(AtribucionFactory(comision=m["comision"]), m["enlace"])
    propuesta(compromiso_de(m["parte"]), m["enlace"])
    with reloj_en(DIA_FIJO):
        respuesta = inicio(client, m["capturista"])
    esperas = {e.clave: (e.total, e.dias) for e in respuesta.context["por_validar"]}
    assert esperas == {
        "propuestas-propuesta": (2, 3),
        "propuestas-propuestaatribucion": (1, 3),
        "prorrogas": (1, 7),
    }
    html = respuesta.content.decode()
    assert "Por validar" in html and "Solicitudes de prórroga: <strong>1</strong>" in html
    assert "desde hace 7 días" in html


def test_decided_ones_do_not_wait_and_other_roles_see_no_queue(client, mundo, usuarios):
    m = mundo
    solicitud = prorroga(compromiso_de(m["parte"]), m["enlace"])
    decidir_prorroga(solicitud, tipo="aprobada", usuario=m["capturista"])
    assert inicio(client, m["capturista"]).context["por_validar"] == []
    prorroga(compromiso_de(m["parte"]), m["enlace"])
    for rol in ("gerente", "auditor"):
        contexto = inicio(client, usuarios[rol]).context
        assert contexto["por_validar"] == [] and contexto["bandeja"] is None
    assert len(inicio(client, m["capturista"]).context["por_validar"]) == 1


def test_an_enlace_sees_its_returned_and_pending_proposals_and_extension_requests(client, mundo):
    m = mundo
    devuelto = compromiso_de(m["parte"])
    devolver_propuesta(
        propuesta(devuelto, m["enlace"]), usuario=m["capturista"], observaciones="Falta el oficio."
    )
    atribucion = AtribucionFactory(comision=m["comision"])
    pendiente = propuesta(atribucion, m["enlace"])
    extendido = compromiso_de(m["parte"])
    solicitud = prorroga(extendido, m["enlace"])
    # Another institution's, which it must not see.
    ajeno = compromiso_de(m["otra"])
    devolver_propuesta(propuesta(ajeno, m["ajeno"]), usuario=m["capturista"], observaciones="Ajena.")
    prorroga(compromiso_de(m["otra"]), m["ajeno"])

    respuesta = inicio(client, m["enlace"])
    bandeja = respuesta.context["bandeja"]
    assert [e.pk for e in bandeja.devueltas] == [devuelto.pk]
    assert [p.pk for p in bandeja.propuestas] == [pendiente.pk]
    assert [s.pk for s in bandeja.prorrogas] == [solicitud.pk]
    html = respuesta.content.decode()
    assert "Su institución" in html and "Falta el oficio." in html and "Ajena." not in html
    assert respuesta.context["por_validar"] == []
    # Proposed again: no longer «returned»; the extension decided: no longer pending.
    propuesta(devuelto, m["enlace"])
    decidir_prorroga(solicitud, tipo="aprobada", usuario=m["capturista"])
    bandeja = inicio(client, m["enlace"]).context["bandeja"]
    assert bandeja.devueltas == [] and bandeja.prorrogas == []
    assert {p.elemento.pk for p in bandeja.propuestas} == {devuelto.pk, atribucion.pk}


def consultas(client, usuario) -> int:
    client.force_login(usuario)
    with CaptureQueriesContext(connection) as capturadas:
        assert client.get(reverse("inicio")).status_code == 200
    return len(capturadas.captured_queries)


def test_the_new_sections_cost_the_same_queries_at_two_sizes(client, mundo):
    m = mundo

    def agregar(cantidad):
        for _ in range(cantidad):
            c = compromiso_de(m["parte"])
            devolver_propuesta(propuesta(c, m["enlace"]), usuario=m["capturista"], observaciones="No.")
            propuesta(AtribucionFactory(comision=m["comision"]), m["enlace"])
            prorroga(compromiso_de(m["parte"]), m["enlace"])

    agregar(2)
    enlace, capturista = consultas(client, m["enlace"]), consultas(client, m["capturista"])
    agregar(15)
    assert consultas(client, m["enlace"]) == enlace
    assert consultas(client, m["capturista"]) == capturista
