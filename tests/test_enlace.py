"""The Enlace role: what an institution's liaison reads and may propose, decided by one rule
(``visibles_para`` / ``proponibles_para``), for commitments and commission duties alike."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from comisiones.models import Atribucion, Comision, EnlaceComision
from convenios.models import Compromiso, Convenio, EnlaceDependencia
from seguimiento.models import es_enlace

from .factories import (
    AtribucionFactory,
    ComisionFactory,
    CompromisoFactory,
    ConvenioFactory,
    DependenciaFactory,
    ParteFactory,
    UsuarioFactory,
    crear_enlace,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mundo():
    """Two convenios with one institution each (A, B) and a joint one; two commissions."""
    dep_a, dep_b, dep_c = DependenciaFactory(), DependenciaFactory(), DependenciaFactory()
    convenio_a, convenio_b = ConvenioFactory(), ConvenioFactory()
    parte_a = ParteFactory(convenio=convenio_a, dependencia=dep_a)
    parte_c = ParteFactory(convenio=convenio_a, dependencia=dep_c)
    parte_b = ParteFactory(convenio=convenio_b, dependencia=dep_b)
    comision_a, comision_b = ComisionFactory(), ComisionFactory()
    return {
        "dep_a": dep_a,
        "convenio_a": convenio_a,
        "convenio_b": convenio_b,
        "de_a": CompromisoFactory(convenio=convenio_a, responsable=parte_a),
        "de_c": CompromisoFactory(convenio=convenio_a, responsable=parte_c),
        "conjunto_a": CompromisoFactory(convenio=convenio_a, responsable=None),
        "de_b": CompromisoFactory(convenio=convenio_b, responsable=parte_b),
        "conjunto_b": CompromisoFactory(convenio=convenio_b, responsable=None),
        "comision_a": comision_a,
        "comision_b": comision_b,
        "atr_a": AtribucionFactory(comision=comision_a),
        "atr_b": AtribucionFactory(comision=comision_b),
        "enlace_a": crear_enlace("enlace_a", [dep_a], [comision_a]),
        "enlace_b": crear_enlace("enlace_b", [dep_b], [comision_b]),
    }


def test_enlace_sees_every_commitment_of_its_convenios_and_nothing_else(mundo):
    m = mundo
    visibles = set(Compromiso.objects.visibles_para(m["enlace_a"]))
    assert visibles == {m["de_a"], m["de_c"], m["conjunto_a"]}
    assert set(Compromiso.objects.visibles_para(m["enlace_b"])) == {m["de_b"], m["conjunto_b"]}


def test_enlace_proposes_for_its_institution_and_joint_commitments_only(mundo):
    m = mundo
    assert set(Compromiso.objects.proponibles_para(m["enlace_a"])) == {m["de_a"], m["conjunto_a"]}
    assert set(Compromiso.objects.proponibles_para(m["enlace_b"])) == {m["de_b"], m["conjunto_b"]}


def test_enlace_sees_and_proposes_the_duties_of_its_commissions_only(mundo):
    m = mundo
    assert list(Atribucion.objects.visibles_para(m["enlace_a"])) == [m["atr_a"]]
    assert list(Atribucion.objects.proponibles_para(m["enlace_a"])) == [m["atr_a"]]
    assert list(Atribucion.objects.proponibles_para(m["enlace_b"])) == [m["atr_b"]]


def test_containers_follow_the_same_rule(mundo):
    m = mundo
    assert list(Convenio.objects.visibles_para(m["enlace_a"])) == [m["convenio_a"]]
    assert list(Comision.objects.visibles_para(m["enlace_a"])) == [m["comision_a"]]
    assert list(Convenio.objects.visibles_para(m["enlace_b"])) == [m["convenio_b"]]
    assert list(Comision.objects.visibles_para(m["enlace_b"])) == [m["comision_b"]]


def test_a_convenio_with_two_of_its_institutions_appears_once(mundo):
    m = mundo
    otra = DependenciaFactory()
    ParteFactory(convenio=m["convenio_a"], dependencia=otra)
    EnlaceDependencia.objects.create(usuario=m["enlace_a"], dependencia=otra)
    assert Convenio.objects.visibles_para(m["enlace_a"]).count() == 1
    assert Compromiso.objects.visibles_para(m["enlace_a"]).count() == 3


def test_enlace_without_links_sees_nothing(mundo):
    solo = crear_enlace("enlace_solo")
    for modelo in (Compromiso, Atribucion, Convenio, Comision):
        assert not modelo.objects.visibles_para(solo).exists()


@pytest.mark.parametrize("rol", ["Capturista", "Gerente", "Auditor"])
def test_staff_roles_see_everything_their_permission_gives(mundo, rol):
    usuario = UsuarioFactory(username=rol.lower(), rol=rol)
    assert Compromiso.objects.visibles_para(usuario).count() == Compromiso.objects.count() == 5
    assert Atribucion.objects.visibles_para(usuario).count() == 2
    assert Convenio.objects.visibles_para(usuario).count() == 2
    assert Comision.objects.visibles_para(usuario).count() == 2


def test_without_read_permission_nothing_is_visible(mundo):
    importador = UsuarioFactory(username="importador", rol="Importador")  # reads convenios only
    assert Compromiso.objects.visibles_para(importador).count() == 5
    assert not Atribucion.objects.visibles_para(importador).exists()
    assert not Comision.objects.visibles_para(importador).exists()
    assert not Compromiso.objects.visibles_para(UsuarioFactory(username="sin_rol")).exists()


def test_a_superuser_in_the_enlace_group_is_not_narrowed(mundo):
    jefe = crear_enlace("jefe")
    jefe.is_superuser = True
    jefe.save()
    assert Compromiso.objects.visibles_para(jefe).count() == 5


def test_enlace_role_reads_but_records_nothing(mundo):
    enlace = mundo["enlace_a"]
    for modelo in (Compromiso, Atribucion, Convenio, Comision):
        assert enlace.has_perm(modelo.permiso_lectura())
    assert not enlace.has_perm(Compromiso.permiso_escritura())
    assert not enlace.has_perm(Atribucion.permiso_escritura())
    otros = {p for p in enlace.get_all_permissions() if not p.split(".")[1].startswith("view_")}
    assert otros == {"seguimiento.solo_lo_vinculado", "reportes.descargar_informe"}


def test_only_a_user_with_the_enlace_role_can_be_linked(mundo):
    gerente = UsuarioFactory(username="otro", rol="Gerente")
    vinculo = EnlaceDependencia(usuario=gerente, dependencia=mundo["dep_a"])
    with pytest.raises(ValidationError, match="rol Enlace"):
        vinculo.full_clean()


# ---- manage.py vincular_enlace ----


def vincular(*args, **opciones) -> str:
    salida = io.StringIO()
    call_command("vincular_enlace", *args, stdout=salida, **opciones)
    return salida.getvalue()


def test_vincular_enlace_links_institutions_and_commissions_and_is_idempotent(mundo):
    m = mundo
    usuario = UsuarioFactory(username="nueva")
    m["dep_a"].siglas = "SA"
    m["dep_a"].save()
    args = ["nueva", "--dependencia", "sa", "--comision", m["comision_a"].slug]
    assert "Vinculado" in vincular(*args)
    assert "Ya estaba vinculado" in vincular(*args)
    assert es_enlace(get_user_model().objects.get(pk=usuario.pk))
    assert EnlaceDependencia.objects.filter(usuario=usuario).count() == 1
    assert EnlaceComision.objects.filter(usuario=usuario).count() == 1
    nueva = get_user_model().objects.get(pk=usuario.pk)
    assert set(Compromiso.objects.visibles_para(nueva)) == {m["de_a"], m["de_c"], m["conjunto_a"]}
    assert list(Atribucion.objects.visibles_para(nueva)) == [m["atr_a"]]
    assert m["dep_a"].nombre in vincular("nueva")


def test_vincular_enlace_by_full_name_and_quitar(mundo):
    m = mundo
    vincular("enlace_b", "--dependencia", m["dep_a"].nombre.upper())
    assert EnlaceDependencia.objects.filter(usuario=m["enlace_b"]).count() == 2
    assert "Vínculo quitado" in vincular("enlace_b", "--dependencia", m["dep_a"].nombre, "--quitar")
    assert "No estaba vinculado" in vincular("enlace_b", "--dependencia", m["dep_a"].nombre, "--quitar")
    vincular("enlace_b", "--comision", m["comision_b"].slug, "--quitar")
    assert not EnlaceComision.objects.filter(usuario=m["enlace_b"]).exists()
    assert EnlaceDependencia.objects.filter(usuario=m["enlace_b"]).count() == 1


@pytest.mark.parametrize(
    ("args", "mensaje"),
    [
        (["nadie", "--dependencia", "X"], "No existe el usuario «nadie»."),
        (["enlace_a", "--dependencia", "Inexistente"], "No existe la dependencia «Inexistente»"),
        (["enlace_a", "--comision", "no-hay"], "No existe la comisión con clave «no-hay»."),
    ],
)
def test_vincular_enlace_refuses_unknown_names_in_spanish_writing_nothing(mundo, args, mensaje):
    antes = (EnlaceDependencia.objects.count(), EnlaceComision.objects.count())
    with pytest.raises(CommandError, match=mensaje):
        # A valid link before the bad one is not written either: all or nothing.
        vincular(*args[:1], "--comision", mundo["comision_b"].slug, *args[1:])
    assert (EnlaceDependencia.objects.count(), EnlaceComision.objects.count()) == antes


def test_vincular_enlace_quitar_needs_something_to_remove(mundo):
    with pytest.raises(CommandError, match="Indique qué vínculos quitar"):
        vincular("enlace_a", "--quitar")


def test_vincular_enlace_refuses_ambiguous_initials(mundo):
    DependenciaFactory(siglas="SS")
    DependenciaFactory(siglas="ss")
    with pytest.raises(CommandError, match="más de una dependencia con las siglas «SS»"):
        vincular("enlace_a", "--dependencia", "SS")
