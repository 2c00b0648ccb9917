import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from convenios.models import Convenio
from seguimiento.models import Estatus

from .factories import UsuarioFactory

ROLES = ["Capturista", "Gerente", "Auditor"]


@pytest.fixture(autouse=True)
def contrasenas_rapidas(settings):
    """Hashing a password properly takes ~0.3 s; tests need no protection against brute force."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def semilla(db) -> Convenio:
    """Both seed documents loaded, as `make run` loads them."""
    call_command("cargar_semilla", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Convenio.objects.get(slug="convenio-de-colaboracion-www-datos-gob-mx")


@pytest.fixture
def usuarios(db) -> dict:
    """One user per role, plus a superuser and a logged-in user with no role at all."""
    cuentas = {rol.lower(): UsuarioFactory(username=rol.lower(), rol=rol) for rol in ROLES}
    cuentas["admin"] = UsuarioFactory(username="admin", is_staff=True, is_superuser=True)
    cuentas["sin_rol"] = UsuarioFactory(username="sin_rol")
    return cuentas


@pytest.fixture
def estatus(db) -> dict[str, Estatus]:
    return {e.slug: e for e in Estatus.objects.all()}


# What the data migrations wrote (statuses, roles), read once from the freshly migrated test database.
DATOS_DE_MIGRACIONES: dict = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        DATOS_DE_MIGRACIONES["estatus"] = list(Estatus.objects.values())
        DATOS_DE_MIGRACIONES["roles"] = {
            grupo.name: list(grupo.permissions.values_list("content_type__app_label", "codename"))
            for grupo in Group.objects.prefetch_related("permissions")
        }


def restaurar_datos_de_migraciones() -> None:
    """A transactional test flushes the tables, losing what data migrations created; put it back."""
    for fila in DATOS_DE_MIGRACIONES["estatus"]:
        Estatus.objects.get_or_create(pk=fila["id"], defaults=fila)
    for nombre, permisos in DATOS_DE_MIGRACIONES["roles"].items():
        grupo, _ = Group.objects.get_or_create(name=nombre)
        for app_label, codename in permisos:
            grupo.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
