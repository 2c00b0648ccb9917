"""The status catalogue cannot change what past reports meant: a status used in any history keeps its
category and key, and is retired from new updates instead of deleted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from convenios import importacion
from seguimiento.models import Estatus

from .factories import AtribucionFactory, CompromisoFactory, registrar_actualizacion
from .test_importacion import ENCABEZADO_ACT, SEMILLA, libro_xlsx
from .test_reportes import texto_pdf

D = datetime.date
FABRICAS = {"compromiso": CompromisoFactory, "atribucion": AtribucionFactory}


@pytest.fixture
def nuevo(db) -> Estatus:
    return Estatus.objects.create(nombre="Suspendido", categoria=Estatus.Categoria.EN_PROCESO, orden=70)


def usar(estatus: Estatus, tipo: str = "compromiso"):
    elemento = FABRICAS[tipo]()
    registrar_actualizacion(elemento, estatus=estatus, fecha_efectiva=D(2021, 1, 1), nota="Usado.")
    return elemento


def cambio_en_admin(client, estatus: Estatus, **cambios):
    datos = {
        "nombre": estatus.nombre,
        "categoria": estatus.categoria,
        "orden": estatus.orden,
        "descripcion": estatus.descripcion,
        **cambios,
    }
    if datos.pop("retirado", estatus.retirado):
        datos["retirado"] = "on"
    return client.post(reverse("admin:seguimiento_estatus_change", args=[estatus.pk]), datos)


# Locked once used --------------------------------------------------------------------------------


@pytest.mark.parametrize("tipo", list(FABRICAS))
def test_a_used_status_cannot_change_its_category(nuevo, tipo):
    usar(nuevo, tipo)
    nuevo.categoria = Estatus.Categoria.FAVORABLE
    with pytest.raises(ValidationError) as error:
        nuevo.full_clean()
    assert "ya se usó en el historial" in " ".join(error.value.message_dict["categoria"])
    with pytest.raises(ValidationError):
        nuevo.save()
    assert Estatus.objects.get(pk=nuevo.pk).categoria == Estatus.Categoria.EN_PROCESO


def test_a_used_status_cannot_change_its_key(nuevo):
    usar(nuevo)
    nuevo.slug = "otra-clave"
    with pytest.raises(ValidationError) as error:
        nuevo.full_clean()
    assert "ya se usó en el historial" in str(error.value)
    assert Estatus.objects.get(pk=nuevo.pk).slug == "suspendido"


def test_a_used_status_may_still_be_renamed_described_and_reordered(nuevo):
    usar(nuevo)
    nuevo.nombre, nuevo.descripcion, nuevo.orden = "Suspendido temporalmente", "Por acuerdo.", 5
    nuevo.full_clean()
    nuevo.save()
    assert Estatus.objects.get(pk=nuevo.pk).slug == "suspendido"


def test_the_admin_shows_a_used_status_category_read_only_and_keeps_it(client, usuarios, nuevo):
    usar(nuevo, "atribucion")
    client.force_login(usuarios["admin"])
    pagina = client.get(reverse("admin:seguimiento_estatus_change", args=[nuevo.pk])).content.decode()
    assert 'name="categoria"' not in pagina and "En proceso" in pagina

    respuesta = cambio_en_admin(client, nuevo, categoria=Estatus.Categoria.FAVORABLE)
    assert respuesta.status_code == 302
    assert Estatus.objects.get(pk=nuevo.pk).categoria == Estatus.Categoria.EN_PROCESO


def test_the_admin_may_change_the_category_of_an_unused_status(client, usuarios, nuevo):
    client.force_login(usuarios["admin"])
    pagina = client.get(reverse("admin:seguimiento_estatus_change", args=[nuevo.pk])).content.decode()
    assert 'name="categoria"' in pagina
    respuesta = cambio_en_admin(client, nuevo, categoria=Estatus.Categoria.DESFAVORABLE)
    assert respuesta.status_code == 302
    assert Estatus.objects.get(pk=nuevo.pk).categoria == Estatus.Categoria.DESFAVORABLE


def test_no_status_can_be_deleted_in_the_admin(client, usuarios, nuevo):
    client.force_login(usuarios["admin"])
    respuesta = client.post(reverse("admin:seguimiento_estatus_delete", args=[nuevo.pk]), {"post": "yes"})
    assert respuesta.status_code == 403
    assert Estatus.objects.filter(pk=nuevo.pk).exists()


# Retired instead of deleted ----------------------------------------------------------------------


def test_the_admin_retires_a_used_status(client, usuarios, nuevo):
    usar(nuevo)
    client.force_login(usuarios["admin"])
    assert cambio_en_admin(client, nuevo, retirado=True).status_code == 302
    assert Estatus.objects.get(pk=nuevo.pk).retirado


def test_a_retired_status_is_not_offered_in_the_update_form(client, usuarios, semilla, estatus):
    Estatus.objects.filter(slug="pendiente").update(retirado=True)
    compromiso = semilla.compromisos.get(numero=1)
    client.force_login(usuarios["capturista"])
    pagina = client.get(reverse("convenios:actualizar", args=[compromiso.pk])).content.decode()
    assert 'value="en-proceso"' in pagina and 'value="pendiente"' not in pagina

    datos = {"estatus": "pendiente", "fecha": "2021-01-01", "version": compromiso.version}
    respuesta = client.post(reverse("convenios:actualizar", args=[compromiso.pk]), datos)
    assert respuesta.status_code == 400
    assert compromiso.actualizaciones.filter(estatus__slug="pendiente").count() == 0


@pytest.mark.parametrize("tipo", list(FABRICAS))
def test_the_service_refuses_a_retired_status_in_spanish(nuevo, tipo):
    Estatus.objects.filter(pk=nuevo.pk).update(retirado=True)
    nuevo.refresh_from_db()
    elemento = FABRICAS[tipo]()
    with pytest.raises(ValidationError) as error:
        registrar_actualizacion(elemento, estatus=nuevo, fecha_efectiva=D(2021, 1, 1))
    assert "«Suspendido» está retirado" in " ".join(error.value.message_dict["estatus"])
    assert elemento.actualizaciones.count() == 0


def test_the_import_refuses_a_retired_status_but_keeps_its_history(semilla, estatus, usuarios):
    compromiso = semilla.compromisos.get(numero=2)
    registrar_actualizacion(compromiso, estatus=estatus["pendiente"], fecha_efectiva=D(2021, 1, 1))
    Estatus.objects.filter(slug="pendiente").update(retirado=True)
    filas = [ENCABEZADO_ACT, [SEMILLA, 3, "pendiente", "2021-01-01", ""]]
    informe = importacion.importar(
        importacion.leer(libro_xlsx(actualizaciones=filas), "a.xlsx"), usuario=usuarios["admin"]
    )
    assert [(e.fila, e.columna) for e in informe.errores] == [(2, "estatus")]
    assert "retirado" in informe.errores[0].mensaje and not informe.escrito

    # Re-importing the update already on record is "unchanged", not an error.
    filas = [ENCABEZADO_ACT, [SEMILLA, 2, "pendiente", "2021-01-01", ""]]
    informe = importacion.importar(
        importacion.leer(libro_xlsx(actualizaciones=filas), "a.xlsx"), usuario=usuarios["admin"]
    )
    assert not informe.errores and informe.sin_cambios == 1


@pytest.mark.archivos
def test_history_and_reports_still_show_a_retired_status(client, usuarios, semilla, estatus):
    compromiso = semilla.compromisos.get(numero=4)
    registrar_actualizacion(compromiso, estatus=estatus["pendiente"], fecha_efectiva=D(2021, 1, 1))
    Estatus.objects.filter(slug="pendiente").update(retirado=True)
    client.force_login(usuarios["gerente"])
    historial = client.get(reverse("convenios:historial", args=[compromiso.pk])).content.decode()
    assert "Pendiente" in historial
    pdf = client.post(reverse("reportes:informe_pdf", args=[semilla.slug]), {"fecha": "2021-06-01"})
    assert "Pendiente" in texto_pdf(pdf.content)
