"""The Enlace role: what an institution's liaison reads and may propose, decided by one rule
(``visibles_para`` / ``proponibles_para``), for commitments and commission duties alike."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from avisos.models import Suscripcion
from comisiones.models import Atribucion, Comision, EnlaceComision
from convenios.models import Compromiso, Convenio, EnlaceDependencia, SolicitudProrroga
from seguimiento.models import Estatus, es_enlace
from tests.factories import registrar_actualizacion

from .conftest import con_token
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
    dep_a = DependenciaFactory(nombre="Secretaría del enlace A")
    dep_b = DependenciaFactory(nombre="Secretaría ajena B")
    dep_c = DependenciaFactory(nombre="Otra parte del convenio A")
    convenio_a = ConvenioFactory(nombre="Convenio del enlace A")
    convenio_b = ConvenioFactory(nombre="Convenio ajeno B")
    parte_a = ParteFactory(convenio=convenio_a, dependencia=dep_a)
    parte_c = ParteFactory(convenio=convenio_a, dependencia=dep_c)
    parte_b = ParteFactory(convenio=convenio_b, dependencia=dep_b)
    comision_a = ComisionFactory(nombre="Comisión del enlace A")
    comision_b = ComisionFactory(nombre="Comisión ajena B")
    return {
        "dep_a": dep_a,
        "dep_b": dep_b,
        "convenio_a": convenio_a,
        "convenio_b": convenio_b,
        "de_a": CompromisoFactory(convenio=convenio_a, responsable=parte_a),
        "de_c": CompromisoFactory(convenio=convenio_a, responsable=parte_c),
        "conjunto_a": CompromisoFactory(convenio=convenio_a, responsable=None),
        "de_b": CompromisoFactory(convenio=convenio_b, responsable=parte_b, texto="Compromiso ajeno de B."),
        "conjunto_b": CompromisoFactory(convenio=convenio_b, responsable=None),
        "comision_a": comision_a,
        "comision_b": comision_b,
        "atr_a": AtribucionFactory(comision=comision_a),
        "atr_b": AtribucionFactory(comision=comision_b, texto="Atribución ajena de B."),
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
    # Besides reading, it proposes (docs/propuestas.md), never records an update.
    assert otros == {
        "seguimiento.solo_lo_vinculado",
        "reportes.descargar_informe",
        Compromiso.permiso_proponer(),
        Atribucion.permiso_proponer(),
        SolicitudProrroga.permiso("add"),
    }


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


# ---- Every door reads through the rule ----


def html_de(client, usuario, url: str, **params) -> str:
    client.force_login(usuario)
    respuesta = client.get(url, params)
    assert respuesta.status_code == 200, respuesta.status_code
    return respuesta.content.decode()


def test_lists_show_an_enlace_only_its_convenios_and_commissions(client, mundo):
    m = mundo
    html = html_de(client, m["enlace_a"], reverse("convenios:lista"))
    assert "Convenio del enlace A" in html and "Convenio ajeno B" not in html
    html = html_de(client, m["enlace_a"], reverse("comisiones:lista"))
    assert "Comisión del enlace A" in html and "Comisión ajena B" not in html


def test_the_commitments_page_its_counts_and_filter_choices_name_nothing_else(client, mundo):
    m = mundo
    html = html_de(client, m["enlace_a"], reverse("convenios:compromisos"))
    assert m["de_a"].texto in html and m["conjunto_a"].texto in html
    for ajeno in ("Compromiso ajeno de B.", "Convenio ajeno B", "Secretaría ajena B"):
        assert ajeno not in html, ajeno  # neither a row nor a filter's choice
    assert "Otra parte del convenio A" in html  # a party of its own convenio is context
    assert "Los compromisos de los convenios de sus dependencias" in html
    # Asking for the other convenio by its filter finds nothing (the choice is not even valid).
    client.force_login(m["enlace_a"])
    respuesta = client.get(reverse("convenios:compromisos"), {"convenio": m["convenio_b"].slug})
    assert respuesta.status_code == 400 and "Compromiso ajeno de B." not in respuesta.content.decode()


def test_the_duties_page_and_its_csv_hold_only_the_enlaces_commissions(client, mundo):
    m = mundo
    html = html_de(client, m["enlace_a"], reverse("comisiones:atribuciones"))
    assert "Las atribuciones de sus comisiones del SNT" in html
    assert (
        m["atr_a"].texto in html and "Atribución ajena de B." not in html and "Comisión ajena B" not in html
    )
    client.force_login(m["enlace_a"])
    respuesta = client.get(reverse("comisiones:atribuciones"), {"formato": "csv"})
    texto = b"".join(respuesta.streaming_content).decode("utf-8-sig")
    filas = list(csv.reader(io.StringIO(texto)))
    assert len(filas) == 2 and m["atr_a"].texto in texto and "Atribución ajena de B." not in texto


def test_the_enlace_may_not_export_commitments(client, mundo):
    client.force_login(mundo["enlace_a"])
    assert client.get(reverse("convenios:compromisos"), {"formato": "csv"}).status_code == 403


def test_home_page_counts_lists_and_charts_are_the_enlaces_own(client, mundo):
    """Issue 21: an Enlace's home page counts and lists its institutions' commitments and the joint
    ones (``proponibles_para``), not the other parties' commitments of its convenios it may read;
    the charts stay those of its convenios."""
    m = mundo
    hoy = timezone.localdate()
    for compromiso in (m["de_a"], m["de_c"], m["de_b"]):
        compromiso.fecha_limite = hoy - datetime.timedelta(days=3)
        compromiso.save()
    client.force_login(m["enlace_a"])
    contexto = client.get(reverse("inicio")).context
    compromisos, atribuciones = contexto["secciones"]
    assert compromisos.total == 2 and atribuciones.total == 1
    listas = {lista.clave: lista for lista in compromisos.listas}
    assert listas["vencidos"].elementos == [m["de_a"]]
    assert set(listas["sin-actualizar"].elementos) == {m["de_a"], m["conjunto_a"]}
    graficas = client.get(reverse("graficas")).content.decode()
    assert "Convenio ajeno B" not in graficas and "Secretaría ajena B" not in graficas
    client.force_login(m["enlace_b"])
    compromisos, atribuciones = client.get(reverse("inicio")).context["secciones"]
    assert (compromisos.total, atribuciones.total) == (2, 1)


def test_recent_changes_on_the_home_page_are_of_visible_items_only(client, mundo):
    m = mundo
    cumplido = Estatus.objects.get(slug="cumplido")
    registrar_actualizacion(m["de_b"], estatus=cumplido, fecha_efectiva=timezone.localdate())
    registrar_actualizacion(m["atr_b"], estatus=cumplido, fecha_efectiva=timezone.localdate())
    client.force_login(m["enlace_a"])
    assert client.get(reverse("inicio")).context["recientes"] == []
    client.force_login(m["enlace_b"])
    assert len(client.get(reverse("inicio")).context["recientes"]) == 2


@pytest.fixture
def evidencias(mundo):
    """An update with a PDF on B's commitment and on B's duty."""
    cumplido = Estatus.objects.get(slug="cumplido")

    def con_pdf(elemento):
        pdf = SimpleUploadedFile("oficio.pdf", HTML(string="<p>Oficio</p>").write_pdf())
        return registrar_actualizacion(
            elemento, estatus=cumplido, fecha_efectiva=timezone.localdate(), evidencia=pdf
        )

    return {"convenios": con_pdf(mundo["de_b"]), "comisiones": con_pdf(mundo["atr_b"])}


@pytest.mark.parametrize(
    ("espacio", "recurso"), [("convenios", "compromisos"), ("comisiones", "atribuciones")]
)
@pytest.mark.archivos
def test_evidence_of_another_institution_is_404_on_the_page_and_the_api(
    client, mundo, evidencias, espacio, recurso
):
    actualizacion = evidencias[espacio]
    pagina = reverse(f"{espacio}:evidencia", args=[actualizacion.pk])
    api = f"/api/v1/{recurso}/evidencias/{actualizacion.pk}/"
    client.force_login(mundo["enlace_a"])
    assert client.get(pagina).status_code == 404
    assert con_token(mundo["enlace_a"]).get(api).status_code == 404
    client.force_login(mundo["enlace_b"])
    assert client.get(pagina).status_code == 200
    assert con_token(mundo["enlace_b"]).get(api).status_code == 200


@pytest.mark.parametrize(
    ("recurso", "propios", "ajeno"),
    [("compromisos", ["de_a", "de_c", "conjunto_a"], "de_b"), ("atribuciones", ["atr_a"], "atr_b")],
)
def test_the_api_lists_and_finds_only_visible_items(mundo, recurso, propios, ajeno):
    m = mundo
    cliente = con_token(m["enlace_a"])
    datos = cliente.get(f"/api/v1/{recurso}/").json()
    assert sorted(fila["id"] for fila in datos["results"]) == sorted(m[c].pk for c in propios)
    assert cliente.get(f"/api/v1/{recurso}/{m[ajeno].pk}/").status_code == 404
    assert cliente.get(f"/api/v1/{recurso}/{m[ajeno].pk}/actualizaciones/").status_code == 404
    assert cliente.post(f"/api/v1/{recurso}/{m[ajeno].pk}/actualizaciones/", {}).status_code == 404
    assert cliente.post(f"/api/v1/{recurso}/{m[propios[0]].pk}/actualizaciones/", {}).status_code == 403
    convenios = cliente.get("/api/v1/convenios/").json()["results"]
    assert [c["slug"] for c in convenios] == [m["convenio_a"].slug]
    comisiones = cliente.get("/api/v1/comisiones/").json()["results"]
    assert [c["slug"] for c in comisiones] == [m["comision_a"].slug]


def test_reports_of_other_convenios_and_commissions_and_the_consolidated_are_404(client, mundo):
    m = mundo
    client.force_login(m["enlace_a"])
    assert client.get(reverse("reportes:informe", args=[m["convenio_a"].slug])).status_code == 200
    assert client.get(reverse("reportes:comision", args=[m["comision_a"].slug])).status_code == 200
    assert client.get(reverse("reportes:informe", args=[m["convenio_b"].slug])).status_code == 404
    assert client.get(reverse("reportes:comision_pdf", args=[m["comision_b"].slug])).status_code == 404
    assert client.get(reverse("reportes:consolidado")).status_code == 404
    indice = client.get(reverse("reportes:indice")).content.decode()
    assert "Convenio del enlace A" in indice and "Convenio ajeno B" not in indice
    assert "Comisión ajena B" not in indice and reverse("reportes:consolidado") not in indice


def test_an_enlace_hears_only_of_the_convenios_it_reads(mundo, settings):
    m = mundo
    hoy = timezone.localdate()
    for compromiso in (m["de_a"], m["de_b"]):
        compromiso.fecha_limite = hoy - datetime.timedelta(days=3)
        compromiso.save()
    m["enlace_a"].email = "enlace.a@example.gob.mx"
    m["enlace_a"].save()
    # Followed while it was linked to B too (a link since removed): the choice stays, the rule wins.
    Suscripcion.objects.elegir(m["enlace_a"], m["convenio_a"], True)
    Suscripcion.objects.elegir(m["enlace_a"], m["convenio_b"], True)
    call_command("enviar_recordatorios", stdout=io.StringIO())
    (correo,) = [c for c in mail.outbox if c.to == ["enlace.a@example.gob.mx"]]
    assert "Convenio del enlace A" in correo.body and "Convenio ajeno B" not in correo.body


def test_following_another_convenio_is_404(client, mundo):
    client.force_login(mundo["enlace_a"])
    url = reverse("avisos:seguir", args=[mundo["convenio_b"].slug])
    assert client.post(url, {"sigue": "1"}).status_code == 404
    assert not Suscripcion.objects.filter(usuario=mundo["enlace_a"]).exists()


def test_the_enlaces_commitments_page_reads_a_flat_number_of_queries(
    client, mundo, django_assert_num_queries
):
    """The rule is a subquery, not a query per row or per convenio: 3 or 43 visible commitments, the
    same number of queries."""
    m = mundo
    client.force_login(m["enlace_a"])
    url = reverse("convenios:compromisos")
    client.get(url)  # the session and permission caches, as on any later request

    def consultas() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as capturadas:
            assert client.get(url).status_code == 200
        return len(capturadas)

    pocas = consultas()
    for _ in range(40):
        CompromisoFactory(convenio=m["convenio_a"], responsable=None)
    assert consultas() == pocas


@pytest.mark.archivos
def test_the_register_of_issued_reports_shows_an_enlace_only_its_own_subjects(client, mundo):
    """Reports issued by others on B's convenio and commission: not in A's index or API list, 404 by folio."""
    from reportes.models import InformeEmitido
    from reportes.services import emitir_informe

    m = mundo
    hoy = timezone.localdate()
    gerente = UsuarioFactory(username="gerente", rol="Gerente")
    ajeno, _pdf = emitir_informe(InformeEmitido.Tipo.CONVENIO, m["convenio_b"], hoy, gerente)
    de_comision, _pdf = emitir_informe(InformeEmitido.Tipo.COMISION, m["comision_b"], hoy, m["enlace_b"])
    propio, _pdf = emitir_informe(InformeEmitido.Tipo.CONVENIO, m["convenio_a"], hoy, m["enlace_a"])
    cliente = con_token(m["enlace_a"])
    folios = [fila["folio"] for fila in cliente.get("/api/v1/informes/").json()["results"]]
    assert folios == [propio.folio]
    for informe in (ajeno, de_comision):
        assert cliente.get(f"/api/v1/informes/{informe.folio}/").status_code == 404
    assert cliente.get(f"/api/v1/informes/{propio.folio}/").status_code == 200
    client.force_login(m["enlace_b"])
    indice = client.get(reverse("reportes:indice")).content.decode()
    assert de_comision.folio in indice and propio.folio not in indice


def test_links_are_edited_in_the_admin(admin_client, mundo):
    """On the institution's and the commission's pages (inlines), and in their own lists."""
    m = mundo
    for url in (
        reverse("admin:convenios_dependencia_change", args=[m["dep_a"].pk]),
        reverse("admin:comisiones_comision_change", args=[m["comision_a"].pk]),
        reverse("admin:convenios_enlacedependencia_changelist"),
        reverse("admin:comisiones_enlacecomision_changelist"),
    ):
        respuesta = admin_client.get(url)
        assert respuesta.status_code == 200 and "enlace_a" in respuesta.content.decode(), url
    nuevo = crear_enlace("enlace_nuevo")
    respuesta = admin_client.post(
        reverse("admin:convenios_enlacedependencia_add"),
        {"usuario": nuevo.pk, "dependencia": m["dep_b"].pk},
    )
    assert respuesta.status_code == 302
    assert list(Convenio.objects.visibles_para(get_user_model().objects.get(pk=nuevo.pk))) == [
        m["convenio_b"]
    ]
    # Only a user with the Enlace role is offered (and accepted).
    otro = UsuarioFactory(username="gerente2", rol="Gerente")
    respuesta = admin_client.post(
        reverse("admin:comisiones_enlacecomision_add"), {"usuario": otro.pk, "comision": m["comision_b"].pk}
    )
    assert respuesta.status_code == 200 and not EnlaceComision.objects.filter(usuario=otro).exists()
