"""A file attached to a form that comes back (400, 409) is held, not lost: the next submission
saves it. Held under a one-time token bound to the user and the item, for a day at most."""
# ruff: noqa: F811 — the fixtures ``tipo``, ``elemento`` and ``pdf_real`` are test_actualizacion's, imported to be reused

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from seguimiento.evidencias import PREFIJO_RETENIDAS, almacen_privado, limpiar_retenidas

from .factories import UsuarioFactory
from .test_actualizacion import archivo, datos, elemento, estado, pdf_real, tipo, url  # noqa: F401 — fixtures

pytestmark = pytest.mark.archivos

SIN_NOTA = {"estatus": "incumplido", "nota": ""}
HTMX = {"HX-Request": "true"}


def token_de(contenido: str) -> str:
    encontrado = re.search(r'name="evidencia_retenida" value="([^"]+)"', contenido)
    assert encontrado, "the returned form holds no file"
    return encontrado.group(1)


def retenidos() -> list[str]:
    try:
        return sorted(almacen_privado().listdir(PREFIJO_RETENIDAS)[1])
    except FileNotFoundError:
        return []


def evidencia_guardada(elemento) -> bytes | None:
    ultima = type(elemento).objects.get(pk=elemento.pk).ultima_actualizacion
    return ultima.evidencia.read() if ultima and ultima.evidencia else None


def retener(client, elemento, pdf: bytes, **cabeceras) -> str:
    """Attach a PDF, forget the note of an unfavourable status: the 400 form keeps the file."""
    cuerpo = {**datos(elemento, **SIN_NOTA), "evidencia": archivo("oficio.pdf", pdf)}
    respuesta = client.post(url(elemento), cuerpo, headers=cabeceras)
    contenido = respuesta.content.decode()
    assert respuesta.status_code == 400
    assert "Escriba una nota" in contenido
    assert "Archivo ya adjuntado: <strong>oficio.pdf</strong>" in contenido
    assert "Quitar" in contenido
    return token_de(contenido)


@pytest.mark.parametrize("htmx", [False, True], ids=["sin-js", "htmx"])
def test_the_400_form_keeps_the_file_and_saving_records_the_update_with_it(
    client, usuarios, elemento, pdf_real, htmx
):
    client.force_login(usuarios["capturista"])
    cabeceras = HTMX if htmx else {}
    token = retener(client, elemento, pdf_real, **cabeceras)
    assert len(retenidos()) == 2  # the file and its metadata
    respuesta = client.post(
        url(elemento),
        {**datos(elemento, estatus="incumplido", nota="No llegó el oficio"), "evidencia_retenida": token},
        headers=cabeceras,
    )
    assert respuesta.status_code == (200 if htmx else 302)
    assert evidencia_guardada(elemento) == pdf_real
    ultima = type(elemento).objects.get(pk=elemento.pk).ultima_actualizacion
    assert ultima.evidencia.name.endswith(".pdf") and "oficio" in ultima.evidencia.name
    assert retenidos() == []  # used: consumed

    # One time only: the same token again attaches nothing.
    antes = estado(elemento)
    elemento.refresh_from_db()
    respuesta = client.post(
        url(elemento), {**datos(elemento, estatus="cumplido"), "evidencia_retenida": token}, headers=cabeceras
    )
    assert respuesta.status_code == 400
    assert "ya no está disponible" in respuesta.content.decode()
    assert estado(elemento) == antes


def test_a_second_error_keeps_the_held_file_and_a_new_file_replaces_it(client, usuarios, elemento, pdf_real):
    client.force_login(usuarios["capturista"])
    token = retener(client, elemento, pdf_real)
    respuesta = client.post(url(elemento), {**datos(elemento, **SIN_NOTA), "evidencia_retenida": token})
    assert respuesta.status_code == 400 and token_de(respuesta.content.decode()) == token

    otro = pdf_real.replace(b"Oficio", b"Acta  ")
    respuesta = client.post(
        url(elemento),
        {
            **datos(elemento, estatus="en-proceso"),
            "evidencia_retenida": token,
            "evidencia": archivo("acta.pdf", otro),
        },
    )
    assert respuesta.status_code == 302
    assert evidencia_guardada(elemento) == otro
    assert retenidos() == []


def test_quitar_drops_the_held_file(client, usuarios, elemento, pdf_real):
    client.force_login(usuarios["capturista"])
    token = retener(client, elemento, pdf_real)
    respuesta = client.post(
        url(elemento),
        {**datos(elemento, estatus="en-proceso"), "evidencia_retenida": token, "quitar_evidencia": "1"},
    )
    assert respuesta.status_code == 302
    assert evidencia_guardada(elemento) is None
    assert retenidos() == []


def test_an_invalid_file_is_not_held(client, usuarios, elemento):
    client.force_login(usuarios["capturista"])
    cuerpo = {
        **datos(elemento, **SIN_NOTA),
        "evidencia": archivo("oficio.pdf", b"MZ\x90\x00" + b"\x00" * 100),
    }
    respuesta = client.post(url(elemento), cuerpo)
    assert respuesta.status_code == 400
    assert 'name="evidencia_retenida"' not in respuesta.content.decode()
    assert retenidos() == []


@pytest.mark.parametrize("htmx", [False, True], ids=["sin-js", "htmx"])
def test_the_409_form_keeps_the_file(client, usuarios, elemento, estatus, pdf_real, htmx):
    from tests.factories import registrar_actualizacion

    version = elemento.version
    registrar_actualizacion(
        elemento, estatus=estatus["en-proceso"], fecha_efectiva=timezone.localdate(), version=version
    )
    client.force_login(usuarios["capturista"])
    cabeceras = HTMX if htmx else {}
    respuesta = client.post(
        url(elemento),
        {**datos(elemento, version=version), "evidencia": archivo("oficio.pdf", pdf_real)},
        headers=cabeceras,
    )
    contenido = respuesta.content.decode()
    assert respuesta.status_code == 409
    assert "«oficio.pdf» sigue adjunto" in contenido
    token = token_de(contenido)
    respuesta = client.post(
        url(elemento),
        {**datos(elemento, version=version + 1), "evidencia_retenida": token},
        headers=cabeceras,
    )
    assert respuesta.status_code == (200 if htmx else 302)
    assert evidencia_guardada(elemento) == pdf_real
    assert retenidos() == []


def test_a_token_of_another_user_or_item_is_refused_and_attaches_nothing(
    client, usuarios, elemento, tipo, pdf_real
):
    client.force_login(usuarios["capturista"])
    token = retener(client, elemento, pdf_real)
    guardados = retenidos()

    otra = UsuarioFactory(username="otra", first_name="Otra", rol="Capturista")
    client.force_login(otra)
    antes = estado(elemento)
    respuesta = client.post(
        url(elemento), {**datos(elemento, estatus="cumplido"), "evidencia_retenida": token}
    )
    assert respuesta.status_code == 400
    assert "El archivo adjuntado antes ya no está disponible" in respuesta.content.decode()
    assert estado(elemento) == antes
    # «Quitar» or a new file from someone else never deletes the owner's file either.
    client.post(
        url(elemento), {**datos(elemento, **SIN_NOTA), "evidencia_retenida": token, "quitar_evidencia": "1"}
    )
    assert retenidos() == guardados

    otro_elemento = tipo.modelo.objects.exclude(pk=elemento.pk).order_by("pk").first()
    client.force_login(usuarios["capturista"])
    antes = estado(otro_elemento)
    respuesta = client.post(
        url(otro_elemento), {**datos(otro_elemento, estatus="cumplido"), "evidencia_retenida": token}
    )
    assert respuesta.status_code == 400
    assert "ya no está disponible" in respuesta.content.decode()
    assert estado(otro_elemento) == antes
    assert retenidos() == guardados


@pytest.mark.parametrize("token", ["../../config/settings", "x" * 43 + "/..", "", "a" * 43])
def test_a_malformed_or_unknown_token_is_a_clear_400(client, usuarios, elemento, token):
    client.force_login(usuarios["capturista"])
    antes = estado(elemento)
    respuesta = client.post(url(elemento), {**datos(elemento), "evidencia_retenida": token})
    if token:
        assert respuesta.status_code == 400
        assert "ya no está disponible" in respuesta.content.decode()
        assert estado(elemento) == antes
    else:
        assert respuesta.status_code == 302


@pytest.mark.parametrize(
    ("pasado", "aceptado"),
    [(datetime.timedelta(hours=23, minutes=59), True), (datetime.timedelta(days=1, minutes=1), False)],
    ids=["dentro-del-dia", "pasado-el-dia"],
)
def test_a_held_file_lasts_one_day(client, usuarios, elemento, pdf_real, pasado, aceptado):
    client.force_login(usuarios["capturista"])
    token = retener(client, elemento, pdf_real)
    with time_machine.travel(timezone.now() + pasado, tick=False):
        client.force_login(usuarios["capturista"])  # a new session: the old one timed out
        respuesta = client.post(
            url(elemento), {**datos(elemento, estatus="en-proceso"), "evidencia_retenida": token}
        )
    if aceptado:
        assert respuesta.status_code == 302
        assert evidencia_guardada(elemento) == pdf_real
    else:
        assert respuesta.status_code == 400
        assert "caducó" in respuesta.content.decode()
        assert evidencia_guardada(elemento) != pdf_real
    assert retenidos() == []  # used, or expired and deleted on that use


def test_held_files_older_than_a_day_are_deleted_on_the_next_hold(client, usuarios, elemento, pdf_real):
    client.force_login(usuarios["capturista"])
    viejo = retener(client, elemento, pdf_real)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=23), tick=False):
        assert limpiar_retenidas() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1), tick=False):
        client.force_login(usuarios["capturista"])
        nuevo = retener(client, elemento, pdf_real)
    assert retenidos() == sorted([f"{nuevo}.bin", f"{nuevo}.json"])
    assert viejo != nuevo


def test_the_form_leaves_validation_to_the_server_which_reports_note_and_date_together(
    client, usuarios, elemento
):
    """``novalidate``: the browser's own (English) date message never comes first; the server
    answers in Spanish for both fields at once."""
    client.force_login(usuarios["capturista"])
    formulario = client.get(url(elemento)).content.decode()
    assert re.search(r"<form [^>]*novalidate", formulario)
    manana = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    for cabeceras in ({}, HTMX):
        respuesta = client.post(url(elemento), datos(elemento, fecha=manana, **SIN_NOTA), headers=cabeceras)
        contenido = respuesta.content.decode()
        assert respuesta.status_code == 400
        assert "La fecha efectiva no puede estar en el futuro." in contenido
        assert "Escriba una nota" in contenido
        assert re.search(r"<form [^>]*novalidate", contenido)
