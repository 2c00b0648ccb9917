"""The Enlace role: what an institution's liaison reads and may propose, decided by one rule
(``visibles_para`` / ``proponibles_para``), for commitments and commission duties alike."""

import pytest
from django.core.exceptions import ValidationError

from comisiones.models import Atribucion, Comision
from convenios.models import Compromiso, Convenio, EnlaceDependencia

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
    acciones = {p.split(".")[1].split("_")[0] for p in enlace.get_all_permissions()}
    assert acciones == {"view", "add"}
    # What it adds is proposals only (docs/propuestas.md), never an update.
    agrega = {p for p in enlace.get_all_permissions() if p.split(".")[1].startswith("add_")}
    assert agrega == {Compromiso.permiso_proponer(), Atribucion.permiso_proponer()}


def test_only_a_user_with_the_enlace_role_can_be_linked(mundo):
    gerente = UsuarioFactory(username="otro", rol="Gerente")
    vinculo = EnlaceDependencia(usuario=gerente, dependencia=mundo["dep_a"])
    with pytest.raises(ValidationError, match="rol Enlace"):
        vinculo.full_clean()
