"""Uploads refused by their Content-Length before the body is read (config/middleware.py
LimiteDeSubida: 413 in Spanish), on every upload door and at both sides of each door's limit; and the
session's absolute lifetime (SesionConDuracionMaxima, SESION_MAXIMA_HORAS) besides the idle timeout."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from comisiones.models import Atribucion
from convenios import importacion
from convenios.models import Compromiso

from .conftest import archivos_privados

MB = 1024 * 1024
FRONTERA = "LimiteDeLaPrueba"
DEMASIADO = "aquí se aceptan hasta"


class Intocable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("se leyó el cuerpo de una petición que debía rechazarse antes")

    readline = read


def cuerpo_de(largo: int, campos: dict[str, str], archivo: str, nombre: str) -> bytes:
    """A multipart body of exactly ``largo`` bytes: the fields, and a file padded to fill the rest."""

    def armar(relleno: int) -> bytes:
        partes = [
            f'--{FRONTERA}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in campos.items()
        ]
        partes.append(
            f'--{FRONTERA}\r\nContent-Disposition: form-data; name="{archivo}"; filename="{nombre}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + b"x" * relleno
            + f"\r\n--{FRONTERA}--\r\n".encode()
        )
        return b"".join(partes)

    cuerpo = armar(largo - len(armar(0)))
    assert len(cuerpo) == largo
    return cuerpo


def evidencia(app: str, modelo):
    elemento = modelo.objects.order_by("pk").first()
    campos = {"estatus": "cumplido", "nota": "Oficio.", "version": str(elemento.version)}
    if app == "api":
        ruta = reverse(f"api:{modelo._meta.model_name}-actualizaciones", args=[elemento.pk])
        campos["fecha_efectiva"] = timezone.localdate().isoformat()
    else:
        ruta = reverse(f"{modelo._meta.app_label}:actualizar", args=[elemento.pk])
        campos["fecha"] = timezone.localdate().isoformat()
    return ruta, campos, "evidencia", "oficio.pdf", elemento


PUERTAS = {
    # door: (who, what builds (path, fields, file field, file name, item or None), limit)
    "compromiso-pagina": ("capturista", lambda: evidencia("pagina", Compromiso), 11 * MB),
    "atribucion-pagina": ("capturista", lambda: evidencia("pagina", Atribucion), 11 * MB),
    "compromiso-api": ("capturista", lambda: evidencia("api", Compromiso), 11 * MB),
    "atribucion-api": ("capturista", lambda: evidencia("api", Atribucion), 11 * MB),
    "importacion": (
        "importador",
        lambda: (reverse("convenios:importar"), {}, "archivo", "datos.xlsx", None),
        21 * MB,
    ),
    "importacion-admin": (
        "importador",
        lambda: (
            reverse("admin:convenios_actualizacion_import"),
            {"format": "0", "resource": "0"},
            "import_file",
            "datos.xlsx",
            None,
        ),
        21 * MB,
    ),
    "verificar-informe": (
        None,
        lambda: (reverse("reportes:verificar"), {}, "archivo", "informe.pdf", None),
        21 * MB,
    ),
}


def test_the_limits_leave_room_for_each_doors_own_file_limit():
    from reportes.forms import TAMANO_MAXIMO as INFORME
    from seguimiento.evidencias import TAMANO_MAXIMO as EVIDENCIA

    assert EVIDENCIA < settings.SUBIDAS_MAXIMAS["convenios:actualizar"] == 11 * MB
    assert max(importacion.TAMANO_MAXIMO, INFORME) < settings.SUBIDA_MAXIMA == 21 * MB


@pytest.mark.archivos
@pytest.mark.parametrize("puerta", list(PUERTAS))
def test_one_byte_over_the_doors_limit_is_a_413_in_spanish_before_the_body_is_read(
    client, usuarios, semilla, puerta
):
    quien, armar, limite = PUERTAS[puerta]
    if quien:
        client.force_login(usuarios[quien])
    ruta, _campos, _archivo, _nombre, elemento = armar()
    antes = list(elemento.actualizaciones.values()) if elemento else importacion.exportar()
    respuesta = client.generic(
        "POST",
        ruta,
        content_type=f"multipart/form-data; boundary={FRONTERA}",
        CONTENT_LENGTH=str(limite + 1),
        **{"wsgi.input": Intocable()},
    )
    assert respuesta.status_code == 413
    texto = respuesta.json()["detail"] if "-api" in puerta else respuesta.content.decode()
    assert f"{DEMASIADO} {limite // MB} MB" in texto
    assert (list(elemento.actualizaciones.values()) if elemento else importacion.exportar()) == antes
    assert archivos_privados() == []


@pytest.mark.parametrize("puerta", list(PUERTAS))
def test_exactly_the_doors_limit_reaches_the_form_which_answers_for_itself(client, usuarios, semilla, puerta):
    quien, armar, limite = PUERTAS[puerta]
    if quien:
        client.force_login(usuarios[quien])
    ruta, campos, archivo, nombre, _elemento = armar()
    respuesta = client.post(
        ruta,
        cuerpo_de(limite, campos, archivo, nombre),
        content_type=f"multipart/form-data; boundary={FRONTERA}",
    )
    assert respuesta.status_code != 413
    assert DEMASIADO not in respuesta.content.decode()
    assert "MB" in respuesta.content.decode()  # the form's own «pesa … MB; el máximo es …»


def test_any_other_request_has_the_largest_limit(client, db):
    """A door not named in SUBIDAS_MAXIMAS (here the login form) still cannot be sent more."""
    respuesta = client.generic(
        "POST",
        reverse("login"),
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(21 * MB + 1),
        **{"wsgi.input": Intocable()},
    )
    assert respuesta.status_code == 413 and "hasta 21 MB" in respuesta.content.decode()
    assert client.post(reverse("login"), {"username": "nadie", "password": "x"}).status_code == 200


# --- absolute session lifetime ----------------------------------------------------------------------

CONVENIOS = "/convenios/"


def test_a_session_used_all_day_ends_twelve_hours_after_its_login(client, usuarios):
    inicio = timezone.now()
    with time_machine.travel(inicio, tick=False):
        client.force_login(usuarios["gerente"])
    for horas in (3, 6, 9, 11):  # activity every few hours: the idle timeout (8 h) never strikes
        with time_machine.travel(inicio + datetime.timedelta(hours=horas), tick=False):
            assert client.get(CONVENIOS).status_code == 200
    with time_machine.travel(inicio + datetime.timedelta(hours=12, seconds=-1), tick=False):
        assert client.get(CONVENIOS).status_code == 200
    with time_machine.travel(inicio + datetime.timedelta(hours=12), tick=False):
        respuesta = client.get(CONVENIOS)
        assert respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))
        assert SESSION_KEY not in client.session
        pagina = client.get(respuesta["Location"])
        assert "duración máxima (12 horas)" in pagina.content.decode()


def test_sesion_maxima_horas_sets_the_lifetime(client, usuarios, settings):
    settings.SESION_MAXIMA_HORAS = 2
    inicio = timezone.now()
    with time_machine.travel(inicio, tick=False):
        client.force_login(usuarios["gerente"])
    with time_machine.travel(inicio + datetime.timedelta(hours=2, seconds=-1), tick=False):
        assert client.get(CONVENIOS).status_code == 200
    with time_machine.travel(inicio + datetime.timedelta(hours=2), tick=False):
        assert client.get(CONVENIOS).status_code == 302


def test_a_new_login_starts_a_new_lifetime(client, usuarios):
    inicio = timezone.now()
    with time_machine.travel(inicio, tick=False):
        client.force_login(usuarios["gerente"])
    with time_machine.travel(inicio + datetime.timedelta(hours=11), tick=False):
        client.force_login(usuarios["gerente"])
    for horas in (18, 22):  # 22 h after the first login, 11 h after the second
        with time_machine.travel(inicio + datetime.timedelta(hours=horas), tick=False):
            assert client.get(CONVENIOS).status_code == 200
