"""Staff record status updates in the browser: rules, evidence, permissions, no lost updates.

Every test that is about the follow-up mechanism runs once per kind of item (``tipo``): commitments
of a convenio and duties of an SNT commission share one set of views, so they share one suite.
"""

import datetime
import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st
from weasyprint import HTML

from comisiones.models import Atribucion, Comision
from convenios.models import Actualizacion, Compromiso
from seguimiento.evidencias import TAMANO_MAXIMO
from seguimiento.models import Seguible
from seguimiento.templatetags.estatus import flecha

from .conftest import a_la_vez, restaurar_datos_de_migraciones
from .factories import (
    AtribucionFactory,
    CompromisoFactory,
    ConvenioFactory,
    UsuarioFactory,
    registrar_actualizacion,
)

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor


@pytest.fixture(scope="session")
def pdf_real() -> bytes:
    return HTML(string="<h1>Oficio de cumplimiento</h1><p>Evidencia de prueba.</p>").write_pdf()


def archivo(nombre: str, contenido: bytes):
    subido = io.BytesIO(contenido)
    subido.name = nombre
    return subido


@dataclass(frozen=True)
class Tipo:
    """One kind of followed-up item: where its URLs live, its seed page and a factory for a new one."""

    espacio: str
    modelo: type[Seguible]
    contenedor: type
    slug_semilla: str
    en_semilla: int
    fabrica: Callable[[], Seguible]

    def pagina(self) -> str:
        return reverse(f"{self.espacio}:detalle", args=[self.slug_semilla])

    def del_semilla(self) -> Seguible:
        return self.modelo.objects.filter(**{f"{self.contenedor}__slug": self.slug_semilla}).order_by(
            "numero"
        )[0]


TIPOS = {
    "compromiso": Tipo(
        "convenios",
        Compromiso,
        "convenio",
        "convenio-de-colaboracion-www-datos-gob-mx",
        11,
        lambda: CompromisoFactory(convenio=ConvenioFactory()),
    ),
    "atribucion": Tipo(
        "comisiones",
        Atribucion,
        "comision",
        "gobierno-abierto-y-transparencia-proactiva",
        9,
        lambda: AtribucionFactory(),
    ),
}


@pytest.fixture(params=list(TIPOS))
def tipo(request) -> Tipo:
    return TIPOS[request.param]


@pytest.fixture
def elemento(semilla, tipo) -> Seguible:
    """The first item of the seed: commitment 1 (one update on record) or duty 1 (none yet)."""
    return tipo.del_semilla()


def datos(elemento, **cambios) -> dict:
    base = {
        "estatus": "cumplido",
        "fecha": timezone.localdate().isoformat(),
        "nota": "Se publicaron los conjuntos de datos.",
        "enlace": "",
        "version": elemento.version,
    }
    base.update(cambios)
    return {k: v for k, v in base.items() if v is not None}


def url(elemento):
    return reverse(f"{elemento._meta.app_label}:actualizar", args=[elemento.pk])


def historial(elemento):
    return elemento.actualizaciones.all()


def estado(elemento) -> tuple:
    """Everything a write could touch, by content: every history row and the item's own row."""
    modelo = type(elemento)
    return (
        list(historial(elemento).order_by("pk").values()),
        modelo.objects.filter(pk=elemento.pk).values("version", "ultima_actualizacion_id").get(),
        modelo.modelo_actualizacion().objects.count(),
    )


# Happy paths ---------------------------------------------------------------------------------------


def test_capturista_records_an_update_without_javascript(client, usuarios, elemento, estatus):
    antes = elemento.estatus_actual
    version = elemento.version
    client.force_login(usuarios["capturista"])
    respuesta = client.post(url(elemento), datos(elemento))
    assert respuesta.status_code == 302
    assert respuesta["Location"] == elemento.get_absolute_url()
    assert respuesta["Location"].endswith(f"#{elemento.ancla}")
    elemento.refresh_from_db()
    assert elemento.estatus_actual == estatus["cumplido"]
    assert elemento.version == version + 1
    ultima = elemento.ultima_actualizacion
    assert ultima.registrado_por == usuarios["capturista"]
    assert ultima.estatus_anterior == antes
    assert ultima.nota == "Se publicaron los conjuntos de datos."


def test_htmx_submission_answers_with_the_updated_row_only(client, usuarios, elemento):
    client.force_login(usuarios["capturista"])
    respuesta = client.post(url(elemento), datos(elemento), headers={"HX-Request": "true"})
    contenido = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert contenido.lstrip().startswith(f'<tr id="{elemento.ancla}"') and "<html" not in contenido
    assert "Cumplido" in contenido and "Estatus actualizado" in contenido


def test_plain_form_page_is_offered_to_capturista(client, usuarios, elemento):
    client.force_login(usuarios["capturista"])
    respuesta = client.get(url(elemento))
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert 'name="version"' in contenido and f'value="{elemento.version}"' in contenido
    assert 'enctype="multipart/form-data"' in contenido
    assert elemento.texto in contenido


def test_inline_form_replaces_the_row_and_cancel_brings_it_back(client, usuarios, elemento):
    client.force_login(usuarios["capturista"])
    formulario = client.get(url(elemento), headers={"HX-Request": "true"}).content.decode()
    assert formulario.lstrip().startswith(f'<tr id="{elemento.ancla}" class="editando"')
    assert f'hx-post="{url(elemento)}"' in formulario
    fila = client.get(elemento.url_fila).content.decode()
    assert fila.lstrip().startswith(f'<tr id="{elemento.ancla}"') and "Actualizar estatus" in fila


def test_pdf_evidence_is_stored_privately_and_served_only_to_logged_in_readers(
    client, usuarios, elemento, pdf_real, settings, almacen, request
):
    client.force_login(usuarios["capturista"])
    respuesta = client.post(url(elemento), {**datos(elemento), "evidencia": archivo("oficio.pdf", pdf_real)})
    assert respuesta.status_code == 302
    actualizacion = type(elemento).objects.get(pk=elemento.pk).ultima_actualizacion
    assert almacen() == [actualizacion.evidencia.name]  # in the bucket of ALMACEN_URL, or MEDIA_ROOT
    assert (settings.MEDIA_ROOT / actualizacion.evidencia.name).exists() == (
        request.node.callspec.params["almacen"] == "local"
    )
    with actualizacion.evidencia.open("rb") as guardado:
        assert guardado.read() == pdf_real
    with pytest.raises(ValueError):
        actualizacion.evidencia.url  # noqa: B018 — there is no public URL

    descarga = actualizacion.url_evidencia
    assert descarga.startswith(f"/{elemento._meta.app_label}/evidencia/")
    client.force_login(usuarios["auditor"])
    assert f'href="{descarga}"' in client.get(elemento.url_historial).content.decode()
    respuesta = client.get(descarga)
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/pdf"
    assert "attachment" in respuesta["Content-Disposition"]
    assert b"".join(respuesta.streaming_content) == pdf_real

    client.force_login(usuarios["sin_rol"])
    assert client.get(descarga).status_code == 403
    client.logout()
    assert client.get(descarga).status_code == 302
    assert client.get(f"/media/{actualizacion.evidencia.name}").status_code in (302, 404)


@pytest.mark.archivos
def test_office_document_and_link_are_accepted(client, usuarios, elemento, tmp_path):
    import openpyxl

    libro = openpyxl.Workbook()
    libro.active["A1"] = "Avance"
    ruta = tmp_path / "avance.xlsx"
    libro.save(ruta)
    client.force_login(usuarios["capturista"])
    respuesta = client.post(
        url(elemento),
        {
            **datos(elemento, enlace="https://datos.gob.mx/busca/organization/tamaulipas"),
            "evidencia": archivo("avance.xlsx", ruta.read_bytes()),
        },
    )
    assert respuesta.status_code == 302
    ultima = type(elemento).objects.get(pk=elemento.pk).ultima_actualizacion
    assert ultima.evidencia.name.endswith(".xlsx")
    assert ultima.enlace == "https://datos.gob.mx/busca/organization/tamaulipas"


def test_history_lists_every_update_newest_first_with_who_and_from_to(client, usuarios, elemento):
    previas = historial(elemento).count()
    client.force_login(usuarios["capturista"])
    client.post(url(elemento), datos(elemento, estatus="en-proceso", nota="Primera"))
    elemento.refresh_from_db()
    client.post(url(elemento), datos(elemento, estatus="incumplido", nota="Segunda: no se entregó"))
    client.force_login(usuarios["auditor"])
    respuesta = client.get(elemento.url_historial)
    contenido = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert contenido.index("Segunda: no se entregó") < contenido.index("Primera")
    assert contenido.count('<td data-etiqueta="Registrada por">capturista</td>') == 2
    assert contenido.count('<td data-etiqueta="Registrada por">Carga inicial</td>') == previas
    assert f"En proceso</span>{flecha()}<span" in contenido


# Permissions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("rol", ["gerente", "auditor", "sin_rol"])
@pytest.mark.parametrize("metodo", ["get", "post"])
def test_roles_that_may_not_write_get_403_whatever_they_send(client, usuarios, elemento, rol, metodo):
    client.force_login(usuarios[rol])
    antes = estado(elemento)
    respuesta = getattr(client, metodo)(url(elemento), datos(elemento), headers={"HX-Request": "true"})
    assert respuesta.status_code == 403
    assert estado(elemento) == antes


@pytest.mark.parametrize("metodo", ["get", "post"])
def test_anonymous_writes_are_sent_to_log_in(client, elemento, metodo):
    antes = estado(elemento)
    respuesta = getattr(client, metodo)(url(elemento), datos(elemento))
    assert respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))
    assert estado(elemento) == antes


@pytest.mark.parametrize("rol", ["gerente", "auditor"])
def test_readers_see_no_editing_control(client, usuarios, semilla, tipo, rol):
    client.force_login(usuarios[rol])
    contenido = client.get(tipo.pagina()).content.decode()
    assert "Actualizar estatus" not in contenido and "/actualizar/" not in contenido
    assert contenido.count("/historial/") == tipo.en_semilla


def test_capturista_sees_an_editing_control_on_every_row(client, usuarios, semilla, tipo):
    client.force_login(usuarios["capturista"])
    contenido = client.get(tipo.pagina()).content.decode()
    assert contenido.count("/actualizar/") == 2 * tipo.en_semilla  # href and hx-get


@pytest.mark.parametrize("nombre", ["historial", "fila"])
@pytest.mark.parametrize("rol", ["capturista", "gerente", "auditor"])
def test_every_role_reads_history_and_rows(client, usuarios, elemento, nombre, rol):
    client.force_login(usuarios[rol])
    direccion = reverse(f"{elemento._meta.app_label}:{nombre}", args=[elemento.pk])
    assert client.get(direccion).status_code == 200
    assert client.post(direccion).status_code == 405


@pytest.mark.parametrize("nombre", ["historial", "fila"])
def test_a_user_without_a_role_cannot_read_history_or_rows(client, usuarios, elemento, nombre):
    client.force_login(usuarios["sin_rol"])
    assert client.get(reverse(f"{elemento._meta.app_label}:{nombre}", args=[elemento.pk])).status_code == 403


# Bad input -----------------------------------------------------------------------------------------

MALOS = {
    "estatus desconocido": ({"estatus": "aprobado-por-nadie"}, None, "opción válida"),
    "estatus vacío": ({"estatus": ""}, None, "obligatorio"),
    "fecha futura": (
        {"fecha": (datetime.date.today() + datetime.timedelta(days=2)).isoformat()},
        None,
        "futuro",
    ),
    "fecha mal escrita": ({"fecha": "07/02/2020"}, None, "AAAA-MM-DD"),
    "fecha imposible": ({"fecha": "2021-02-30"}, None, "AAAA-MM-DD"),
    "sin nota para incumplido": ({"estatus": "incumplido", "nota": "  "}, None, "nota"),
    "enlace inválido": ({"enlace": "javascript:alert(1)"}, None, "dirección web"),
    "sin versión": ({"version": None}, None, "versión"),
    "versión no numérica": ({"version": "abc"}, None, "número"),
    "archivo demasiado grande": ({}, ("grande.pdf", b"%PDF-1.4\n" + b"0" * TAMANO_MAXIMO), "10 MB"),
    "ejecutable disfrazado de pdf": ({}, ("oficio.pdf", b"MZ\x90\x00" + b"\x00" * 100), "tipo aceptado"),
    "pdf disfrazado de word": ({}, ("oficio.docx", b"%PDF-1.4\n%fin"), "no corresponde"),
    "html disfrazado de imagen": (
        {},
        ("foto.png", b"<html><script>alert(1)</script></html>"),
        "tipo aceptado",
    ),
    "zip cualquiera": ({}, ("datos.xlsx", b"PK\x03\x04" + b"\x00" * 40), "tipo aceptado"),
}


@pytest.mark.parametrize("caso", list(MALOS))
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_gets_a_clear_message_and_writes_nothing(client, usuarios, elemento, caso, htmx):
    cambios, adjunto, mensaje = MALOS[caso]
    version = elemento.version
    cuerpo = datos(elemento, **cambios)
    if "version" in cambios and cambios["version"] is None:
        cuerpo.pop("version", None)
    if adjunto:
        cuerpo["evidencia"] = archivo(*adjunto)
    client.force_login(usuarios["capturista"])
    antes = estado(elemento)
    respuesta = client.post(url(elemento), cuerpo, headers={"HX-Request": "true"} if htmx else {})
    assert respuesta.status_code == 400
    assert mensaje.lower() in respuesta.content.decode().lower()
    assert estado(elemento) == antes
    elemento.refresh_from_db()
    assert elemento.version == version


def test_a_field_in_error_points_at_its_message_for_screen_readers(client, usuarios, elemento):
    client.force_login(usuarios["capturista"])
    respuesta = client.post(url(elemento), datos(elemento, estatus="incumplido", nota=""))
    contenido = respuesta.content.decode()
    assert respuesta.status_code == 400
    assert 'aria-describedby="id_nota_error id_nota_helptext"' in contenido
    assert '<p class="error" id="id_nota_error" role="alert">Escriba una nota' in contenido


def test_missing_csrf_token_is_refused_and_writes_nothing(usuarios, elemento):
    antes = estado(elemento)
    cliente = Client(enforce_csrf_checks=True)
    cliente.force_login(usuarios["capturista"])
    respuesta = cliente.post(url(elemento), datos(elemento))
    assert respuesta.status_code == 403
    assert "clave de seguridad" in respuesta.content.decode()
    assert estado(elemento) == antes


def test_unknown_item_is_404(client, usuarios, semilla, tipo):
    client.force_login(usuarios["capturista"])
    for nombre in ("actualizar", "historial", "fila", "evidencia"):
        assert client.get(reverse(f"{tipo.espacio}:{nombre}", args=[999999])).status_code == 404
    assert (
        client.post(reverse(f"{tipo.espacio}:actualizar", args=[999999]), {"estatus": "cumplido"}).status_code
        == 404
    )


def test_evidence_download_of_an_update_without_file_is_404(client, usuarios, elemento, estatus):
    actualizacion = registrar_actualizacion(
        elemento, estatus=estatus["en-proceso"], fecha_efectiva=timezone.localdate()
    )
    client.force_login(usuarios["auditor"])
    assert client.get(actualizacion.url_evidencia).status_code == 404


@pytest.mark.archivos
def test_evidence_urls_of_one_kind_never_serve_the_other_kinds_files(client, usuarios, elemento, pdf_real):
    """Ids of commitment and duty updates overlap; each download URL reads only its own table."""
    client.force_login(usuarios["capturista"])
    client.post(url(elemento), {**datos(elemento), "evidencia": archivo("oficio.pdf", pdf_real)})
    actualizacion = type(elemento).objects.get(pk=elemento.pk).ultima_actualizacion
    otro = "comisiones" if elemento._meta.app_label == "convenios" else "convenios"
    respuesta = client.get(reverse(f"{otro}:evidencia", args=[actualizacion.pk]))
    assert respuesta.status_code == 404 or b"".join(respuesta.streaming_content) != pdf_real


# No lost updates -----------------------------------------------------------------------------------


def test_stale_submission_gets_409_shows_what_changed_and_keeps_what_was_typed(
    client, usuarios, elemento, estatus
):
    version = elemento.version
    otra = UsuarioFactory(username="otra", first_name="Otra Capturista", rol="Capturista")
    registrar_actualizacion(
        elemento,
        estatus=estatus["incumplido"],
        fecha_efectiva=timezone.localdate(),
        nota="No llegó el oficio",
        usuario=otra,
        version=version,
    )
    antes = estado(elemento)
    client.force_login(usuarios["capturista"])
    respuesta = client.post(
        url(elemento), datos(elemento, version=version, nota="Mi nota escrita con cuidado")
    )
    contenido = respuesta.content.decode()
    assert respuesta.status_code == 409
    assert "otra persona registró una actualización" in contenido
    assert "Otra Capturista" in contenido and "Incumplido" in contenido and "No llegó el oficio" in contenido
    assert "Mi nota escrita con cuidado" in contenido
    assert f'name="version" value="{version + 1}"' in contenido
    assert estado(elemento) == antes


def test_a_stale_submission_with_evidence_stores_only_the_held_file_until_it_is_sent_again(
    client, usuarios, elemento, estatus, pdf_real, almacen
):
    version = elemento.version
    registrar_actualizacion(
        elemento,
        estatus=estatus["en-proceso"],
        fecha_efectiva=timezone.localdate(),
        usuario=UsuarioFactory(rol="Capturista"),
        version=version,
    )
    client.force_login(usuarios["capturista"])
    respuesta = client.post(
        url(elemento), {**datos(elemento, version=version), "evidencia": archivo("oficio.pdf", pdf_real)}
    )
    assert respuesta.status_code == 409
    retenidos = almacen()
    assert [n.split("/")[0] for n in retenidos] == ["retenidas", "retenidas"], "no evidence object yet"
    token = re.search(r'name="evidencia_retenida" value="([^"]+)"', respuesta.content.decode())[1]

    respuesta = client.post(
        url(elemento), {**datos(elemento, version=version + 1), "evidencia_retenida": token}
    )
    assert respuesta.status_code == 302
    guardada = type(elemento).objects.get(pk=elemento.pk).ultima_actualizacion.evidencia
    assert almacen() == [guardada.name], "the held file became the evidence and was let go"
    with guardada.open("rb") as f:
        assert f.read() == pdf_real


def test_a_failed_transaction_leaves_no_evidence_object(
    usuarios, elemento, estatus, pdf_real, almacen, monkeypatch
):
    """The file is written when the row is saved; the write after it fails: the file goes too."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import DatabaseError

    from seguimiento import services

    def falla(*args, **kwargs):
        raise DatabaseError("la base se cayó a media transacción")

    monkeypatch.setattr(services, "es_mas_reciente", falla)
    with pytest.raises(DatabaseError):
        registrar_actualizacion(
            elemento,
            estatus=estatus["cumplido"],
            fecha_efectiva=timezone.localdate(),
            usuario=usuarios["capturista"],
            evidencia=SimpleUploadedFile("oficio.pdf", pdf_real, content_type="application/pdf"),
        )
    assert almacen() == []


def test_stale_htmx_submission_answers_409_with_the_form_in_the_row(client, usuarios, elemento, estatus):
    version = elemento.version
    registrar_actualizacion(
        elemento, estatus=estatus["en-proceso"], fecha_efectiva=timezone.localdate(), version=version
    )
    antes = estado(elemento)
    client.force_login(usuarios["capturista"])
    respuesta = client.post(
        url(elemento), datos(elemento, version=version, nota="Mi nota"), headers={"HX-Request": "true"}
    )
    contenido = respuesta.content.decode()
    assert respuesta.status_code == 409
    assert (
        contenido.lstrip().startswith(f'<tr id="{elemento.ancla}" class="editando"')
        and "<html" not in contenido
    )
    assert "otra persona registró una actualización" in contenido and "Mi nota" in contenido
    assert f'name="version" value="{version + 1}"' in contenido
    assert estado(elemento) == antes


def test_commission_page_shows_the_seed_duties_objectives_and_collaboration(client, usuarios, semilla):
    """What the page shows, read from the page: every duty's text under its subject, the objectives."""
    comision = Comision.objects.get(slug=TIPOS["atribucion"].slug_semilla)
    client.force_login(usuarios["auditor"])
    contenido = client.get(comision.get_absolute_url()).content.decode()
    for atribucion in comision.atribuciones.all():
        assert f'<td data-etiqueta="Atribución">{escape(atribucion.texto)}</td>' in contenido
    for objetivo in comision.objetivos.all():
        assert f"<li>{escape(objetivo.texto)}</li>" in contenido
    assert contenido.index("En materia de apertura") < contenido.index("En ambas materias")
    assert "Comisión de Tecnologías de la Información y Plataforma Nacional de Transparencia" in contenido
    assert comision.atribuciones.count() == 9 and comision.objetivos.count() == 2


def _sin_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("los bloqueos de fila reales se prueban en PostgreSQL")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("clave", list(TIPOS))
def test_concurrent_submissions_on_postgresql_never_overwrite_silently(clave):
    _sin_postgresql()
    restaurar_datos_de_migraciones()
    elemento = TIPOS[clave].fabrica()
    personas = [UsuarioFactory(username=f"capturista{i}", rol="Capturista") for i in range(6)]
    barrera = threading.Barrier(len(personas))
    respuestas = []

    def enviar(persona, i):
        cliente = Client()
        cliente.force_login(persona)
        barrera.wait()
        cuerpo = {
            "estatus": "en-proceso",
            "fecha": timezone.localdate().isoformat(),
            "nota": f"envío {i}",
            "version": 0,
        }
        respuestas.append(cliente.post(url(elemento), cuerpo).status_code)

    a_la_vez(enviar, personas)

    assert sorted(respuestas) == [302] + [409] * (len(personas) - 1)
    elemento.refresh_from_db()
    assert elemento.version == 1
    assert historial(elemento).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("clave", list(TIPOS))
def test_every_accepted_concurrent_update_is_in_the_history(clave):
    _sin_postgresql()
    restaurar_datos_de_migraciones()
    elemento = TIPOS[clave].fabrica()
    modelo = type(elemento)
    personas = [UsuarioFactory(username=f"persona{i}", rol="Capturista") for i in range(4)]
    aceptadas = []

    def insistir(persona, i):
        """Each person re-reads the version after a 409 and tries again, as the page invites."""
        cliente = Client()
        cliente.force_login(persona)
        for intento in range(20):
            version = modelo.objects.get(pk=elemento.pk).version
            cuerpo = {
                "estatus": "en-proceso",
                "fecha": timezone.localdate().isoformat(),
                "nota": f"{i}-{intento}",
                "version": version,
            }
            if cliente.post(url(elemento), cuerpo).status_code == 302:
                aceptadas.append(f"{i}-{intento}")
                return

    a_la_vez(insistir, personas, espera=120)

    elemento.refresh_from_db()
    notas = set(historial(elemento).values_list("nota", flat=True))
    assert len(aceptadas) == len(personas)
    assert notas == set(aceptadas)
    assert elemento.version == len(personas)


# Speed ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cantidad", [20, 200])
def test_convenio_detail_queries_do_not_grow_with_commitments(
    client, usuarios, estatus, cantidad, django_assert_max_num_queries
):
    convenio = ConvenioFactory()
    for numero in range(1, cantidad + 1):
        compromiso = CompromisoFactory(convenio=convenio, numero=numero)
        registrar_actualizacion(
            compromiso, estatus=estatus["pendiente"], fecha_efectiva=timezone.localdate(), nota="n"
        )
    client.force_login(usuarios["capturista"])
    with django_assert_max_num_queries(12):
        respuesta = client.get(reverse("convenios:detalle", args=[convenio.slug]))
    assert respuesta.content.decode().count("/historial/") == cantidad


@pytest.mark.parametrize("cantidad", [20, 200])
def test_commission_page_queries_do_not_grow_with_duties(
    client, usuarios, estatus, cantidad, django_assert_max_num_queries
):
    primera = AtribucionFactory(numero=1)
    for numero in range(2, cantidad + 1):
        atribucion = AtribucionFactory(comision=primera.comision, numero=numero)
        registrar_actualizacion(
            atribucion, estatus=estatus["pendiente"], fecha_efectiva=timezone.localdate(), nota="n"
        )
    client.force_login(usuarios["capturista"])
    with django_assert_max_num_queries(12):
        respuesta = client.get(reverse("comisiones:detalle", args=[primera.comision.slug]))
    assert respuesta.content.decode().count("/historial/") == cantidad


def test_convenio_list_shows_the_status_breakdown_and_searches_by_name(client, usuarios, semilla):
    ConvenioFactory(nombre="Convenio de Archivos Históricos", slug="archivos")
    client.force_login(usuarios["auditor"])
    contenido = client.get(reverse("convenios:lista")).content.decode()
    assert "En cumplimiento</span> 11" in contenido
    assert "7 de febrero de 2020" in contenido
    filtrado = client.get(reverse("convenios:lista"), {"q": "datos.gob"}).content.decode()
    assert semilla.nombre in filtrado and "Archivos Históricos" not in filtrado
    vacio = client.get(reverse("convenios:lista"), {"q": "'; DROP TABLE convenios_convenio; --"})
    assert vacio.status_code == 200 and "Ningún convenio coincide" in vacio.content.decode()


@pytest.mark.parametrize("cantidad", [3, 30])
def test_convenio_list_queries_do_not_grow_with_convenios(
    client, usuarios, cantidad, django_assert_max_num_queries
):
    for _ in range(cantidad):
        CompromisoFactory(responsable=None)
    client.force_login(usuarios["auditor"])
    with django_assert_max_num_queries(8):
        respuesta = client.get(reverse("convenios:lista"))
    assert respuesta.content.decode().count('href="/convenios/convenio-de-prueba-') == cantidad


@settings_hypothesis(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cuerpo=st.dictionaries(
        st.sampled_from(["estatus", "fecha", "nota", "enlace", "version", "evidencia"]),
        st.one_of(
            st.text(max_size=60), st.integers().map(str), st.sampled_from(["cumplido", "2020-02-07", "-1"])
        ),
    )
)
def test_no_submission_gives_a_500_or_a_half_write(client, usuarios, elemento, cuerpo):
    client.force_login(usuarios["capturista"])
    antes = estado(elemento)
    respuesta = client.post(url(elemento), cuerpo)
    assert respuesta.status_code in (302, 400, 409)
    if respuesta.status_code == 302:
        assert historial(elemento).count() == len(antes[0]) + 1
    else:
        assert estado(elemento) == antes


def test_an_update_needs_who_records_it_and_the_seed_is_the_systems(db, estatus, semilla):
    from seguimiento import services

    elemento = CompromisoFactory()
    with pytest.raises(ValueError, match="necesita al usuario"):
        services.registrar_actualizacion(
            elemento, estatus=estatus["en-proceso"], fecha_efectiva=timezone.localdate(), usuario=None
        )
    assert not elemento.actualizaciones.exists()
    sistema = services.usuario_del_sistema()
    assert not sistema.is_active and not sistema.has_usable_password()
    historial = Actualizacion.objects.filter(compromiso__convenio=semilla)
    assert historial.exists() and set(historial.values_list("registrado_por", flat=True)) == {sistema.pk}
    assert historial.first().registrado_por_nombre == "Carga inicial"


# The file store (S3) down ---------------------------------------------------------------------------


@pytest.fixture
def almacen_caido(settings, monkeypatch):
    """Private files in an S3 store that nobody answers at: a port on loopback just freed."""
    import socket

    from config.almacen import almacen_desde_url

    with socket.socket() as libre:
        libre.bind(("127.0.0.1", 0))
        puerto = libre.getsockname()[1]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "prueba")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "prueba")
    url = f"s3://caido/privado?endpoint=http://127.0.0.1:{puerto}&region=us-east-1"
    return lambda: setattr(settings, "STORAGES", {**settings.STORAGES, "privado": almacen_desde_url(url)})


@pytest.mark.archivos
def test_an_unreachable_file_store_gives_a_spanish_503_records_nothing_and_pages_still_serve(
    client, usuarios, elemento, pdf_real, almacen_caido
):
    client.raise_request_exception = False
    client.force_login(usuarios["capturista"])
    assert (
        client.post(
            url(elemento), {**datos(elemento), "evidencia": archivo("oficio.pdf", pdf_real)}
        ).status_code
        == 302
    )
    guardada = type(elemento).objects.get(pk=elemento.pk).ultima_actualizacion
    elemento.refresh_from_db()
    almacen_caido()

    antes = estado(elemento)
    respuesta = client.post(
        url(elemento), {**datos(elemento, estatus="en-proceso"), "evidencia": archivo("oficio.pdf", pdf_real)}
    )
    assert respuesta.status_code == 503 and respuesta["Retry-After"] == "30"
    assert "El almacén de archivos (evidencias e informes) no responde" in respuesta.content.decode()
    assert estado(elemento) == antes

    descarga = client.get(guardada.url_evidencia)
    assert descarga.status_code == 503 and "no responde" in descarga.content.decode()
    # Without a file, nothing waits on the store: the history page and an update without evidence work.
    assert client.get(reverse(f"{elemento._meta.app_label}:historial", args=[elemento.pk])).status_code == 200
    assert client.post(url(elemento), datos(elemento, estatus="en-proceso")).status_code == 302
    assert historial(elemento).count() == len(antes[0]) + 1
