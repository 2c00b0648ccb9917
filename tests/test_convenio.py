"""The convenio page: a fixed number of queries whatever its size, every door a write comes in by shows
on the next read (a status update, one or in bulk, an admin edit of a commitment, a status, a party or
an institution, an import, a commitment added or removed, a shell's ``update()``), the «(vencido)» mark
follows the date, and the «Actualizar estatus» controls only reach who may use them."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from convenios.models import Actualizacion, Compromiso, Convenio, Parte
from seguimiento.services import registrar_actualizaciones

from .factories import CompromisoFactory, ConvenioFactory, DependenciaFactory, registrar_actualizacion
from .test_importacion import importar_un_compromiso

HOY = timezone.localdate
BOTON = "Actualizar estatus"


def pagina(client, convenio: Convenio) -> str:
    respuesta = client.get(reverse("convenios:detalle", args=[convenio.slug]))
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def entrar(usuario) -> Client:
    cliente = Client()
    cliente.force_login(usuario)
    return cliente


def cambiar_en_admin(client, instancia, **cambios):
    """Save ``instancia``'s admin change form with ``cambios``, as a person would (inlines untouched)."""
    opciones = instancia._meta
    url = reverse(f"admin:{opciones.app_label}_{opciones.model_name}_change", args=[instancia.pk])
    respuesta = client.get(url)
    formulario = respuesta.context["adminform"].form
    datos = {k: v for k, v in formulario.initial.items() if k in formulario.fields and v is not None}
    for inline in respuesta.context["inline_admin_formsets"]:
        prefijo = inline.formset.prefix
        datos.update({f"{prefijo}-TOTAL_FORMS": "0", f"{prefijo}-INITIAL_FORMS": "0"})
    datos.update(cambios)
    guardado = client.post(url, {**datos, "_save": "Guardar"})
    assert guardado.status_code == 302, guardado.context["adminform"].form.errors


@pytest.fixture
def capturista(usuarios) -> Client:
    return entrar(usuarios["capturista"])


@pytest.fixture
def administracion(usuarios) -> Client:
    return entrar(usuarios["admin"])


# A fixed number of queries ---------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 150])
def test_the_page_takes_the_same_queries_whatever_its_size(
    capturista, semilla, extra, django_assert_max_num_queries
):
    """Session, user, permissions, the convenio, «seguir», its parties, its commitments with their status."""
    for i in range(extra):
        CompromisoFactory(convenio=semilla, numero=1000 + i)
    # 9: the menu's two badges («Por validar», «Prórrogas») count for the Capturista, at any size.
    with django_assert_max_num_queries(9):
        html = pagina(capturista, semilla)
    assert html.count('<tr id="compromiso-') == semilla.compromisos.count()


@pytest.mark.parametrize("primero", ["auditor", "capturista"])
def test_update_controls_reach_only_who_may_record_updates_whoever_read_first(usuarios, semilla, primero):
    orden = [primero, ({"auditor", "capturista"} - {primero}).pop()]
    paginas = {rol: pagina(entrar(usuarios[rol]), semilla) for rol in orden}
    paginas["auditor otra vez"] = pagina(entrar(usuarios["auditor"]), semilla)
    paginas["capturista otra vez"] = pagina(entrar(usuarios["capturista"]), semilla)
    compromisos = semilla.compromisos.count()
    for rol, html in paginas.items():
        esperados = compromisos if rol.startswith("capturista") else 0
        assert html.count(BOTON) == esperados, rol
        assert html.count('<tr id="compromiso-') == compromisos, rol


# Every write door shows on the next read ---------------------------------------------------------


def test_a_status_update_recorded_in_the_row_shows(capturista, semilla):
    compromiso = semilla.compromisos.get(numero=1)
    pagina(capturista, semilla)
    respuesta = capturista.post(
        reverse("convenios:actualizar", args=[compromiso.pk]),
        {
            "estatus": "cumplido",
            "fecha": HOY().isoformat(),
            "nota": "Nota desde la fila.",
            "version": compromiso.version,
        },
        headers={"HX-Request": "true"},
    )
    assert respuesta.status_code == 200 and "Estatus actualizado" in respuesta.content.decode()
    assert "Nota desde la fila." in pagina(capturista, semilla)


def test_updates_recorded_in_bulk_show(capturista, usuarios, semilla, estatus):
    compromisos = list(semilla.compromisos.order_by("numero")[:2])
    assert "Nota en bloque" not in pagina(capturista, semilla)
    registrar_actualizaciones(
        [
            Actualizacion(
                compromiso=c, estatus=estatus["cumplido"], fecha_efectiva=HOY(), nota=f"Nota en bloque {i}"
            )
            for i, c in enumerate(compromisos)
        ],
        usuario=usuarios["capturista"],
    )
    html = pagina(capturista, semilla)
    assert "Nota en bloque 0" in html and "Nota en bloque 1" in html


def test_an_admin_edit_of_a_commitments_text_shows(capturista, administracion, semilla):
    compromiso = semilla.compromisos.get(numero=1)
    assert compromiso.texto in pagina(capturista, semilla)
    cambiar_en_admin(administracion, compromiso, texto="Texto corregido en la administración.")
    html = pagina(capturista, semilla)
    assert "Texto corregido en la administración." in html and compromiso.texto not in html


def test_an_admin_edit_of_the_convenio_shows(capturista, administracion, semilla):
    assert semilla.objeto in pagina(capturista, semilla)
    cambiar_en_admin(administracion, semilla, objeto="Objeto corregido en la administración.")
    html = pagina(capturista, semilla)
    assert "Objeto corregido en la administración." in html and semilla.objeto not in html


def test_a_status_renamed_in_the_admin_shows(capturista, administracion, semilla, estatus):
    compromiso = semilla.compromisos.get(numero=1)
    registrar_actualizacion(compromiso, estatus=estatus["en-proceso"], fecha_efectiva=HOY())
    assert ">En proceso</span>" in pagina(capturista, semilla)
    cambiar_en_admin(administracion, estatus["en-proceso"], nombre="En trámite")
    html = pagina(capturista, semilla)
    assert ">En trámite</span>" in html and ">En proceso</span>" not in html


def test_a_party_or_institution_renamed_in_the_admin_shows(capturista, administracion, semilla):
    dependencia = DependenciaFactory(nombre="Instituto de Prueba")
    parte = Parte.objects.create(convenio=semilla, dependencia=dependencia, etiqueta="")
    CompromisoFactory(convenio=semilla, numero=99, responsable=parte)
    assert "<caption>COMPROMISOS Instituto de Prueba</caption>" in pagina(capturista, semilla)
    cambiar_en_admin(administracion, dependencia, nombre="Instituto Renombrado")
    assert "<caption>COMPROMISOS Instituto Renombrado</caption>" in pagina(capturista, semilla)
    cambiar_en_admin(administracion, parte, etiqueta="INST- REN")
    html = pagina(capturista, semilla)
    assert "<caption>COMPROMISOS INST- REN</caption>" in html
    assert "<caption>COMPROMISOS Instituto Renombrado</caption>" not in html


def test_a_commitment_added_or_removed_shows(capturista, semilla):
    pagina(capturista, semilla)
    nuevo = CompromisoFactory(convenio=semilla, numero=98, texto="Compromiso agregado después.")
    assert "Compromiso agregado después." in pagina(capturista, semilla)
    nuevo.delete()
    assert "Compromiso agregado después." not in pagina(capturista, semilla)


def test_an_import_that_changes_a_text_shows(capturista, usuarios):
    convenio = importar_un_compromiso("Texto uno.", usuarios["capturista"])
    assert "Texto uno." in pagina(capturista, convenio)
    importar_un_compromiso("Texto corregido por importación.", usuarios["capturista"])
    html = pagina(capturista, convenio)
    assert "Texto corregido por importación." in html and "Texto uno." not in html


# The date and writes through no door ---------------------------------------------------------------------


def test_the_overdue_mark_follows_the_date(usuarios, monkeypatch):
    convenio = ConvenioFactory()
    CompromisoFactory(convenio=convenio, fecha_limite=HOY())
    assert "(vencido)" not in pagina(entrar(usuarios["capturista"]), convenio)
    ahora = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: ahora + datetime.timedelta(days=1))
    # A new session: the old one expired with the day that passed.
    assert "(vencido)" in pagina(entrar(usuarios["capturista"]), convenio)


def test_a_write_through_no_door_shows_at_once(capturista, semilla):
    """A change from a shell (no service, no admin, no import): no cache stands in its way."""
    compromiso = semilla.compromisos.get(numero=1)
    pagina(capturista, semilla)
    Compromiso.objects.filter(pk=compromiso.pk).update(texto="Cambiado desde una terminal.")
    assert "Cambiado desde una terminal." in pagina(capturista, semilla)
