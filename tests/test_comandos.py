"""The commands a newcomer runs through `make run`, and the settings they rely on."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

RAIZ = Path(__file__).resolve().parents[1]


def test_demo_users_are_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("crear_usuarios_demo", stdout=StringIO())
    assert get_user_model().objects.count() == 0


def test_demo_users_can_be_forced_with_debug_off(db, settings):
    settings.DEBUG = False
    call_command("crear_usuarios_demo", "--forzar", stdout=StringIO())
    assert get_user_model().objects.count() == 6


def test_demo_users_log_in_with_their_roles_and_running_twice_duplicates_nothing(db, settings):
    settings.DEBUG = True
    call_command("crear_usuarios_demo", stdout=StringIO())
    call_command("crear_usuarios_demo", "--password", "otra-clave-larga", stdout=StringIO())
    assert get_user_model().objects.count() == 6
    roles = [
        ("capturista", "Capturista"),
        ("gerente", "Gerente"),
        ("auditor", "Auditor"),
        ("importador", "Importador"),
        ("enlace", "Enlace"),
    ]
    for usuario, grupo in roles:
        user = authenticate(username=usuario, password="otra-clave-larga")
        assert user is not None and not user.is_staff
        assert list(user.groups.values_list("name", flat=True)) == [grupo]
    admin = authenticate(username="admin", password="otra-clave-larga")
    assert admin.is_superuser and admin.is_staff
    assert authenticate(username="admin", password="seguimiento") is None


def test_demo_users_default_password_is_the_documented_one(db, settings):
    settings.DEBUG = True
    call_command("crear_usuarios_demo", stdout=StringIO())
    assert authenticate(username="gerente", password="seguimiento") is not None
    assert "`seguimiento`" in (RAIZ / "README.md").read_text(encoding="utf-8")


def test_demo_enlace_speaks_for_the_seed_state_government_and_commission(semilla, settings):
    """«COMPROMISOS GOB- TAM» is the party «Gobierno del Estado de Tamaulipas»; the seed commission is
    the one with duties. Without the seed the user is still created, unlinked, with a warning."""
    from comisiones.models import Atribucion
    from convenios.models import Compromiso

    settings.DEBUG = True
    call_command("crear_usuarios_demo", stdout=StringIO())
    call_command("crear_usuarios_demo", stdout=StringIO())
    enlace = authenticate(username="enlace", password="seguimiento")
    assert [v.dependencia.nombre for v in enlace.enlaces_dependencia.all()] == [
        "Gobierno del Estado de Tamaulipas"
    ]
    assert [v.comision.slug for v in enlace.enlaces_comision.all()] == [
        "gobierno-abierto-y-transparencia-proactiva"
    ]
    assert (
        Compromiso.objects.visibles_para(enlace).count()
        == Compromiso.objects.filter(convenio=semilla).count()
    )
    propios = Compromiso.objects.proponibles_para(enlace)
    assert propios.exists() and {c.encabezado for c in propios} <= {
        "COMPROMISOS GOB- TAM",
        'COMPROMISOS DE "LAS PARTES"',
    }
    assert Atribucion.objects.visibles_para(enlace).count() == Atribucion.objects.count() > 0


def test_demo_enlace_without_the_seed_is_created_unlinked(db, settings):
    settings.DEBUG = True
    salida = StringIO()
    call_command("crear_usuarios_demo", stdout=salida)
    assert "cargue la semilla" in salida.getvalue()
    assert not get_user_model().objects.get(username="enlace").enlaces_dependencia.exists()


def correr_django(entorno: dict, codigo: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    env.update(entorno, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {codigo}"],
        cwd=RAIZ,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_key_is_required_when_debug_is_off():
    resultado = correr_django({}, "")
    assert resultado.returncode != 0
    assert "SECRET_KEY es obligatoria" in resultado.stderr


def test_settings_default_to_sqlite_spanish_and_mexico_city():
    codigo = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ)"
    )
    resultado = correr_django({"DEBUG": "1"}, codigo)
    assert resultado.returncode == 0, resultado.stderr
    assert resultado.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "es-mx",
        "America/Mexico_City",
        "True",
    ]


def test_database_url_picks_postgresql():
    codigo = "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'])"
    resultado = correr_django({"SECRET_KEY": "x", "DATABASE_URL": "postgres://u@127.0.0.1:5432/x"}, codigo)
    assert resultado.stdout.strip() == "django.db.backends.postgresql"
