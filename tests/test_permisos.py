"""Roles beyond the page matrix (which is tests/test_tabla_permisos.py): the admin, the groups' rights."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from convenios.models import Actualizacion, Compromiso

# The seed and the users are built once for the module (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("mundo_del_modulo")


@pytest.fixture
def urls(semilla):
    compromiso = Compromiso.objects.filter(convenio=semilla).first()
    return {
        "convenios:lista": reverse("convenios:lista"),
        "convenios:detalle": reverse("convenios:detalle", args=[semilla.slug]),
        "comisiones:lista": reverse("comisiones:lista"),
        "comisiones:detalle": reverse(
            "comisiones:detalle", args=["gobierno-abierto-y-transparencia-proactiva"]
        ),
        "reportes:informe": reverse("reportes:informe", args=[semilla.slug]),
        "compromiso": compromiso,
    }


def test_root_is_the_home_page_pendientes(client, usuarios):
    client.force_login(usuarios["auditor"])
    respuesta = client.get("/")
    assert respuesta.status_code == 200 and "<h1>Pendientes</h1>" in respuesta.content.decode()
    client.logout()
    respuesta = client.get("/")
    assert respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))


def test_reports_and_read_only_pages_refuse_put_patch_and_delete(client, usuarios, urls):
    client.force_login(usuarios["auditor"])
    for nombre in ("convenios:lista", "convenios:detalle", "comisiones:detalle", "reportes:informe"):
        for metodo in ("put", "patch", "delete"):
            assert getattr(client, metodo)(urls[nombre]).status_code == 405, (nombre, metodo)


@pytest.mark.parametrize("rol", ["capturista", "gerente", "auditor"])
def test_roles_cannot_enter_the_admin(client, usuarios, rol):
    client.force_login(usuarios[rol])
    respuesta = client.get(reverse("admin:convenios_compromiso_changelist"))
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith(reverse("admin:login"))


def test_not_even_a_superuser_can_edit_or_delete_history_in_the_admin(client, usuarios, urls, estatus):
    client.force_login(usuarios["admin"])
    actualizacion = urls["compromiso"].actualizaciones.get()
    cambio = reverse("admin:convenios_actualizacion_change", args=[actualizacion.pk])
    borrado = reverse("admin:convenios_actualizacion_delete", args=[actualizacion.pk])

    assert client.get(cambio).status_code == 200  # view-only
    client.post(cambio, {"estatus": estatus["incumplido"].pk, "fecha_efectiva": "2020-02-07", "nota": "x"})
    assert client.post(borrado, {"post": "yes"}).status_code == 403
    actualizacion = Actualizacion.objects.get(pk=actualizacion.pk)
    assert actualizacion.estatus == estatus["en-cumplimiento"] and actualizacion.nota == ""


def test_superuser_adds_an_update_in_the_admin_through_the_service(client, usuarios, urls, estatus):
    client.force_login(usuarios["admin"])
    compromiso = urls["compromiso"]
    respuesta = client.post(
        reverse("admin:convenios_actualizacion_add"),
        {
            "compromiso": compromiso.pk,
            "estatus": estatus["cumplido"].pk,
            "fecha_efectiva": "2024-01-02",
            "nota": "ok",
        },
    )
    assert respuesta.status_code == 302
    compromiso.refresh_from_db()
    assert compromiso.estatus_actual == estatus["cumplido"]
    assert compromiso.ultima_actualizacion.registrado_por == usuarios["admin"]
    assert compromiso.version == 2


@pytest.mark.parametrize(
    "rol",
    [
        "admin:convenios_convenio_changelist",
        "admin:convenios_compromiso_changelist",
        "admin:convenios_actualizacion_changelist",
        "admin:comisiones_comision_changelist",
        "admin:comisiones_atribucion_changelist",
        "admin:seguimiento_estatus_changelist",
    ],
)
def test_admin_pages_work_in_spanish(client, usuarios, semilla, rol):
    client.force_login(usuarios["admin"])
    respuesta = client.get(reverse(rol))
    assert respuesta.status_code == 200
    assert 'lang="es-mx"' in respuesta.content.decode().lower()


def test_admin_shows_the_history_read_only_on_each_commitment(client, usuarios, urls):
    client.force_login(usuarios["admin"])
    respuesta = client.get(reverse("admin:convenios_compromiso_change", args=[urls["compromiso"].pk]))
    contenido = respuesta.content.decode()
    assert "En cumplimiento" in contenido
    assert 'name="actualizaciones-0-nota"' not in contenido


def permisos(nombre: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=nombre).permissions.all()
    }


def test_auditor_and_gerente_can_change_nothing(db):
    for rol in ("Auditor", "Gerente"):
        escrituras = {p for p in permisos(rol) if p.split(".")[1].startswith(("add_", "change_", "delete_"))}
        assert escrituras == set(), rol


def test_capturista_may_only_add_status_updates(db):
    escrituras = {
        p for p in permisos("Capturista") if p.split(".")[1].startswith(("add_", "change_", "delete_"))
    }
    # Status updates (accepting a proposal records one, docs/propuestas.md) and extension decisions.
    assert escrituras == {
        "convenios.add_actualizacion",
        "comisiones.add_actualizacionatribucion",
        "convenios.add_decisionprorroga",
    }


def test_roles_permissions(db):
    assert "convenios.exportar_compromisos" in permisos("Auditor")
    assert "reportes.descargar_informe" in permisos("Gerente")
    assert "reportes.descargar_informe" in permisos("Capturista")


def test_a_users_own_and_group_permissions_are_read_together_in_one_query(
    usuarios, django_assert_num_queries
):
    """The auth backend reads both kinds of grant in one UNION; a revoked grant is gone next request."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    usuario = get_user_model().objects.get(pk=usuarios["auditor"].pk)
    propio = Permission.objects.get(codename="add_actualizacion", content_type__app_label="convenios")
    usuario.user_permissions.add(propio)
    with django_assert_num_queries(1):
        assert usuario.has_perm("convenios.add_actualizacion")  # granted to the user
        assert usuario.has_perm("convenios.view_compromiso")  # granted to the Auditor group
        assert not usuario.has_perm("convenios.change_compromiso")
    usuario.user_permissions.remove(propio)
    usuario = get_user_model().objects.get(pk=usuario.pk)
    assert not usuario.has_perm("convenios.add_actualizacion")
    assert usuario.has_perm("convenios.view_compromiso")
