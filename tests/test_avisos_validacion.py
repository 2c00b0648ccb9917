"""Reminders of the validation loop (issue 21), with the locmem mail backend: each Enlace gets one
digest with its institutions' overdue and due-soon commitments and the proposals returned to it (both
kinds of item); each validator, what has waited more than ``DIAS_PARA_VALIDAR`` days. Once each."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from convenios.services import solicitar_prorroga
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
def mundo(db, settings):
    settings.DIAS_PARA_VALIDAR = 5
    parte = ParteFactory()
    comision = ComisionFactory()
    enlace = crear_enlace("enlace_avisos", [parte.dependencia], [comision])
    enlace.email = "enlace@example.gob.mx"
    enlace.save()
    capturista = UsuarioFactory(username="capt_avisos", rol="Capturista", email="capt@example.gob.mx")
    return {"parte": parte, "comision": comision, "enlace": enlace, "capturista": capturista}


def enviar() -> list:
    antes = len(mail.outbox)
    call_command("enviar_recordatorios", stdout=io.StringIO())
    return mail.outbox[antes:]


def para(correos, usuario) -> list:
    return [c for c in correos if c.to == [usuario.email]]


def propuesta(elemento, enlace):
    return proponer(
        elemento,
        estatus=Estatus.objects.get(slug="en-proceso"),
        fecha_efectiva=timezone.localdate(),
        usuario=enlace,
        version=elemento.version,
    )


def test_an_enlace_gets_one_digest_with_its_returned_proposals_of_both_kinds_once(mundo):
    m = mundo
    compromiso = CompromisoFactory(convenio=m["parte"].convenio, responsable=m["parte"])
    atribucion = AtribucionFactory(comision=m["comision"])
    for elemento in (compromiso, atribucion):
        devolver_propuesta(
            propuesta(elemento, m["enlace"]), usuario=m["capturista"], observaciones=f"Falta {elemento.pk}."
        )
    correos = para(enviar(), m["enlace"])
    assert len(correos) == 1
    texto = correos[0].body
    assert "Propuestas devueltas con observaciones" in texto
    assert f"Falta {compromiso.pk}." in texto and f"Falta {atribucion.pk}." in texto
    assert para(enviar(), m["enlace"]) == []  # once
    # Proposed again and returned again: a new alert.
    devolver_propuesta(propuesta(compromiso, m["enlace"]), usuario=m["capturista"], observaciones="Otra vez.")
    correos = para(enviar(), m["enlace"])
    assert (
        len(correos) == 1
        and "Otra vez." in correos[0].body
        and f"Falta {atribucion.pk}." not in correos[0].body
    )


def test_the_enlace_digest_carries_its_overdue_commitments_in_the_same_email(mundo):
    m = mundo
    hoy = timezone.localdate()
    vencido = CompromisoFactory(convenio=m["parte"].convenio, responsable=m["parte"], fecha_limite=hoy - DIA)
    atribucion = AtribucionFactory(comision=m["comision"])
    devolver_propuesta(propuesta(atribucion, m["enlace"]), usuario=m["capturista"], observaciones="Corrija.")
    correos = para(enviar(), m["enlace"])
    assert len(correos) == 1
    assert vencido.texto[:40] in correos[0].body and "Corrija." in correos[0].body


@pytest.mark.parametrize(("dias", "avisa"), [(5, False), (6, True)])
def test_a_validator_hears_of_what_waits_more_than_the_setting(mundo, dias, avisa):
    m = mundo
    with reloj_en(DIA_FIJO - dias * DIA):
        compromiso = CompromisoFactory(
            convenio=m["parte"].convenio, responsable=m["parte"], fecha_limite=DIA_FIJO
        )
        propuesta(compromiso, m["enlace"])
        propuesta(AtribucionFactory(comision=m["comision"]), m["enlace"])
        solicitar_prorroga(
            compromiso, fecha_nueva=DIA_FIJO + 30 * DIA, justificacion="Lluvias.", usuario=m["enlace"]
        )
    with reloj_en(DIA_FIJO):
        correos = para(enviar(), m["capturista"])
        texto = "".join(c.body for c in correos)
        assert ("Por validar desde hace más de 5 días" in texto) is avisa
        if avisa:
            assert texto.count("- Propuesta ") == 2 and texto.count("- Prórroga ") == 1
            assert "Por validar desde hace" not in "".join(c.body for c in para(enviar(), m["capturista"]))
