"""Extensions (prórrogas, issue 21): an institution's liaison (Enlace) asks to move a commitment's due
date with a justification; a validator (Capturista) approves it (the due date moves, through one
service) or rejects it with a comment. Requests and decisions are append-only. Duties (``Atribucion``)
have no due date: there is nothing to extend there, and their pages offer nothing."""

import datetime
import re
import threading

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from avisos.services import avisos_vigentes
from comisiones.models import Atribucion
from convenios.models import Compromiso, DecisionProrroga, SolicitudProrroga
from convenios.services import (
    ProrrogaDecididaError,
    ProrrogaPendienteError,
    decidir_prorroga,
    solicitar_prorroga,
)
from seguimiento.models import HistorialInmutableError, VersionTexto
from seguimiento.templatetags.fechas import fecha_larga

from .conftest import a_la_vez, con_token, editar_compromiso_en_admin, restaurar_datos_de_migraciones
from .factories import (
    AtribucionFactory,
    CompromisoFactory,
    ConvenioFactory,
    ParteFactory,
    UsuarioFactory,
    crear_enlace,
)

DIA = datetime.timedelta(days=1)


def hoy() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def parte(db):
    return ParteFactory()


@pytest.fixture
def enlace(parte):
    return crear_enlace("enlace_prorrogas", [parte.dependencia])


@pytest.fixture
def capturista(db):
    return UsuarioFactory(username="capturista_prorrogas", rol="Capturista")


@pytest.fixture
def compromiso(parte):
    """A commitment of the liaison's institution, due in three days."""
    return CompromisoFactory(convenio=parte.convenio, responsable=parte, fecha_limite=hoy() + 3 * DIA)


def url_prorrogar(compromiso) -> str:
    return reverse("convenios:prorrogar", args=[compromiso.pk])


def url_decidir(solicitud) -> str:
    return reverse("convenios:decidir_prorroga", args=[solicitud.pk])


def pedir(compromiso, enlace, dias=30, justificacion="La obra se retrasó por lluvias.") -> SolicitudProrroga:
    return solicitar_prorroga(
        compromiso, fecha_nueva=hoy() + dias * DIA, justificacion=justificacion, usuario=enlace
    )


def fecha_limite(compromiso) -> datetime.date | None:
    return Compromiso.objects.get(pk=compromiso.pk).fecha_limite


# Asking ----------------------------------------------------------------------------------------


def test_an_enlace_asks_and_the_due_date_does_not_move_yet(client, compromiso, enlace):
    client.force_login(enlace)
    assert client.get(url_prorrogar(compromiso)).status_code == 200
    nueva = hoy() + 40 * DIA
    respuesta = client.post(
        url_prorrogar(compromiso), {"fecha_nueva": nueva.isoformat(), "justificacion": "Falta presupuesto."}
    )
    assert respuesta.status_code == 302
    solicitud = SolicitudProrroga.objects.get(compromiso=compromiso)
    assert (solicitud.fecha_anterior, solicitud.fecha_nueva) == (hoy() + 3 * DIA, nueva)
    assert solicitud.solicitado_por == enlace and solicitud.dependencia == compromiso.responsable.dependencia
    assert fecha_limite(compromiso) == hoy() + 3 * DIA
    pagina = client.get(compromiso.convenio.get_absolute_url()).content.decode()
    assert "Prórroga solicitada" in pagina and "/prorrogar/" not in pagina


def test_the_justification_is_required(client, compromiso, enlace):
    client.force_login(enlace)
    datos = {"fecha_nueva": (hoy() + 40 * DIA).isoformat(), "justificacion": "   "}
    respuesta = client.post(url_prorrogar(compromiso), datos)
    assert respuesta.status_code == 400
    assert "Escriba la justificación de la prórroga." in respuesta.content.decode()
    assert not SolicitudProrroga.objects.exists()


@pytest.mark.parametrize(("dias", "aceptada"), [(3, False), (4, True)])
def test_the_new_date_must_be_later_than_the_current_one(client, compromiso, enlace, dias, aceptada):
    client.force_login(enlace)
    datos = {"fecha_nueva": (hoy() + dias * DIA).isoformat(), "justificacion": "Razón."}
    respuesta = client.post(url_prorrogar(compromiso), datos)
    assert respuesta.status_code == (302 if aceptada else 400)
    assert SolicitudProrroga.objects.exists() is aceptada
    if not aceptada:
        assert "debe ser posterior a la vigente" in respuesta.content.decode()


@pytest.mark.parametrize(("dias", "aceptada"), [(-1, False), (0, True)])
def test_an_overdue_commitment_may_be_extended_but_not_into_the_past(parte, enlace, dias, aceptada):
    vencido = CompromisoFactory(convenio=parte.convenio, responsable=parte, fecha_limite=hoy() - 10 * DIA)
    if aceptada:
        assert pedir(vencido, enlace, dias=dias).fecha_nueva == hoy()
    else:
        with pytest.raises(Exception, match="no puede estar en el pasado"):
            pedir(vencido, enlace, dias=dias)


def test_a_commitment_of_another_institution_is_404(client, parte, enlace):
    otra = ParteFactory(convenio=parte.convenio)
    ajeno = CompromisoFactory(convenio=parte.convenio, responsable=otra, fecha_limite=hoy() + 5 * DIA)
    lejano = CompromisoFactory(fecha_limite=hoy() + 5 * DIA)
    client.force_login(enlace)
    for compromiso in (ajeno, lejano):
        assert client.get(url_prorrogar(compromiso)).status_code == 404
        datos = {"fecha_nueva": (hoy() + 40 * DIA).isoformat(), "justificacion": "Razón."}
        assert client.post(url_prorrogar(compromiso), datos).status_code == 404
    assert not SolicitudProrroga.objects.exists()


def test_a_joint_commitment_of_its_convenio_may_be_extended(parte, enlace):
    conjunto = CompromisoFactory(convenio=parte.convenio, responsable=None, fecha_limite=hoy())
    assert pedir(conjunto, enlace).compromiso == conjunto


def test_a_second_request_while_one_is_pending_gets_409_naming_it(client, compromiso, enlace, capturista):
    pedir(compromiso, enlace, dias=30)
    client.force_login(enlace)
    datos = {"fecha_nueva": (hoy() + 60 * DIA).isoformat(), "justificacion": "Otra razón."}
    respuesta = client.post(url_prorrogar(compromiso), datos)
    assert respuesta.status_code == 409
    assert "Ya hay una solicitud de prórroga pendiente" in respuesta.content.decode()
    assert SolicitudProrroga.objects.count() == 1
    # Once rejected, it may ask again.
    decidir_prorroga(
        SolicitudProrroga.objects.get(), tipo="rechazada", usuario=capturista, comentario="No procede."
    )
    assert client.post(url_prorrogar(compromiso), datos).status_code == 302
    assert SolicitudProrroga.objects.count() == 2


def test_duties_have_no_extension_page_nor_link(client, usuarios, semilla):
    atribucion = Atribucion.objects.order_by("pk").first() or AtribucionFactory()
    with pytest.raises(NoReverseMatch):
        reverse("comisiones:prorrogar", args=[atribucion.pk])
    client.force_login(usuarios["admin"])
    pagina = client.get(atribucion.comision.get_absolute_url()).content.decode()
    assert "/prorrogar/" not in pagina and "Prórrogas:" not in pagina


# Deciding --------------------------------------------------------------------------------------


def test_approving_moves_the_due_date_and_the_row_counts_it(client, compromiso, enlace, capturista):
    anterior = fecha_limite(compromiso)
    solicitud = pedir(compromiso, enlace, dias=30)
    client.force_login(capturista)
    pagina = client.get(reverse("convenios:prorrogas")).content.decode()
    assert "1 solicitud pendiente" in pagina and "La obra se retrasó por lluvias." in pagina
    respuesta = client.post(url_decidir(solicitud), {"decision": "aprobar", "comentario": "De acuerdo."})
    assert respuesta.status_code == 302
    assert fecha_limite(compromiso) == hoy() + 30 * DIA
    decision = DecisionProrroga.objects.get(solicitud=solicitud)
    assert (decision.tipo, decision.decidido_por, decision.fecha_anterior) == (
        "aprobada",
        capturista,
        anterior,
    )
    assert "Prórrogas: 1" in client.get(compromiso.convenio.get_absolute_url()).content.decode()
    # A second extension, approved too: «Prórrogas: 2».
    decidir_prorroga(pedir(compromiso, enlace, dias=60), tipo="aprobada", usuario=capturista)
    assert fecha_limite(compromiso) == hoy() + 60 * DIA
    assert "Prórrogas: 2" in client.get(compromiso.convenio.get_absolute_url()).content.decode()


def test_rejecting_needs_a_comment_and_leaves_the_due_date(client, compromiso, enlace, capturista):
    solicitud = pedir(compromiso, enlace)
    client.force_login(capturista)
    respuesta = client.post(url_decidir(solicitud), {"decision": "rechazar", "comentario": " "})
    assert respuesta.status_code == 400
    assert "Escriba por qué se rechaza" in respuesta.content.decode()
    assert not DecisionProrroga.objects.exists()
    respuesta = client.post(url_decidir(solicitud), {"decision": "rechazar", "comentario": "Sin sustento."})
    assert respuesta.status_code == 302
    assert fecha_limite(compromiso) == hoy() + 3 * DIA
    assert "Prórrogas:" not in client.get(compromiso.convenio.get_absolute_url()).content.decode()


def test_an_unknown_decision_is_400(client, compromiso, enlace, capturista):
    solicitud = pedir(compromiso, enlace)
    client.force_login(capturista)
    assert client.post(url_decidir(solicitud), {"decision": "quizas"}).status_code == 400
    assert not DecisionProrroga.objects.exists()


def test_a_request_decided_twice_gets_409(client, compromiso, enlace, capturista):
    solicitud = pedir(compromiso, enlace)
    decidir_prorroga(solicitud, tipo="aprobada", usuario=capturista)
    client.force_login(capturista)
    respuesta = client.post(url_decidir(solicitud), {"decision": "rechazar", "comentario": "Tarde."})
    assert respuesta.status_code == 409
    assert "ya fue aprobada" in respuesta.content.decode()
    with pytest.raises(ProrrogaDecididaError):
        decidir_prorroga(solicitud, tipo="aprobada", usuario=capturista)
    assert DecisionProrroga.objects.count() == 1


def test_the_service_refuses_a_second_pending_request(compromiso, enlace):
    pedir(compromiso, enlace)
    with pytest.raises(ProrrogaPendienteError):
        pedir(compromiso, enlace, dias=50)


def test_the_list_shows_pending_first_oldest_first(client, parte, enlace, capturista):
    compromisos = [
        CompromisoFactory(convenio=parte.convenio, responsable=parte, fecha_limite=hoy()) for _ in range(3)
    ]
    primera, segunda, tercera = (pedir(c, enlace) for c in compromisos)
    decidir_prorroga(primera, tipo="aprobada", usuario=capturista)
    client.force_login(capturista)
    orden = [s.pk for s in client.get(reverse("convenios:prorrogas")).context["pagina"].object_list]
    assert orden == [segunda.pk, tercera.pk, primera.pk]


def insignia_de_prorrogas(html: str) -> str | None:
    """The count badge of the menu's «Prórrogas» entry (None: no badge), or «sin entrada»."""
    menu = re.search(r'<nav aria-label="Principal">(.*?)</nav>', html, re.S).group(1)
    entrada = re.search(rf'<a href="{reverse("convenios:prorrogas")}"[^>]*>(.*?)</a>', menu, re.S)
    if entrada is None:
        return "sin entrada"
    insignia = re.search(r'class="insignia-conteo">(\d+)<', entrada.group(1))
    return insignia.group(1) if insignia else None


def test_the_menu_offers_the_list_to_deciders_with_the_pending_count(client, parte, enlace, capturista):
    compromisos = [
        CompromisoFactory(convenio=parte.convenio, responsable=parte, fecha_limite=hoy()) for _ in range(3)
    ]
    primera, *_ = (pedir(c, enlace) for c in compromisos)
    client.force_login(capturista)
    inicio = reverse("inicio")
    assert insignia_de_prorrogas(client.get(inicio).content.decode()) == "3"
    assert insignia_de_prorrogas(client.get(reverse("convenios:prorrogas")).content.decode()) == "3"
    decidir_prorroga(primera, tipo="rechazada", usuario=capturista, comentario="No procede.")
    assert insignia_de_prorrogas(client.get(inicio).content.decode()) == "2"
    for solicitud in SolicitudProrroga.objects.pendientes():
        decidir_prorroga(solicitud, tipo="aprobada", usuario=capturista)
    assert insignia_de_prorrogas(client.get(inicio).content.decode()) is None
    client.force_login(enlace)
    assert insignia_de_prorrogas(client.get(inicio).content.decode()) == "sin entrada"


def test_the_history_tells_requests_and_decisions_in_order(client, compromiso, enlace, capturista):
    rechazada = pedir(compromiso, enlace, dias=10, justificacion="Primera razón.")
    decidir_prorroga(rechazada, tipo="rechazada", usuario=capturista, comentario="Falta el oficio.")
    decidir_prorroga(
        pedir(compromiso, enlace, dias=20, justificacion="Segunda razón."),
        tipo="aprobada",
        usuario=capturista,
    )
    pedir(compromiso, enlace, dias=40, justificacion="Tercera razón.")
    client.force_login(capturista)
    pagina = client.get(reverse("convenios:historial", args=[compromiso.pk])).content.decode()
    textos = [
        "Primera razón.",
        "Falta el oficio.",
        "Segunda razón.",
        "aprobada por",
        "Tercera razón.",
        "pendiente de decidir",
    ]
    posiciones = [pagina.index(t) for t in textos]
    assert posiciones == sorted(posiciones)


def test_a_due_date_moved_outside_an_extension_is_a_text_version_not_an_extension(
    admin_client, compromiso, enlace, capturista
):
    """The admin's edit and the import's ``update()`` move the due date as a text version: «Prórrogas: N»
    counts approved requests only, and the history shows both the extension and the edits."""
    decidir_prorroga(pedir(compromiso, enlace, dias=30), tipo="aprobada", usuario=capturista)
    rechazada = pedir(compromiso, enlace, dias=45, justificacion="Otra vez.")
    decidir_prorroga(rechazada, tipo="rechazada", usuario=capturista, comentario="No procede.")
    editar_compromiso_en_admin(admin_client, compromiso, fecha_limite=(hoy() + 90 * DIA).isoformat())
    Compromiso.objects.filter(pk=compromiso.pk).update(fecha_limite=hoy() + 120 * DIA)  # as the import
    assert fecha_limite(compromiso) == hoy() + 120 * DIA
    assert Compromiso.objects.con_prorrogas().get(pk=compromiso.pk).prorrogas == 1
    assert Compromiso.objects.con_prorroga().filter(pk=compromiso.pk).exists()
    fila = admin_client.get(compromiso.convenio.get_absolute_url()).content.decode()
    assert "Prórrogas: 1" in fila
    pagina = " ".join(
        admin_client.get(reverse("convenios:historial", args=[compromiso.pk])).content.decode().split()
    )
    assert "La obra se retrasó por lluvias." in pagina and "aprobada por" in pagina
    assert "No procede." in pagina
    # The approval's own move and the two edits outside an extension, each a version of the due date.
    assert pagina.count("Cambio de fecha límite") == 3
    assert fecha_larga(hoy() + 90 * DIA) in pagina and fecha_larga(hoy() + 120 * DIA) in pagina
    assert list(
        VersionTexto.objects.de([compromiso]).filter(campo="fecha_limite").values_list("nuevo", flat=True)
    ) == [str(hoy() + d * DIA) for d in (30, 90, 120)]


# The current due date everywhere ---------------------------------------------------------------


def test_overdue_due_soon_and_reminders_read_the_extended_date(parte, enlace, capturista, settings):
    vencido = CompromisoFactory(convenio=parte.convenio, responsable=parte, fecha_limite=hoy() - DIA)
    assert Compromiso.objects.vencidos(hoy()).filter(pk=vencido.pk).exists()
    assert vencido.pk in [c.pk for c in avisos_vigentes(hoy())["vencido"]]
    decidir_prorroga(
        pedir(vencido, enlace, dias=settings.DIAS_POR_VENCER), tipo="aprobada", usuario=capturista
    )
    assert not Compromiso.objects.vencidos(hoy()).filter(pk=vencido.pk).exists()
    assert Compromiso.objects.por_vencer(hoy()).filter(pk=vencido.pk).exists()
    avisos = avisos_vigentes(hoy())
    assert vencido.pk not in [c.pk for c in avisos["vencido"]]
    assert vencido.pk in [c.pk for c in avisos["por_vencer"]]
    # One day later than the due-soon window: neither.
    decidir_prorroga(
        pedir(vencido, enlace, dias=settings.DIAS_POR_VENCER + 1), tipo="aprobada", usuario=capturista
    )
    assert not Compromiso.objects.por_vencer(hoy()).filter(pk=vencido.pk).exists()


def test_the_commitments_page_filters_those_with_an_extension(client, parte, enlace, capturista):
    extendido, rechazado, _sin = (
        CompromisoFactory(convenio=parte.convenio, responsable=parte, fecha_limite=hoy()) for _ in range(3)
    )
    decidir_prorroga(pedir(extendido, enlace), tipo="aprobada", usuario=capturista)
    decidir_prorroga(pedir(rechazado, enlace), tipo="rechazada", usuario=capturista, comentario="No.")
    client.force_login(capturista)
    url = reverse("convenios:compromisos")
    todos = client.get(url)
    con = client.get(url, {"con_prorroga": "1"})
    assert len(todos.context["pagina"].object_list) == 3
    assert [c.pk for c in con.context["pagina"].object_list] == [extendido.pk]
    assert "Prórrogas: 1" in con.content.decode()


def test_the_list_costs_the_same_queries_at_2_and_40_requests(client, parte, enlace, capturista):
    from django.db import connection as conexion
    from django.test.utils import CaptureQueriesContext

    def agregar(cantidad):
        for i in range(cantidad):
            compromiso = CompromisoFactory(convenio=parte.convenio, responsable=parte, fecha_limite=hoy())
            solicitud = pedir(compromiso, enlace)
            if i % 2:
                decidir_prorroga(solicitud, tipo="aprobada", usuario=capturista)

    def consultas() -> int:
        with CaptureQueriesContext(conexion) as capturadas:
            assert client.get(reverse("convenios:prorrogas")).status_code == 200
        return len(capturadas)

    client.force_login(capturista)
    agregar(2)
    pocas = consultas()
    agregar(38)
    assert consultas() == pocas


# Append-only -----------------------------------------------------------------------------------


def test_requests_and_decisions_cannot_be_changed_or_deleted(compromiso, enlace, capturista):
    solicitud = pedir(compromiso, enlace)
    decision = decidir_prorroga(solicitud, tipo="aprobada", usuario=capturista)
    for fila in (solicitud, decision):
        with pytest.raises(HistorialInmutableError):
            fila.save()
        with pytest.raises(HistorialInmutableError):
            fila.delete()
        with pytest.raises(HistorialInmutableError):
            type(fila).objects.filter(pk=fila.pk).update(registrado_en=timezone.now())


def test_the_database_refuses_to_rewrite_a_request_or_a_decision(compromiso, enlace, capturista):
    solicitud = pedir(compromiso, enlace)
    decision = decidir_prorroga(solicitud, tipo="aprobada", usuario=capturista)
    sentencias = [
        f"UPDATE convenios_solicitudprorroga SET justificacion = 'x' WHERE id = {solicitud.pk}",
        f"UPDATE convenios_decisionprorroga SET tipo = 'rechazada' WHERE id = {decision.pk}",
    ]
    if connection.vendor == "postgresql":
        sentencias.append(f"DELETE FROM convenios_decisionprorroga WHERE id = {decision.pk}")
    for sentencia in sentencias:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sentencia)
    assert SolicitudProrroga.objects.get().justificacion.startswith("La obra")


# Two approvers at once (PostgreSQL: row locks) -------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("los bloqueos de fila se prueban en PostgreSQL")
    restaurar_datos_de_migraciones()
    parte = ParteFactory()
    compromiso = CompromisoFactory(convenio=parte.convenio, responsable=parte, fecha_limite=hoy())
    enlace = crear_enlace("enlace_hilos", [parte.dependencia])
    solicitud = pedir(compromiso, enlace)
    validadores = [UsuarioFactory(username=f"validador{i}", rol="Capturista") for i in range(4)]
    barrera = threading.Barrier(len(validadores))
    respuestas = []

    def decidir(persona, i):
        cliente = Client()
        cliente.force_login(persona)
        barrera.wait()
        cuerpo = {"decision": "aprobar"} if i % 2 else {"decision": "rechazar", "comentario": f"No {i}"}
        respuestas.append(cliente.post(url_decidir(solicitud), cuerpo).status_code)

    a_la_vez(decidir, validadores)

    assert sorted(respuestas) == [302] + [409] * (len(validadores) - 1)
    decision = DecisionProrroga.objects.get(solicitud=solicitud)
    esperada = hoy() + 30 * DIA if decision.tipo == "aprobada" else hoy()
    assert fecha_limite(compromiso) == esperada


def test_a_convenio_cannot_take_the_lists_path_as_its_key(db):
    from django.core.exceptions import ValidationError

    convenio = ConvenioFactory.build(slug="prorrogas")
    with pytest.raises(ValidationError):
        convenio.full_clean()


@pytest.mark.parametrize(
    ("nombre", "metodo"),
    [("convenios:prorrogas", "get"), ("convenios:decidir_prorroga", "post")],
)
def test_an_enlace_may_not_list_nor_decide(client, compromiso, enlace, nombre, metodo):
    solicitud = pedir(compromiso, enlace)
    args = [solicitud.pk] if nombre.endswith("decidir_prorroga") else []
    client.force_login(enlace)
    respuesta = getattr(client, metodo)(reverse(nombre, args=args), {"decision": "aprobar"})
    assert respuesta.status_code == 403
    assert fecha_limite(compromiso) == hoy() + 3 * DIA


# API -------------------------------------------------------------------------------------------


def url_api_prorrogar(compromiso) -> str:
    return reverse("api:compromiso-prorrogas", args=[compromiso.pk])


def url_api_decidir(solicitud) -> str:
    return reverse("api:prorroga-decision", args=[solicitud.pk])


def test_the_api_asks_with_the_pages_rules(compromiso, enlace, parte):
    cliente = con_token(enlace)
    nueva = (hoy() + 20 * DIA).isoformat()
    sin_razon = cliente.post(url_api_prorrogar(compromiso), {"fecha_nueva": nueva}, "application/json")
    assert sin_razon.status_code == 400
    assert sin_razon.json() == {"justificacion": ["Escriba la justificación de la prórroga."]}
    pasada = cliente.post(
        url_api_prorrogar(compromiso),
        {"fecha_nueva": (hoy() - DIA).isoformat(), "justificacion": "Razón."},
        "application/json",
    )
    assert pasada.status_code == 400 and "fecha_nueva" in pasada.json()
    numero = cliente.post(
        url_api_prorrogar(compromiso), {"fecha_nueva": 5, "justificacion": "Razón."}, "application/json"
    )
    assert numero.status_code == 400 and numero.json() == {"fecha_nueva": ["Escriba un texto."]}
    assert not SolicitudProrroga.objects.exists()
    cuerpo = {"fecha_nueva": nueva, "justificacion": "La obra se retrasó."}
    creada = cliente.post(url_api_prorrogar(compromiso), cuerpo, "application/json")
    assert creada.status_code == 201
    datos = creada.json()
    assert (datos["compromiso"], datos["fecha_nueva"], datos["estado"]) == (compromiso.pk, nueva, "pendiente")
    assert datos["solicitado_por"] == enlace.username and datos["dependencia"] == parte.dependencia.nombre
    assert fecha_limite(compromiso) == hoy() + 3 * DIA  # not in effect yet
    otra = cliente.post(url_api_prorrogar(compromiso), cuerpo, "application/json")
    assert otra.status_code == 409 and "pendiente" in otra.json()["detail"]
    assert SolicitudProrroga.objects.count() == 1


def test_the_api_answers_404_for_a_commitment_of_another_institution(compromiso, enlace, parte):
    ajena = CompromisoFactory(convenio=parte.convenio, responsable=ParteFactory(convenio=parte.convenio))
    lejana = CompromisoFactory()
    cuerpo = {"fecha_nueva": (hoy() + 20 * DIA).isoformat(), "justificacion": "Razón."}
    for otro in (ajena, lejana, "x1"):
        url = reverse("api:compromiso-prorrogas", args=[getattr(otro, "pk", otro)])
        assert con_token(enlace).post(url, cuerpo, "application/json").status_code == 404
    assert not SolicitudProrroga.objects.exists()


def test_the_api_lists_an_enlaces_own_and_all_to_the_decider(compromiso, enlace, parte, capturista):
    propia = pedir(compromiso, enlace)
    otro_enlace = crear_enlace("otro_enlace_prorrogas", [parte.dependencia])
    otro = CompromisoFactory(convenio=parte.convenio, responsable=parte, fecha_limite=hoy())
    ajena = pedir(otro, otro_enlace)

    def ids(usuario) -> list[int]:
        respuesta = con_token(usuario).get(reverse("api:prorroga-list"))
        return [f["id"] for f in respuesta.json()["results"]]

    assert ids(enlace) == [propia.pk]
    assert ids(capturista) == [propia.pk, ajena.pk]


def test_the_api_decides_with_the_pages_service(compromiso, enlace, capturista):
    solicitud = pedir(compromiso, enlace, dias=30)
    cliente = con_token(capturista)
    sin_comentario = cliente.post(url_api_decidir(solicitud), {"decision": "rechazar"}, "application/json")
    assert sin_comentario.status_code == 400
    assert "Escriba por qué se rechaza" in str(sin_comentario.json())
    assert (
        con_token(enlace)
        .post(url_api_decidir(solicitud), {"decision": "aprobar"}, "application/json")
        .status_code
        == 403
    )
    aprobada = cliente.post(
        url_api_decidir(solicitud), {"decision": "aprobar", "comentario": "De acuerdo."}, "application/json"
    )
    assert aprobada.status_code == 200
    assert aprobada.json()["estado"] == "aprobada"
    assert aprobada.json()["decision"]["decidido_por"] == capturista.username
    assert fecha_limite(compromiso) == hoy() + 30 * DIA
    otra_vez = cliente.post(
        url_api_decidir(solicitud), {"decision": "rechazar", "comentario": "No."}, "application/json"
    )
    assert otra_vez.status_code == 409
    assert fecha_limite(compromiso) == hoy() + 30 * DIA
    assert (
        cliente.post(
            reverse("api:prorroga-decision", args=[solicitud.pk + 99]), {}, "application/json"
        ).status_code
        == 404
    )
