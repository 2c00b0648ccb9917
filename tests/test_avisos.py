"""E-mail reminders (``manage.py enviar_recordatorios``) and following a convenio, with Django's
locmem mail backend (``mail.outbox``): who gets what, once per state, and the follow button."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from avisos.models import AvisoEnviado, Suscripcion
from convenios.models import Compromiso

from .conftest import dias, en_los_dias_limite
from .factories import CompromisoFactory, ConvenioFactory, UsuarioFactory, registrar_actualizacion

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor

URL_BASE = "https://seguimiento.example.gob.mx"


def actualizar(compromiso, estatus, hace: int, nota: str = "Avance."):
    compromiso.refresh_from_db()
    return registrar_actualizacion(compromiso, estatus=estatus, fecha_efectiva=dias(-hace), nota=nota)


@pytest.fixture
def mundo(db, estatus, settings):
    """Two convenios with one item of each kind, items that need nothing, and one user per case."""
    settings.URL_BASE = URL_BASE
    settings.DIAS_SIN_ACTUALIZAR = 90
    alfa = ConvenioFactory(nombre="Convenio Alfa", slug="alfa")
    beta = ConvenioFactory(nombre="Convenio Beta", slug="beta")
    c = {
        "vencido": CompromisoFactory(
            convenio=alfa, numero=1, texto="Publicar el catálogo.", fecha_limite=dias(-10)
        ),
        "por_vencer": CompromisoFactory(
            convenio=alfa, numero=2, texto="Capacitar enlaces.", fecha_limite=dias(10)
        ),
        "sin_actualizar": CompromisoFactory(convenio=alfa, numero=3, texto="Revisar el portal."),
        "cumplido_vencido": CompromisoFactory(
            convenio=alfa, numero=4, texto="Firmar.", fecha_limite=dias(-10)
        ),
        "al_dia": CompromisoFactory(convenio=alfa, numero=5, texto="Informar."),
        "cumplido_viejo": CompromisoFactory(convenio=alfa, numero=6, texto="Instalar."),
        "lejano": CompromisoFactory(convenio=alfa, numero=7, texto="Evaluar.", fecha_limite=dias(31)),
        "beta_vencido": CompromisoFactory(
            convenio=beta, numero=1, texto="Entregar el informe.", fecha_limite=dias(-1)
        ),
    }
    actualizar(c["vencido"], estatus["en-proceso"], 5)
    actualizar(c["por_vencer"], estatus["en-proceso"], 1)
    actualizar(c["sin_actualizar"], estatus["en-proceso"], 200)
    actualizar(c["cumplido_vencido"], estatus["cumplido"], 20)
    actualizar(c["al_dia"], estatus["en-proceso"], 3)
    actualizar(c["cumplido_viejo"], estatus["cumplido"], 400)
    actualizar(c["lejano"], estatus["en-proceso"], 2)
    u = {
        "capturista": UsuarioFactory(username="capt", email="capt@example.gob.mx", rol="Capturista"),
        "gerente": UsuarioFactory(username="ger", email="ger@example.gob.mx", rol="Gerente"),
        "auditor": UsuarioFactory(username="aud", email="aud@example.gob.mx", rol="Auditor"),
        "sin_rol": UsuarioFactory(username="nadie", email="nadie@example.gob.mx"),
        "sin_correo": UsuarioFactory(username="capt2", email="", rol="Capturista"),
    }
    Suscripcion.objects.elegir(u["gerente"], alfa, True)
    Suscripcion.objects.elegir(u["sin_rol"], alfa, True)  # cannot read convenios: never mailed
    return {"convenios": {"alfa": alfa, "beta": beta}, "c": c, "u": u}


def correos_para(direccion: str) -> list:
    return [m for m in mail.outbox if m.to == [direccion]]


def enviar(*args) -> str:
    from io import StringIO

    salida = StringIO()
    call_command("enviar_recordatorios", *args, stdout=salida)
    return salida.getvalue()


@en_los_dias_limite
def test_each_follower_gets_one_spanish_digest_with_the_items_that_need_attention(mundo):
    salida = enviar()
    assert sorted(m.to[0] for m in mail.outbox) == ["capt@example.gob.mx", "ger@example.gob.mx"]
    assert "Se enviaron 2 correos con 7 avisos." in salida

    (correo,) = correos_para("capt@example.gob.mx")
    assert correo.subject == "Seguimiento: 4 compromisos requieren atención"
    texto = correo.body
    assert texto.startswith("Hola, capt:")
    # One digest for both convenios, each under its name, in name order, with absolute links.
    assert texto.index("== Convenio Alfa ==") < texto.index("== Convenio Beta ==")
    assert f"{URL_BASE}/convenios/alfa/\n" in texto
    c = mundo["c"]
    for clave in ("vencido", "por_vencer", "sin_actualizar", "beta_vencido"):
        compromiso = c[clave]
        assert f"{URL_BASE}/convenios/{compromiso.convenio.slug}/#compromiso-{compromiso.pk}" in texto
    for clave in ("cumplido_vencido", "al_dia", "cumplido_viejo", "lejano"):
        assert f"#compromiso-{c[clave].pk}" not in texto
    alfa = texto[texto.index("== Convenio Alfa ==") : texto.index("== Convenio Beta ==")]
    assert alfa.index("Vencidos:") < alfa.index("Publicar el catálogo.")
    assert alfa.index("Vencen en los próximos 30 días:") < alfa.index("Capacitar enlaces.")
    assert alfa.index("Sin actualizar en los últimos 90 días:") < alfa.index("Revisar el portal.")
    fecha = c["vencido"].fecha_limite
    assert f"Fecha límite: {fecha.day} de " in texto and "Estatus: En proceso, desde el" in texto
    # Never updated and overdue: reported once, as overdue, not again as stale.
    assert texto.count(f"#compromiso-{c['beta_vencido'].pk}") == 1
    assert "Estatus: sin estatus." in texto

    html = correo.alternatives[0][0]
    assert f'href="{URL_BASE}/convenios/alfa/#compromiso-{c["vencido"].pk}"' in html

    # The gerente follows only Alfa, by choice.
    (del_gerente,) = correos_para("ger@example.gob.mx")
    assert "Convenio Alfa" in del_gerente.body and "Convenio Beta" not in del_gerente.body

    assert AvisoEnviado.objects.count() == 7
    registro = AvisoEnviado.objects.get(usuario=mundo["u"]["capturista"], compromiso=c["vencido"])
    assert registro.tipo == AvisoEnviado.Tipo.VENCIDO
    assert registro.actualizacion_id == Compromiso.objects.get(pk=c["vencido"].pk).ultima_actualizacion_id
    assert registro.fecha_limite == c["vencido"].fecha_limite


def test_the_same_alert_is_never_sent_twice_and_nothing_to_say_sends_nothing(mundo):
    enviar()
    mail.outbox.clear()
    salida = enviar()
    assert mail.outbox == []
    assert "Nada que avisar" in salida
    assert AvisoEnviado.objects.count() == 7


@en_los_dias_limite
def test_an_item_is_alerted_again_once_its_state_changes(mundo, estatus):
    c = mundo["c"]
    enviar()
    mail.outbox.clear()
    # A new update that leaves it unsettled is a new state: one more alert, only about it.
    actualizar(c["vencido"], estatus["pendiente"], 0)
    enviar()
    assert len(mail.outbox) == 2
    for correo in mail.outbox:
        assert f"#compromiso-{c['vencido'].pk}" in correo.body
        assert f"#compromiso-{c['por_vencer'].pk}" not in correo.body
        assert "1 compromiso requiere atención" in correo.subject
    mail.outbox.clear()
    # Settled: nothing more to say about it.
    actualizar(c["vencido"], estatus["cumplido"], 0)
    assert "Nada que avisar" in enviar()
    # A new due date is a new state too.
    Compromiso.objects.filter(pk=c["por_vencer"].pk).update(fecha_limite=dias(5))
    enviar()
    assert {m.to[0] for m in mail.outbox} == {"capt@example.gob.mx", "ger@example.gob.mx"}
    assert all(f"#compromiso-{c['por_vencer'].pk}" in m.body for m in mail.outbox)


def test_dry_run_prints_the_digests_and_records_and_sends_nothing(mundo):
    salida = enviar("--dry-run")
    assert mail.outbox == []
    assert AvisoEnviado.objects.count() == 0
    assert "Para: capt@example.gob.mx" in salida and "Para: ger@example.gob.mx" in salida
    assert "Asunto: Seguimiento: 4 compromisos requieren atención" in salida
    assert f"{URL_BASE}/convenios/beta/#compromiso-{mundo['c']['beta_vencido'].pk}" in salida
    assert "Se enviarían 2 correos con 7 avisos." in salida
    # The real run afterwards still sends everything.
    enviar()
    assert len(mail.outbox) == 2


def test_a_capturista_who_opts_out_of_a_convenio_hears_only_of_the_others(mundo):
    Suscripcion.objects.elegir(mundo["u"]["capturista"], mundo["convenios"]["alfa"], False)
    enviar()
    (correo,) = correos_para("capt@example.gob.mx")
    assert "Convenio Beta" in correo.body and "Convenio Alfa" not in correo.body
    Suscripcion.objects.elegir(mundo["u"]["capturista"], mundo["convenios"]["beta"], False)
    mail.outbox.clear()
    enviar()
    assert correos_para("capt@example.gob.mx") == []


def test_readers_who_do_not_follow_non_readers_and_users_without_e_mail_get_nothing(mundo):
    enviar()
    destinatarios = {m.to[0] for m in mail.outbox}
    assert "aud@example.gob.mx" not in destinatarios  # reads, follows nothing
    assert "nadie@example.gob.mx" not in destinatarios  # follows Alfa, cannot read convenios
    assert not AvisoEnviado.objects.filter(
        usuario__in=[mundo["u"]["sin_rol"], mundo["u"]["sin_correo"]]
    ).exists()


def test_an_inactive_follower_gets_nothing(mundo):
    capturista = mundo["u"]["capturista"]
    capturista.is_active = False
    capturista.save()
    enviar()
    assert correos_para("capt@example.gob.mx") == []


def test_the_digest_is_built_in_a_fixed_number_of_queries(mundo, django_assert_max_num_queries):
    from avisos.services import resumenes

    # 8 for the commitments' alerts, 5 for the validation loop's (avisos.validacion: Enlaces, who
    # decides each kind, each kind's long waits, what was already sent).
    with django_assert_max_num_queries(13) as chico:
        pequeno = resumenes(timezone.localdate())
    alfa = mundo["convenios"]["alfa"]
    for i in range(30):
        convenio = ConvenioFactory()
        CompromisoFactory(convenio=convenio, fecha_limite=dias(-i - 1))
        UsuarioFactory(username=f"capt-{i}", email=f"c{i}@example.gob.mx", rol="Capturista")
        CompromisoFactory(convenio=alfa, numero=100 + i, fecha_limite=dias(i))
    with django_assert_max_num_queries(13) as grande_consultas:
        grande = resumenes(timezone.localdate())
    assert len(grande_consultas.captured_queries) == len(chico.captured_queries)
    assert len(pequeno) == 2 and len(grande) == 32
    assert len(grande[0].avisos) > len(pequeno[0].avisos)


# Following a convenio from its page.


def test_the_convenio_page_offers_to_follow_and_the_choice_sticks(client, mundo):
    gerente, beta = mundo["u"]["gerente"], mundo["convenios"]["beta"]
    client.force_login(gerente)
    pagina = client.get(beta.get_absolute_url()).content.decode()
    accion = reverse("avisos:seguir", args=[beta.slug])
    assert f'action="{accion}"' in pagina and "Seguir este convenio</button>" in pagina
    assert 'name="csrfmiddlewaretoken"' in pagina

    respuesta = client.post(accion, {"sigue": "1"}, follow=True)
    assert respuesta.redirect_chain == [(beta.get_absolute_url(), 302)]
    contenido = respuesta.content.decode()
    assert "Ahora sigue este convenio" in contenido and "Dejar de seguir</button>" in contenido
    assert Suscripcion.objects.sigue(gerente, beta)

    client.post(accion, {"sigue": "0"})
    assert not Suscripcion.objects.sigue(gerente, beta)
    assert "Seguir este convenio</button>" in client.get(beta.get_absolute_url()).content.decode()


def test_a_capturista_follows_by_default_and_can_stop(client, mundo):
    capturista, alfa = mundo["u"]["capturista"], mundo["convenios"]["alfa"]
    client.force_login(capturista)
    assert "Dejar de seguir</button>" in client.get(alfa.get_absolute_url()).content.decode()
    client.post(reverse("avisos:seguir", args=[alfa.slug]), {"sigue": "0"})
    assert Suscripcion.objects.get(usuario=capturista, convenio=alfa).sigue is False
    assert "Seguir este convenio</button>" in client.get(alfa.get_absolute_url()).content.decode()


def test_with_htmx_the_control_is_redrawn_in_place(client, mundo):
    auditor, alfa = mundo["u"]["auditor"], mundo["convenios"]["alfa"]
    client.force_login(auditor)
    respuesta = client.post(
        reverse("avisos:seguir", args=[alfa.slug]), {"sigue": "1"}, HTTP_HX_REQUEST="true"
    )
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert html.lstrip().startswith('<form method="post"') and "<nav" not in html
    assert 'id="boton-seguir"' in html and "Dejar de seguir" in html and 'role="status"' in html


def test_follow_needs_a_post_with_a_choice_and_the_right_to_read(client, mundo):
    alfa = mundo["convenios"]["alfa"]
    url = reverse("avisos:seguir", args=[alfa.slug])
    client.force_login(mundo["u"]["auditor"])
    assert client.get(url).status_code == 405
    assert client.post(url, {"sigue": "quizá"}).status_code == 400
    con_htmx = client.post(url, {"sigue": ""}, HTTP_HX_REQUEST="true")
    assert con_htmx.status_code == 400 and 'role="alert"' in con_htmx.content.decode()
    assert 'id="boton-seguir"' in con_htmx.content.decode()  # the control stays, with the reason
    assert client.post(reverse("avisos:seguir", args=["no-existe"]), {"sigue": "1"}).status_code == 404
    client.force_login(mundo["u"]["sin_rol"])
    assert client.post(url, {"sigue": "0"}).status_code == 403
    assert Suscripcion.objects.get(usuario=mundo["u"]["sin_rol"]).sigue is True


def test_a_user_without_e_mail_is_told_that_no_reminder_will_arrive(client, mundo):
    client.force_login(mundo["u"]["sin_correo"])
    pagina = client.get(mundo["convenios"]["alfa"].get_absolute_url()).content.decode()
    assert re.search(r"no tiene correo registrado", pagina)


def test_the_page_reads_who_follows_by_default_as_the_reminders_query_does(db):
    """The convenio page decides the default from the permissions it already loaded; the reminders
    from ``seguidores_por_omision()``. Both say the same of every kind of account."""
    from django.contrib.auth.models import Permission

    from avisos.models import seguidores_por_omision, sigue_por_omision

    directo = UsuarioFactory(username="directo")
    directo.user_permissions.add(Permission.objects.get(codename="add_actualizacion"))
    cuentas = [
        UsuarioFactory(username="capturista", rol="Capturista"),
        UsuarioFactory(username="gerente", rol="Gerente"),
        UsuarioFactory(username="auditor", rol="Auditor"),
        UsuarioFactory(username="sin_rol"),
        UsuarioFactory(username="inactivo", rol="Capturista", is_active=False),
        UsuarioFactory(username="super", is_superuser=True),
        UsuarioFactory(username="super_capturista", is_superuser=True, rol="Capturista"),
        directo,
    ]
    consulta = set(seguidores_por_omision().values_list("username", flat=True))
    assert consulta == {"capturista", "super_capturista", "directo"}
    for usuario in cuentas:
        fresco = type(usuario).objects.get(pk=usuario.pk)  # no permissions cached yet
        assert sigue_por_omision(fresco) == (usuario.username in consulta), usuario.username


@pytest.mark.postgres
@en_los_dias_limite
def test_two_runs_started_together_on_two_servers_send_each_alert_once(transactional_db, mundo, monkeypatch):
    """One timer per server: the run that takes the advisory lock sends; the other, started while the
    first is between reading the alerts and sending them, ends at once without sending or failing."""
    import threading
    from io import StringIO

    from django.db import connection, connections

    from avisos.management.commands import enviar_recordatorios as comando

    if connection.vendor != "postgresql":
        pytest.skip("el cerrojo de una sola corrida es de PostgreSQL")
    primera_leyendo, segunda_termino = threading.Event(), threading.Event()
    leer = comando.resumenes

    def resumenes_y_esperar(fecha):
        pendientes = leer(fecha)
        if threading.current_thread().name == "primera":
            primera_leyendo.set()
            segunda_termino.wait(timeout=10)
        return pendientes

    monkeypatch.setattr(comando, "resumenes", resumenes_y_esperar)
    salidas, errores = {}, []

    def correr():
        salida = StringIO()
        try:
            call_command("enviar_recordatorios", stdout=salida)
        except Exception as error:
            errores.append(error)
        finally:
            salidas[threading.current_thread().name] = salida.getvalue()
            if threading.current_thread().name == "segunda":
                segunda_termino.set()
            connections.close_all()

    primera = threading.Thread(target=correr, name="primera")
    primera.start()
    assert primera_leyendo.wait(timeout=10)
    segunda = threading.Thread(target=correr, name="segunda")
    segunda.start()
    segunda.join()
    primera.join()
    assert errores == []
    assert "Otra corrida de enviar_recordatorios está en curso" in salidas["segunda"]
    assert "Se enviaron 2 correos con 7 avisos." in salidas["primera"]
    assert sorted(m.to[0] for m in mail.outbox) == ["capt@example.gob.mx", "ger@example.gob.mx"]
    assert AvisoEnviado.objects.count() == 7
    # Once the lock is free again, a later run finds nothing new to send.
    assert "Nada que avisar" in enviar()
