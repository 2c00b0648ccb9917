"""Proposals (issue 21): an institution's liaison (Enlace) proposes a status update with evidence; it
is not in effect until a validator (Capturista) accepts it from the queue, which records the update,
or returns it with observations. Every test runs once per kind of item (commitments and duties)."""

import datetime
import io
import re
import threading
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from comisiones.models import Atribucion
from convenios.models import Compromiso, Dependencia
from seguimiento.models import HistorialInmutableError, Seguible
from seguimiento.services import (
    PropuestaDecididaError,
    PropuestaPendienteError,
    VersionObsoletaError,
    aceptar_propuesta,
    devolver_propuesta,
    proponer,
)

from .conftest import (
    DIA_FIJO,
    ENLACE_DE_LA_SEMILLA,
    a_la_vez,
    con_token,
    crear_enlace_de,
    leer_privado,
    reloj_en,
    restaurar_datos_de_migraciones,
)
from .factories import (
    AtribucionFactory,
    ComisionFactory,
    CompromisoFactory,
    ConvenioFactory,
    DependenciaFactory,
    ParteFactory,
    UsuarioFactory,
    crear_enlace,
    registrar_actualizacion,
)
from .test_base_de_datos import conectar_como, rechaza
from .test_base_de_datos import rol_de_la_app as _rol_de_la_app

rol_de_la_app = _rol_de_la_app  # the fixture: a PostgreSQL role made by crear_rol_bd

SLUG_CONVENIO = "convenio-de-colaboracion-www-datos-gob-mx"
SLUG_COMISION = "gobierno-abierto-y-transparencia-proactiva"
TAMAULIPAS = "Gobierno del Estado de Tamaulipas"


@pytest.fixture(scope="session")
def pdf_real() -> bytes:
    return HTML(string="<h1>Oficio de cumplimiento</h1><p>Evidencia de la institución.</p>").write_pdf()


def archivo(nombre: str, contenido: bytes):
    """A file as the test client uploads it (a form's POST)."""
    subido = io.BytesIO(contenido)
    subido.name = nombre
    return subido


def subido(nombre: str, contenido: bytes) -> SimpleUploadedFile:
    """A file as a view hands it to the service."""
    return SimpleUploadedFile(nombre, contenido)


@dataclass(frozen=True)
class Tipo:
    espacio: str
    modelo: type[Seguible]

    def del_enlace(self) -> Seguible:
        """An item of the seed the liaison (``enlace``) may propose for."""
        if self.modelo is Compromiso:
            return Compromiso.objects.filter(
                convenio__slug=SLUG_CONVENIO, responsable__dependencia__nombre=TAMAULIPAS
            ).order_by("numero")[0]
        return Atribucion.objects.filter(comision__slug=SLUG_COMISION).order_by("numero")[0]

    def ajeno(self) -> Seguible:
        """An item of another institution (commitment) or commission (duty)."""
        if self.modelo is Compromiso:
            otra = ParteFactory(convenio=ConvenioFactory(), dependencia=DependenciaFactory())
            return CompromisoFactory(convenio=otra.convenio, responsable=otra)
        return AtribucionFactory(comision=ComisionFactory())


TIPOS = {"compromiso": Tipo("convenios", Compromiso), "atribucion": Tipo("comisiones", Atribucion)}


@pytest.fixture(params=list(TIPOS))
def tipo(request) -> Tipo:
    return TIPOS[request.param]


@pytest.fixture
def enlace(semilla, usuarios):
    """The seed convenio's state-government liaison, linked to the seed commission too: conftest's
    «enlace», linked again here in case the users were made before the seed."""
    return crear_enlace_de("enlace", ENLACE_DE_LA_SEMILLA)


@pytest.fixture
def elemento(tipo, enlace) -> Seguible:
    return tipo.del_enlace()


def datos(elemento, **cambios) -> dict:
    base = {
        "estatus": "cumplido",
        "fecha": timezone.localdate().isoformat(),
        "nota": "La institución publicó los conjuntos de datos.",
        "version": type(elemento).objects.get(pk=elemento.pk).version,
    }
    base.update(cambios)
    return {k: v for k, v in base.items() if v is not None}


def url_proponer(elemento) -> str:
    return reverse(f"{elemento._meta.app_label}:proponer", args=[elemento.pk])


def url_decidir(propuesta) -> str:
    return reverse(f"{propuesta._meta.app_label}:decidir", args=[propuesta.pk])


def propuestas(elemento):
    return type(elemento).modelo_propuesta().objects.filter(**{elemento._meta.model_name: elemento})


def estado(elemento) -> tuple:
    """Everything that makes the item's status: its row (copies, pointer, version) and its history."""
    modelo = type(elemento)
    return (
        modelo.objects.filter(pk=elemento.pk).values().get(),
        list(elemento.actualizaciones.order_by("pk").values()),
    )


def propuesta_de(elemento, enlace, **cambios):
    valores = {
        "estatus": cambios.pop("estatus", None) or _estatus("cumplido"),
        "fecha_efectiva": timezone.localdate(),
        "usuario": enlace,
        "version": type(elemento).objects.get(pk=elemento.pk).version,
        "nota": "Avance reportado.",
        **cambios,
    }
    return proponer(type(elemento).objects.get(pk=elemento.pk), **valores)


def _estatus(slug):
    from seguimiento.models import Estatus

    return Estatus.objects.get(slug=slug)


# Proposing -----------------------------------------------------------------------------------------


@pytest.mark.archivos
def test_enlace_proposes_with_evidence_and_nothing_of_the_item_changes(client, elemento, enlace, pdf_real):
    antes = estado(elemento)
    client.force_login(enlace)
    respuesta = client.post(
        url_proponer(elemento), {**datos(elemento), "evidencia": archivo("oficio.pdf", pdf_real)}
    )
    assert respuesta.status_code == 302
    assert respuesta["Location"] == elemento.get_absolute_url()
    assert estado(elemento) == antes
    assert not type(elemento).objects.desacordes().exists()
    propuesta = propuestas(elemento).get()
    assert propuesta.propuesto_por == enlace
    assert propuesta.estatus.slug == "cumplido"
    assert propuesta.version == antes[0]["version"]
    assert propuesta.estatus_anterior_id == antes[0]["estatus_vigente_id"]
    assert propuesta.dependencia.nombre == TAMAULIPAS
    assert propuesta.decision_o_none() is None
    assert leer_privado(propuesta.evidencia.name) == pdf_real


def test_the_proposal_form_is_the_update_form(client, elemento, enlace):
    client.force_login(enlace)
    pagina = client.get(url_proponer(elemento)).content.decode()
    for campo in ("estatus", "fecha", "nota", "nota_publica", "evidencia", "enlace", "version"):
        assert f'name="{campo}"' in pagina
    assert "Proponer actualización" in pagina and "Enviar propuesta" in pagina
    en_linea = client.get(url_proponer(elemento), headers={"HX-Request": "true"}).content.decode()
    assert en_linea.lstrip().startswith(f'<tr id="{elemento.ancla}" class="editando"')
    assert f'hx-post="{url_proponer(elemento)}"' in en_linea


MALOS = {
    "fecha futura": ({"fecha": "2999-01-01"}, "La fecha efectiva no puede estar en el futuro."),
    "desfavorable sin nota": ({"estatus": "incumplido", "nota": ""}, "Escriba una nota que explique"),
    "estatus inexistente": ({"estatus": "inventado"}, "opción válida"),
    "sin versión": ({"version": None}, "Falta la versión del formulario"),
}


@pytest.mark.parametrize("caso", list(MALOS))
def test_bad_input_gets_the_updates_messages_and_writes_nothing(client, elemento, enlace, caso):
    cambios, mensaje = MALOS[caso]
    client.force_login(enlace)
    respuesta = client.post(url_proponer(elemento), datos(elemento, **cambios))
    assert respuesta.status_code == 400
    assert mensaje in respuesta.content.decode()
    assert not propuestas(elemento).exists()


def test_a_disguised_file_is_refused_as_for_an_update(client, elemento, enlace):
    client.force_login(enlace)
    respuesta = client.post(
        url_proponer(elemento),
        {**datos(elemento), "evidencia": archivo("oficio.pdf", b"MZ\x90\x00 no soy PDF")},
    )
    assert respuesta.status_code == 400
    assert "no es de un tipo aceptado" in respuesta.content.decode()
    assert not propuestas(elemento).exists()


@pytest.mark.archivos
def test_evidence_is_held_across_a_refused_form_and_kept_with_the_proposal(
    client, elemento, enlace, pdf_real
):
    client.force_login(enlace)
    primera = client.post(
        url_proponer(elemento),
        {**datos(elemento, fecha="2999-01-01"), "evidencia": archivo("oficio.pdf", pdf_real)},
    )
    assert primera.status_code == 400
    token = primera.context["evidencia_retenida"].token
    assert "oficio.pdf" in primera.content.decode()
    segunda = client.post(url_proponer(elemento), {**datos(elemento), "evidencia_retenida": token})
    assert segunda.status_code == 302
    propuesta = propuestas(elemento).get()
    assert leer_privado(propuesta.evidencia.name) == pdf_real


def test_a_second_proposal_while_one_is_pending_gets_409_naming_it(client, elemento, enlace):
    client.force_login(enlace)
    assert client.post(url_proponer(elemento), datos(elemento, estatus="en-proceso")).status_code == 302
    respuesta = client.post(url_proponer(elemento), datos(elemento, estatus="cumplido"))
    assert respuesta.status_code == 409
    contenido = respuesta.content.decode()
    assert "Ya hay una propuesta pendiente" in contenido and "«En proceso»" in contenido
    assert propuestas(elemento).count() == 1


def test_a_proposal_on_a_stale_version_gets_409(client, elemento, enlace, usuarios):
    version = type(elemento).objects.get(pk=elemento.pk).version
    registrar_actualizacion(
        elemento,
        estatus=_estatus("en-proceso"),
        fecha_efectiva=timezone.localdate(),
        usuario=usuarios["capturista"],
    )
    client.force_login(enlace)
    respuesta = client.post(url_proponer(elemento), datos(elemento, version=version))
    assert respuesta.status_code == 409
    assert "otra persona registró una actualización" in respuesta.content.decode()
    assert not propuestas(elemento).exists()


def test_an_item_the_enlace_may_not_propose_for_is_404(client, tipo, enlace):
    ajeno = tipo.ajeno()
    client.force_login(enlace)
    assert client.get(url_proponer(ajeno)).status_code == 404
    assert client.post(url_proponer(ajeno), datos(ajeno)).status_code == 404
    assert not propuestas(ajeno).exists()


def test_another_institutions_commitment_in_the_enlaces_convenio_is_404(client, semilla, enlace):
    otra = ParteFactory(convenio=semilla, dependencia=DependenciaFactory())
    suyo_no = CompromisoFactory(convenio=semilla, responsable=otra, numero=900)
    conjunto = Compromiso.objects.filter(convenio=semilla, responsable=None).first()
    client.force_login(enlace)
    assert client.get(url_proponer(suyo_no)).status_code == 404
    assert client.get(url_proponer(conjunto)).status_code == 200


@pytest.mark.parametrize("rol", ["capturista", "gerente", "auditor", "importador", "sin_rol"])
def test_roles_without_the_proposal_permission_get_403(client, usuarios, elemento, rol):
    client.force_login(usuarios[rol])
    assert client.post(url_proponer(elemento), datos(elemento)).status_code == 403


# Not in effect -------------------------------------------------------------------------------------


def cuerpo(respuesta) -> bytes:
    """The response's bytes, without what differs on every request (the CSRF token, a CSP nonce)."""
    contenido = b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content
    return re.sub(rb'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"', b"", contenido)


def lo_publicado(client, usuarios, tipo) -> dict:
    """What the report, the open data, the public board and the home page say, by content."""
    client.force_login(usuarios["gerente"])
    informe = (
        reverse("reportes:informe", args=[SLUG_CONVENIO])
        if tipo.modelo is Compromiso
        else reverse("reportes:comision", args=[SLUG_COMISION])
    )
    datos_abiertos = "compromisos" if tipo.modelo is Compromiso else "atribuciones"
    resultado = {
        "informe": cuerpo(client.get(informe)),
        "datos": cuerpo(client.get(reverse("datos:archivo", args=[datos_abiertos, "csv"]))),
        "tablero": cuerpo(client.get(reverse("datos:portal"))),
        "inicio": cuerpo(client.get(reverse("inicio"))),
    }
    client.logout()
    return resultado


def test_a_pending_proposal_changes_no_report_open_data_board_or_count(
    client, usuarios, elemento, tipo, enlace
):
    antes = lo_publicado(client, usuarios, tipo)
    propuesta_de(elemento, enlace, estatus=_estatus("cumplido"))
    despues = lo_publicado(client, usuarios, tipo)
    for nombre in antes:
        assert despues[nombre] == antes[nombre], nombre


def test_the_row_shows_the_pending_proposal_to_those_who_see_proposals(client, usuarios, elemento, enlace):
    propuesta_de(elemento, enlace)
    pagina = elemento.contenedor.get_absolute_url()
    for rol in ("capturista", "gerente", "auditor", "admin"):
        client.force_login(usuarios[rol])
        assert "Propuesta pendiente" in client.get(pagina).content.decode(), rol
    client.force_login(enlace)
    fila = client.get(elemento.url_fila).content.decode()
    assert "Propuesta pendiente" in fila
    assert url_proponer(elemento) not in fila  # no second proposal offered while one waits


def test_the_enlace_is_offered_to_propose_only_for_its_own_items(client, semilla, enlace):
    client.force_login(enlace)
    pagina = client.get(semilla.get_absolute_url()).content.decode()
    proponibles = Compromiso.objects.proponibles_para(enlace).filter(convenio=semilla)
    assert proponibles.exists()
    for compromiso in Compromiso.objects.filter(convenio=semilla):
        assert (url_proponer(compromiso) in pagina) == proponibles.filter(pk=compromiso.pk).exists()


# Validating ----------------------------------------------------------------------------------------


@pytest.mark.archivos
def test_the_queue_lists_both_kinds_oldest_first_with_what_to_decide(
    client, usuarios, semilla, enlace, pdf_real
):
    compromiso, atribucion = TIPOS["compromiso"].del_enlace(), TIPOS["atribucion"].del_enlace()
    with reloj_en(DIA_FIJO - datetime.timedelta(days=2)):
        propuesta_de(atribucion, enlace, nota="Primero la atribución")
    propuesta_de(compromiso, enlace, nota="Luego el compromiso", evidencia=subido("oficio.pdf", pdf_real))
    client.force_login(usuarios["capturista"])
    respuesta = client.get(reverse("seguimiento:por_validar"))
    assert respuesta.status_code == 200
    pagina = respuesta.content.decode()
    assert pagina.index("Primero la atribución") < pagina.index("Luego el compromiso")
    assert f"enlace ({TAMAULIPAS})" in pagina
    assert "2 propuestas pendientes" in pagina
    evidencia = compromiso.propuestas.get().url_evidencia
    assert f'href="{evidencia}"' in pagina
    assert b"".join(client.get(evidencia).streaming_content) == pdf_real
    assert 'class="insignia-conteo">2<' in pagina
    # The home page's menu reads the same count from its «Por validar» section.
    assert 'class="insignia-conteo">2<' in client.get(reverse("inicio")).content.decode()


def test_the_queue_filters_by_convenio_commission_and_institution(client, usuarios, semilla, enlace):
    compromiso, atribucion = TIPOS["compromiso"].del_enlace(), TIPOS["atribucion"].del_enlace()
    propuesta_de(compromiso, enlace, nota="Nota del compromiso")
    propuesta_de(atribucion, enlace, nota="Nota de la atribución")
    ajeno = TIPOS["compromiso"].ajeno()
    otro = crear_enlace("otro", [ajeno.responsable.dependencia])
    propuesta_de(ajeno, otro, nota="Nota ajena")
    client.force_login(usuarios["capturista"])
    cola = reverse("seguimiento:por_validar")

    def notas(**filtros) -> set[str]:
        pagina = client.get(cola, filtros).content.decode()
        return {n for n in ("Nota del compromiso", "Nota de la atribución", "Nota ajena") if n in pagina}

    assert notas() == {"Nota del compromiso", "Nota de la atribución", "Nota ajena"}
    assert notas(convenio=SLUG_CONVENIO) == {"Nota del compromiso"}
    assert notas(comision=SLUG_COMISION) == {"Nota de la atribución"}
    assert notas(dependencia=ajeno.responsable.dependencia_id) == {"Nota ajena"}
    tamaulipas = Dependencia.objects.get(nombre=TAMAULIPAS).pk
    assert notas(dependencia=tamaulipas) == {"Nota del compromiso", "Nota de la atribución"}


@pytest.mark.archivos
def test_accepting_records_the_update_by_the_validator_at_acceptance_linked_to_the_proposal(
    client, usuarios, elemento, enlace, pdf_real
):
    with reloj_en(DIA_FIJO - datetime.timedelta(days=2)):
        propuesta = propuesta_de(elemento, enlace, evidencia=subido("oficio.pdf", pdf_real))
    version = type(elemento).objects.get(pk=elemento.pk).version
    client.force_login(usuarios["capturista"])
    antes = timezone.now()
    respuesta = client.post(
        url_decidir(propuesta), {"decision": "aceptar", "observaciones": "Conforme.", "version": version}
    )
    assert respuesta.status_code == 302 and respuesta["Location"] == reverse("seguimiento:por_validar")
    elemento.refresh_from_db()
    actualizacion = elemento.ultima_actualizacion
    assert elemento.estatus_vigente.slug == "cumplido" and elemento.version == version + 1
    assert actualizacion.propuesta == propuesta
    assert actualizacion.registrado_por == usuarios["capturista"]
    assert actualizacion.registrado_en >= antes
    assert actualizacion.evidencia.name == propuesta.evidencia.name
    assert leer_privado(actualizacion.evidencia.name) == pdf_real
    decision = type(propuesta).objects.get(pk=propuesta.pk).decision
    assert (decision.tipo, decision.observaciones, decision.decidido_por) == (
        "aceptada",
        "Conforme.",
        usuarios["capturista"],
    )
    assert not type(elemento).objects.desacordes().exists()
    assert "No hay propuestas pendientes" in client.get(reverse("seguimiento:por_validar")).content.decode()


def test_returning_requires_observations_and_the_enlace_sees_them_and_proposes_again(
    client, usuarios, elemento, enlace
):
    propuesta = propuesta_de(elemento, enlace)
    client.force_login(usuarios["capturista"])
    sin = client.post(url_decidir(propuesta), {"decision": "devolver", "observaciones": "  "})
    assert sin.status_code == 400
    assert "Escriba las observaciones" in sin.content.decode()
    assert propuesta.decision_o_none() is None
    antes = estado(elemento)
    con = client.post(
        url_decidir(propuesta), {"decision": "devolver", "observaciones": "Falta el oficio firmado."}
    )
    assert con.status_code == 302
    assert estado(elemento) == antes
    client.force_login(enlace)
    fila = client.get(elemento.url_fila).content.decode()
    assert "Propuesta devuelta con observaciones" in fila and "Falta el oficio firmado." in fila
    assert url_proponer(elemento) in fila
    assert "Falta el oficio firmado." in client.get(url_proponer(elemento)).content.decode()
    assert client.post(url_proponer(elemento), datos(elemento)).status_code == 302


def test_an_unknown_decision_is_400_and_a_get_is_refused(client, usuarios, elemento, enlace):
    propuesta = propuesta_de(elemento, enlace)
    client.force_login(usuarios["capturista"])
    assert client.post(url_decidir(propuesta), {"decision": "borrar"}).status_code == 400
    assert client.get(url_decidir(propuesta)).status_code == 405
    assert propuesta.decision_o_none() is None


@pytest.mark.archivos
def test_a_proposal_overtaken_by_an_update_is_shown_so_and_a_stale_accept_keeps_it_pending(
    client, usuarios, elemento, enlace, pdf_real
):
    propuesta = propuesta_de(elemento, enlace, evidencia=subido("oficio.pdf", pdf_real))
    version_vista = type(elemento).objects.get(pk=elemento.pk).version
    registrar_actualizacion(
        elemento,
        estatus=_estatus("en-proceso"),
        fecha_efectiva=timezone.localdate(),
        usuario=usuarios["admin"],
    )
    client.force_login(usuarios["capturista"])
    cola = client.get(reverse("seguimiento:por_validar")).content.decode()
    assert "recibió otra actualización después de esta propuesta" in cola
    antes = estado(elemento)
    respuesta = client.post(url_decidir(propuesta), {"decision": "aceptar", "version": version_vista})
    assert respuesta.status_code == 409
    assert "sigue pendiente, con su evidencia" in respuesta.content.decode()
    assert estado(elemento) == antes
    assert propuesta.decision_o_none() is None
    assert b"".join(client.get(propuesta.url_evidencia).streaming_content) == pdf_real
    # Having seen the newer update, the validator accepts on the current version.
    actual = type(elemento).objects.get(pk=elemento.pk).version
    assert client.post(url_decidir(propuesta), {"decision": "aceptar", "version": actual}).status_code == 302
    elemento.refresh_from_db()
    assert elemento.estatus_vigente.slug == "cumplido"


def test_a_proposal_whose_accept_fails_validation_stays_pending(usuarios, elemento, enlace):
    propuesta = propuesta_de(elemento, enlace)
    retirado = propuesta.estatus
    retirado.retirado = True
    retirado.save()
    with pytest.raises(ValidationError):
        aceptar_propuesta(propuesta, usuario=usuarios["capturista"])
    assert propuesta.decision_o_none() is None
    assert not elemento.actualizaciones.filter(propuesta=propuesta).exists()


def test_a_decided_proposal_cannot_be_decided_again(usuarios, elemento, enlace):
    propuesta = propuesta_de(elemento, enlace)
    devolver_propuesta(propuesta, usuario=usuarios["capturista"], observaciones="No procede.")
    with pytest.raises(PropuestaDecididaError, match="ya fue devuelta por capturista"):
        aceptar_propuesta(propuesta, usuario=usuarios["admin"])
    with pytest.raises(PropuestaDecididaError):
        devolver_propuesta(propuesta, usuario=usuarios["admin"], observaciones="Otra vez.")


def test_the_service_refuses_a_second_pending_proposal(elemento, enlace):
    propuesta_de(elemento, enlace)
    with pytest.raises(PropuestaPendienteError, match="Ya hay una propuesta pendiente"):
        propuesta_de(elemento, enlace)


def test_the_service_refuses_a_stale_version(elemento, enlace, usuarios):
    version = type(elemento).objects.get(pk=elemento.pk).version
    registrar_actualizacion(elemento, estatus=_estatus("pendiente"), fecha_efectiva=timezone.localdate())
    with pytest.raises(VersionObsoletaError):
        propuesta_de(elemento, enlace, version=version)


@pytest.mark.parametrize("rol", ["gerente", "auditor", "importador"])
def test_only_who_records_updates_may_decide_or_open_the_queue(client, usuarios, elemento, enlace, rol):
    propuesta = propuesta_de(elemento, enlace)
    client.force_login(usuarios[rol])
    assert client.post(url_decidir(propuesta), {"decision": "aceptar"}).status_code == 403
    assert client.get(reverse("seguimiento:por_validar")).status_code == 403
    client.force_login(enlace)
    assert client.post(url_decidir(propuesta), {"decision": "aceptar"}).status_code == 403
    assert propuesta.decision_o_none() is None


@pytest.mark.archivos
def test_another_institutions_enlace_cannot_download_the_proposals_evidence(
    client, elemento, enlace, pdf_real
):
    propuesta = propuesta_de(elemento, enlace, evidencia=subido("oficio.pdf", pdf_real))
    otro = crear_enlace("enlace_b", [DependenciaFactory()], [ComisionFactory()])
    client.force_login(otro)
    assert client.get(propuesta.url_evidencia).status_code == 404
    client.force_login(enlace)
    assert client.get(propuesta.url_evidencia).status_code == 200


# History -------------------------------------------------------------------------------------------


def test_history_tells_proposals_and_decisions_in_order(client, usuarios, elemento, enlace):
    enlace.first_name, enlace.last_name = "Ana", "López"
    enlace.save()
    with reloj_en(DIA_FIJO - datetime.timedelta(days=3)):
        primera = propuesta_de(elemento, enlace, nota="Primera")
    with reloj_en(DIA_FIJO - datetime.timedelta(days=2)):
        devolver_propuesta(primera, usuario=usuarios["capturista"], observaciones="Falta evidencia.")
        segunda = propuesta_de(elemento, enlace, nota="Segunda")
    aceptar_propuesta(segunda, usuario=usuarios["admin"], comentario="Conforme.")
    client.force_login(usuarios["auditor"])
    completa = client.get(elemento.url_historial).content.decode()
    pagina = completa[completa.index('id="titulo-propuestas"') :]
    propuesto = f"Propuesto por Ana López ({TAMAULIPAS})"
    assert pagina.count(propuesto) == 2
    devuelto = "devuelto por capturista el 1 de diciembre de 2026, 12:00 con observaciones «Falta evidencia.»"
    assert devuelto in pagina
    assert "aceptado por admin el 3 de diciembre de 2026, 12:00 con el comentario «Conforme.»" in pagina
    assert (
        pagina.index("Primera")
        < pagina.index(devuelto)
        < pagina.index("Segunda")
        < pagina.index("aceptado por")
    )


# As of ---------------------------------------------------------------------------------------------


def test_accepted_late_it_is_in_a_report_as_of_its_date_drawn_today_but_not_as_known_then(
    usuarios, elemento, enlace
):
    dia1 = DIA_FIJO - datetime.timedelta(days=4)
    dia2, dia3 = dia1 + datetime.timedelta(days=1), dia1 + datetime.timedelta(days=2)
    modelo = type(elemento)
    antes = modelo.objects.con_estatus_al(dia2).get(pk=elemento.pk).estatus_al_id
    with reloj_en(dia1):
        propuesta = propuesta_de(elemento, enlace, estatus=_estatus("cumplido"), fecha_efectiva=dia1)
    with reloj_en(dia3):
        aceptar_propuesta(propuesta, usuario=usuarios["capturista"])
    cumplido = _estatus("cumplido").pk
    assert modelo.objects.con_estatus_al(dia2).get(pk=elemento.pk).estatus_al_id == cumplido
    fin_del_dia2 = timezone.make_aware(datetime.datetime.combine(dia2, datetime.time(23, 59, 59)))
    conocido = modelo.objects.con_estatus_al(dia2, conocido_al=fin_del_dia2).get(pk=elemento.pk)
    assert conocido.estatus_al_id == antes != cumplido


# Append-only ---------------------------------------------------------------------------------------


def test_proposals_and_decisions_cannot_be_changed_or_deleted(usuarios, elemento, enlace):
    propuesta = propuesta_de(elemento, enlace)
    decision = devolver_propuesta(propuesta, usuario=usuarios["capturista"], observaciones="No.")
    for fila in (propuesta, decision):
        with pytest.raises(HistorialInmutableError):
            fila.save()
        with pytest.raises(HistorialInmutableError):
            fila.delete()
        with pytest.raises(HistorialInmutableError):
            type(fila).objects.filter(pk=fila.pk).update(registrado_en=timezone.now())
        with pytest.raises(HistorialInmutableError):
            type(fila).objects.filter(pk=fila.pk).delete()


@pytest.mark.motor
def test_the_database_refuses_to_rewrite_a_proposal_or_a_decision(usuarios, elemento, enlace):
    propuesta = propuesta_de(elemento, enlace)
    decision = devolver_propuesta(propuesta, usuario=usuarios["capturista"], observaciones="No.")
    for fila, columna in ((propuesta, "nota"), (decision, "observaciones")):
        tabla = fila._meta.db_table
        with (
            pytest.raises(DatabaseError, match="solo anexión"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(f"UPDATE {tabla} SET {columna} = 'cambiada' WHERE id = %s", [fila.pk])
        if connection.vendor == "postgresql":
            with (
                pytest.raises(DatabaseError, match="solo anexión"),
                transaction.atomic(),
                connection.cursor() as c,
            ):
                c.execute(f"DELETE FROM {tabla} WHERE id = %s", [fila.pk])


@pytest.mark.postgres
@pytest.mark.parametrize("clave", list(TIPOS))
def test_as_the_app_role_proposals_are_appended_only_and_dated_by_the_database(rol_de_la_app, clave):
    restaurar_datos_de_migraciones()
    elemento = AtribucionFactory() if clave == "atribucion" else CompromisoFactory()
    quien = UsuarioFactory(username="quien")
    modelo = type(elemento).modelo_propuesta()
    tabla, decisiones = modelo._meta.db_table, modelo._meta.get_field("decision").related_model._meta.db_table
    with conectar_como(rol_de_la_app) as conexion:
        ahora = conexion.execute("SELECT now()").fetchone()[0]
        propuesta, registrado_en = conexion.execute(
            f"INSERT INTO {tabla} ({modelo.CAMPO_ELEMENTO}_id, estatus_id, fecha_efectiva, nota, "
            "nota_publica, evidencia, enlace, version, propuesto_por_id, registrado_en) VALUES "
            "(%s, %s, '2020-01-01', 'antedatada', false, '', '', 0, %s, '2020-01-01 09:00-06') "
            "RETURNING id, registrado_en",
            [elemento.pk, _estatus("cumplido").pk, quien.pk],
        ).fetchone()
        assert registrado_en >= ahora, "la hora de la base, no la que mandó el cliente"
        conexion.execute(
            f"INSERT INTO {decisiones} (propuesta_id, tipo, observaciones, decidido_por_id, registrado_en) "
            "VALUES (%s, 'devuelta', 'No.', %s, now())",
            [propuesta, quien.pk],
        )
        for nombre in (tabla, decisiones):
            for sentencia in (
                f"UPDATE {nombre} SET registrado_en = now()",
                f"DELETE FROM {nombre}",
                f"TRUNCATE {nombre}",
            ):
                assert "permission denied" in rechaza(conexion, sentencia), sentencia
    with pytest.raises(DatabaseError, match="solo anexión"), transaction.atomic(), connection.cursor() as c:
        c.execute(f"TRUNCATE {decisiones}")  # not even the owner


def test_the_enlace_role_may_propose_and_see_proposals_of_both_kinds(db):
    permisos = set(Group.objects.get(name="Enlace").permissions.values_list("codename", flat=True))
    assert {
        "add_propuesta",
        "view_propuesta",
        "add_propuestaatribucion",
        "view_propuestaatribucion",
    } <= permisos
    assert not {"add_actualizacion", "add_actualizacionatribucion"} & permisos


# Concurrency and size (PostgreSQL) -----------------------------------------------------------------


def _sin_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("los bloqueos de fila se prueban en PostgreSQL")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("clave", list(TIPOS))
def test_two_validators_at_once_exactly_one_wins(clave):
    _sin_postgresql()
    restaurar_datos_de_migraciones()
    if clave == "compromiso":
        parte = ParteFactory()
        elemento = CompromisoFactory(convenio=parte.convenio, responsable=parte)
        enlace = crear_enlace("enlace_hilos", [parte.dependencia])
    else:
        elemento = AtribucionFactory()
        enlace = crear_enlace("enlace_hilos", [], [elemento.comision])
    propuesta = propuesta_de(elemento, enlace)
    validadores = [UsuarioFactory(username=f"validador{i}", rol="Capturista") for i in range(4)]
    barrera = threading.Barrier(len(validadores))
    respuestas = []

    def decidir(persona, i):
        cliente = Client()
        cliente.force_login(persona)
        barrera.wait()
        cuerpo = {"decision": "aceptar"} if i % 2 else {"decision": "devolver", "observaciones": f"No {i}"}
        respuestas.append(cliente.post(url_decidir(propuesta), cuerpo).status_code)

    a_la_vez(decidir, validadores)

    assert sorted(respuestas) == [302] + [409] * (len(validadores) - 1)
    propuesta = type(propuesta).objects.get(pk=propuesta.pk)
    decision = propuesta.decision
    aceptadas = elemento.actualizaciones.filter(propuesta=propuesta).count()
    assert aceptadas == (1 if decision.tipo == "aceptada" else 0)


def _cola_con(cantidad: int, enlace, estatus) -> None:
    """``cantidad`` pending proposals, half on commitments and half on duties, written in bulk."""
    from comisiones.models import PropuestaAtribucion
    from convenios.models import Propuesta

    parte = ParteFactory()
    comision = ComisionFactory()
    mitad = cantidad // 2
    compromisos = Compromiso.objects.bulk_create(
        [
            Compromiso(convenio=parte.convenio, responsable=parte, numero=i + 1, texto=f"C{i}")
            for i in range(mitad)
        ]
    )
    atribuciones = Atribucion.objects.bulk_create(
        [
            Atribucion(comision=comision, materia="apertura", numero=i + 1, texto=f"A{i}")
            for i in range(cantidad - mitad)
        ]
    )
    hoy, ahora = timezone.localdate(), timezone.now()
    comun = {"estatus": estatus, "fecha_efectiva": hoy, "version": 0, "propuesto_por": enlace}
    comun["dependencia"] = parte.dependencia

    def momento(i: int) -> datetime.datetime:  # the two kinds alternate in the queue's order
        return ahora - datetime.timedelta(minutes=cantidad - i)

    Propuesta.objects.bulk_create(
        [Propuesta(compromiso=c, registrado_en=momento(2 * i), **comun) for i, c in enumerate(compromisos)]
    )
    PropuestaAtribucion.objects.bulk_create(
        [
            PropuestaAtribucion(atribucion=a, registrado_en=momento(2 * i + 1), **comun)
            for i, a in enumerate(atribuciones)
        ]
    )


@pytest.mark.volumen
@pytest.mark.parametrize("cantidad", [10, 1000])
def test_the_queue_costs_the_same_queries_at_10_and_1000_proposals(
    client, usuarios, cantidad, django_assert_num_queries
):
    enlace = crear_enlace("enlace_volumen", [])
    _cola_con(cantidad, enlace, _estatus("cumplido"))
    client.force_login(usuarios["capturista"])
    client.get(reverse("seguimiento:por_validar"))  # the session and the user, read once
    with django_assert_num_queries(CONSULTAS_DE_LA_COLA):
        respuesta = client.get(reverse("seguimiento:por_validar"))
    assert respuesta.status_code == 200
    assert f"{cantidad} propuestas pendientes" in respuesta.content.decode()


# Session, user, permissions; per kind, one grouped query (filter options and counts); the page's keys
# and their count (one UNION each); per kind, the page's rows. The menu's badge reuses the count; the
# «Prórrogas» entry's badge counts the pending extension requests (one).
CONSULTAS_DE_LA_COLA = 10


# API -----------------------------------------------------------------------------------------------


def url_api_proponer(elemento) -> str:
    return reverse(f"api:{elemento._meta.model_name}-propuestas", args=[elemento.pk])


def cuerpo_api(elemento, **cambios) -> dict:
    base = {
        "estatus": "cumplido",
        "fecha_efectiva": timezone.localdate().isoformat(),
        "nota": "Informe de la institución.",
        "version": type(elemento).objects.get(pk=elemento.pk).version,
    }
    return {**base, **cambios}


def test_api_enlace_proposes_and_nothing_of_the_item_changes(elemento, enlace):
    antes = estado(elemento)
    respuesta = con_token(enlace).post(url_api_proponer(elemento), cuerpo_api(elemento), "application/json")
    assert respuesta.status_code == 201, respuesta.content
    datos_api = respuesta.json()
    propuesta = propuestas(elemento).get()
    assert datos_api["id"] == f"{elemento._meta.model_name}-{propuesta.pk}"
    assert (datos_api["estado"], datos_api["estatus"], datos_api["dependencia"]) == (
        "pendiente",
        "cumplido",
        TAMAULIPAS,
    )
    assert estado(elemento) == antes


def test_api_proposal_refusals(elemento, tipo, enlace, usuarios):
    cliente = con_token(enlace)
    assert (
        cliente.post(
            url_api_proponer(elemento), cuerpo_api(elemento, fecha_efectiva="2999-01-01"), "application/json"
        ).status_code
        == 400
    )
    ajeno = tipo.ajeno()
    assert cliente.post(url_api_proponer(ajeno), cuerpo_api(ajeno), "application/json").status_code == 404
    assert (
        con_token(usuarios["capturista"])
        .post(url_api_proponer(elemento), cuerpo_api(elemento), "application/json")
        .status_code
        == 403
    )
    assert (
        cliente.post(url_api_proponer(elemento), cuerpo_api(elemento), "application/json").status_code == 201
    )
    segunda = cliente.post(url_api_proponer(elemento), cuerpo_api(elemento), "application/json")
    assert segunda.status_code == 409
    assert "Ya hay una propuesta pendiente" in segunda.json()["detail"]
    assert propuestas(elemento).count() == 1


def test_api_lists_an_enlaces_own_proposals_and_all_to_the_validator(semilla, enlace, usuarios):
    compromiso, atribucion = TIPOS["compromiso"].del_enlace(), TIPOS["atribucion"].del_enlace()
    mia = propuesta_de(compromiso, enlace)
    ajeno = TIPOS["compromiso"].ajeno()
    otro = crear_enlace("otro", [ajeno.responsable.dependencia])
    suya = propuesta_de(ajeno, otro)
    tercera = propuesta_de(atribucion, enlace)
    lista = reverse("api:propuesta-list")

    def ids(usuario) -> list[str]:
        return [p["id"] for p in con_token(usuario).get(lista).json()["results"]]

    assert ids(enlace) == [f"compromiso-{mia.pk}", f"atribucion-{tercera.pk}"]
    assert ids(otro) == [f"compromiso-{suya.pk}"]
    assert set(ids(usuarios["capturista"])) == {
        f"compromiso-{mia.pk}",
        f"compromiso-{suya.pk}",
        f"atribucion-{tercera.pk}",
    }


def test_api_validator_accepts_or_returns_and_nobody_decides_twice(elemento, enlace, usuarios):
    propuesta = propuesta_de(elemento, enlace)
    identificador = f"{elemento._meta.model_name}-{propuesta.pk}"
    decidir = reverse("api:propuesta-decision", args=[identificador])
    capturista = con_token(usuarios["capturista"])
    assert con_token(enlace).post(decidir, {"decision": "aceptar"}, "application/json").status_code == 403
    assert capturista.post(decidir, {"decision": "devolver"}, "application/json").status_code == 400
    assert capturista.post(decidir, {"decision": "borrar"}, "application/json").status_code == 400
    desconocida = reverse("api:propuesta-decision", args=[f"{elemento._meta.model_name}-999999"])
    assert capturista.post(desconocida, {"decision": "aceptar"}, "application/json").status_code == 404
    respuesta = capturista.post(
        decidir, {"decision": "aceptar", "observaciones": "Conforme."}, "application/json"
    )
    assert respuesta.status_code == 200, respuesta.content
    assert respuesta.json()["estado"] == "aceptada"
    assert respuesta.json()["decision"]["decidido_por"] == "capturista"
    elemento.refresh_from_db()
    assert elemento.estatus_vigente.slug == "cumplido"
    assert elemento.ultima_actualizacion.propuesta_id == propuesta.pk
    otra_vez = capturista.post(decidir, {"decision": "devolver", "observaciones": "No."}, "application/json")
    assert otra_vez.status_code == 409


def test_api_a_stale_accept_keeps_the_proposal_pending(elemento, enlace, usuarios):
    propuesta = propuesta_de(elemento, enlace)
    registrar_actualizacion(elemento, estatus=_estatus("en-proceso"), fecha_efectiva=timezone.localdate())
    decidir = reverse("api:propuesta-decision", args=[f"{elemento._meta.model_name}-{propuesta.pk}"])
    respuesta = con_token(usuarios["capturista"]).post(decidir, {"decision": "aceptar"}, "application/json")
    assert respuesta.status_code == 409
    assert "sigue pendiente" in respuesta.json()["detail"]
    assert propuesta.decision_o_none() is None
