"""API keys (api.models.ClaveDeAPI): stored as a digest, revoked by a password change, expiring after
``API_TOKEN_DIAS`` days when that is set, their last use recorded; DRF's old tokens carried over."""

import datetime
import hashlib
import io

import pytest
import time_machine
from django.contrib.auth.forms import SetPasswordForm
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from api.models import ClaveDeAPI

from .conftest import clave_de_api, con_token, restaurar_datos_de_migraciones

LISTA = "/api/v1/estatus/"


def emitir(usuario) -> str:
    salida = io.StringIO()
    call_command("crear_token", usuario.username, stdout=salida, stderr=io.StringIO())
    return salida.getvalue().strip()


def responde(clave: str) -> int:
    return Client(HTTP_AUTHORIZATION=f"Token {clave}").get(LISTA).status_code


def test_only_the_keys_digest_is_stored(usuarios):
    clave = emitir(usuarios["auditor"])
    fila = ClaveDeAPI.objects.get(usuario=usuarios["auditor"])
    assert fila.resumen == hashlib.sha256(clave.encode()).hexdigest()
    assert fila.prefijo == clave[:8]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_clavedeapi")
        assert not any(clave in str(valor) for valor in cursor.fetchone())
    assert responde(clave) == 200


@pytest.mark.parametrize(
    "cambio",
    ["set_password", "formulario", "changepassword_sin_uso"],
)
def test_any_password_change_revokes_the_key(usuarios, cambio):
    auditor = usuarios["auditor"]
    clave = emitir(auditor)
    assert responde(clave) == 200
    if cambio == "set_password":
        auditor.set_password("otra-clave-larga-1")
        auditor.save()
    elif cambio == "formulario":  # what the password change and reset pages use
        form = SetPasswordForm(
            auditor, {"new_password1": "Otra-clave-larga-2", "new_password2": "Otra-clave-larga-2"}
        )
        assert form.is_valid(), form.errors
        form.save()
    else:
        auditor.set_unusable_password()
        auditor.save()
    respuesta = Client(HTTP_AUTHORIZATION=f"Token {clave}").get(LISTA)
    assert respuesta.status_code == 401
    assert "revocada al cambiar la contraseña" in respuesta.json()["detail"]
    assert responde(emitir(auditor)) == 200  # a new key works again


def test_saving_the_user_without_changing_the_password_keeps_the_key(usuarios):
    auditor = usuarios["auditor"]
    clave = emitir(auditor)
    auditor.first_name = "Ana"
    auditor.save()
    assert responde(clave) == 200


def test_without_api_token_dias_a_key_never_expires(usuarios, settings):
    settings.API_TOKEN_DIAS = None
    clave = emitir(usuarios["auditor"])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3650)):
        assert responde(clave) == 200


@pytest.mark.parametrize("modelo", ["compromisos", "atribuciones"])
def test_a_key_works_until_api_token_dias_and_not_a_second_longer(usuarios, semilla, settings, modelo):
    settings.API_TOKEN_DIAS = 30
    clave = emitir(usuarios["auditor"])
    emitida = ClaveDeAPI.objects.get().creada
    ruta = f"/api/v1/{modelo}/"
    with time_machine.travel(emitida + datetime.timedelta(days=30, seconds=-1), tick=False):
        assert Client(HTTP_AUTHORIZATION=f"Token {clave}").get(ruta).status_code == 200
    with time_machine.travel(emitida + datetime.timedelta(days=30), tick=False):
        respuesta = Client(HTTP_AUTHORIZATION=f"Token {clave}").get(ruta)
        assert respuesta.status_code == 401
        assert "venció" in respuesta.json()["detail"]


def test_crear_token_says_when_the_key_expires(usuarios, settings):
    settings.API_TOKEN_DIAS = 7
    avisos = io.StringIO()
    call_command("crear_token", "auditor", stdout=io.StringIO(), stderr=avisos)
    vence = timezone.localtime(ClaveDeAPI.objects.get().vence)
    assert f"Vence el {vence:%Y-%m-%d %H:%M}" in avisos.getvalue()


def test_the_last_use_is_recorded_at_most_once_a_minute(usuarios):
    clave = emitir(usuarios["auditor"])
    assert ClaveDeAPI.objects.get().ultimo_uso is None
    inicio = timezone.now()
    with time_machine.travel(inicio, tick=False):
        assert responde(clave) == 200
    assert ClaveDeAPI.objects.get().ultimo_uso == inicio
    with time_machine.travel(inicio + datetime.timedelta(seconds=59), tick=False):
        assert responde(clave) == 200
    assert ClaveDeAPI.objects.get().ultimo_uso == inicio
    with time_machine.travel(inicio + datetime.timedelta(seconds=60), tick=False):
        assert responde(clave) == 200
    assert ClaveDeAPI.objects.get().ultimo_uso == inicio + datetime.timedelta(seconds=60)


def test_an_inactive_users_key_is_refused(usuarios):
    cliente = con_token(usuarios["auditor"])
    usuarios["auditor"].is_active = False
    usuarios["auditor"].save()
    assert cliente.get(LISTA).status_code == 401


def test_the_shared_helper_reuses_a_key_while_it_is_valid(usuarios):
    primera = clave_de_api(usuarios["auditor"])
    assert clave_de_api(usuarios["auditor"]) == primera
    ClaveDeAPI.objects.all().delete()
    assert clave_de_api(usuarios["auditor"]) != primera


@pytest.mark.motor
@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_drfs_clear_tokens_into_digests_that_keep_working():
    """A client holding a key from before the migration keeps working; no key is left readable."""
    restaurar_datos_de_migraciones()
    ejecutor = MigrationExecutor(connection)
    ejecutor.migrate([("api", None)])
    antes = (
        MigrationExecutor(connection)
        .loader.project_state([("authtoken", "0004_alter_tokenproxy_options")])
        .apps
    )
    Usuario = antes.get_model("auth", "User")
    Token = antes.get_model("authtoken", "Token")
    usuario = Usuario.objects.create(
        username="programa", password="md5$sal$resumen", is_active=True, is_superuser=True
    )
    Token.objects.create(key="0123456789abcdef0123456789abcdef01234567", user=usuario)
    try:
        MigrationExecutor(connection).migrate([("api", "0001_initial")])
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM authtoken_token")
            assert cursor.fetchone() == (0,)
        fila = ClaveDeAPI.objects.get(usuario_id=usuario.pk)
        assert fila.prefijo == "01234567"
        assert responde("0123456789abcdef0123456789abcdef01234567") == 200
    finally:
        restaurar_datos_de_migraciones()
