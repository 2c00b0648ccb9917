"""Status history: append-only, the as-of query, the current-status pointer, the service's rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from comisiones.models import Atribucion
from convenios.models import Actualizacion, Compromiso
from seguimiento.models import HistorialInmutableError
from seguimiento.services import VersionObsoletaError

from .conftest import momento
from .factories import CompromisoFactory, registrar_actualizacion

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor

D = datetime.date


@pytest.fixture
def compromiso(db):
    return CompromisoFactory()


def registrar(elemento, estatus, fecha, **kwargs):
    return registrar_actualizacion(elemento, estatus=estatus, fecha_efectiva=fecha, **kwargs)


# Append-only -------------------------------------------------------------------------------------


def test_saving_a_recorded_update_again_fails(compromiso, estatus):
    actualizacion = registrar(compromiso, estatus["pendiente"], D(2021, 1, 1))
    actualizacion.nota = "cambiada"
    with pytest.raises(HistorialInmutableError):
        actualizacion.save()
    assert Actualizacion.objects.get(pk=actualizacion.pk).nota == ""


def test_deleting_an_update_fails(compromiso, estatus):
    actualizacion = registrar(compromiso, estatus["pendiente"], D(2021, 1, 1))
    with pytest.raises(HistorialInmutableError):
        actualizacion.delete()
    with pytest.raises(HistorialInmutableError):
        Actualizacion.objects.filter(pk=actualizacion.pk).delete()
    with pytest.raises(HistorialInmutableError):
        Actualizacion.objects.filter(pk=actualizacion.pk).update(nota="x")
    assert Actualizacion.objects.filter(pk=actualizacion.pk).exists()


def test_database_refuses_to_update_history_even_with_raw_sql(compromiso, estatus):
    actualizacion = registrar(compromiso, estatus["pendiente"], D(2021, 1, 1))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE convenios_actualizacion SET nota = 'x' WHERE id = %s", [actualizacion.pk])
    assert Actualizacion.objects.get(pk=actualizacion.pk).nota == ""


@pytest.mark.postgres
def test_postgresql_refuses_to_delete_history_even_with_raw_sql(compromiso, estatus):
    if connection.vendor != "postgresql":
        pytest.skip("el disparador de borrado existe solo en PostgreSQL")
    actualizacion = registrar(compromiso, estatus["pendiente"], D(2021, 1, 1))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM convenios_actualizacion WHERE id = %s", [actualizacion.pk])
    assert Actualizacion.objects.filter(pk=actualizacion.pk).exists()


def test_a_commitment_with_history_cannot_be_deleted(compromiso, estatus):
    registrar(compromiso, estatus["pendiente"], D(2021, 1, 1))
    with pytest.raises(ProtectedError):
        compromiso.delete()
    assert Compromiso.objects.filter(pk=compromiso.pk).exists()


# The as-of query ---------------------------------------------------------------------------------


def estatus_al(elemento, fecha, conocido_al=None):
    anotado = type(elemento).objects.con_estatus_al(fecha, conocido_al).get(pk=elemento.pk)
    return anotado.estatus_al_id, anotado.fecha_estatus_al


def test_status_as_of_a_date_is_the_latest_effective_update_by_then(compromiso, estatus):
    registrar(compromiso, estatus["pendiente"], D(2021, 1, 10))
    registrar(compromiso, estatus["en-proceso"], D(2021, 3, 1))
    registrar(compromiso, estatus["cumplido"], D(2021, 6, 1))

    assert estatus_al(compromiso, D(2021, 1, 9)) == (None, None)
    assert estatus_al(compromiso, D(2021, 1, 10)) == (estatus["pendiente"].pk, D(2021, 1, 10))
    assert estatus_al(compromiso, D(2021, 5, 31)) == (estatus["en-proceso"].pk, D(2021, 3, 1))
    assert estatus_al(compromiso, D(2024, 1, 1)) == (estatus["cumplido"].pk, D(2021, 6, 1))


def test_ties_on_effective_date_are_broken_by_recording_time(compromiso, estatus):
    registrar(
        compromiso, estatus["incumplido"], D(2021, 1, 10), nota="falla", registrado_en=momento(2021, 1, 11, 9)
    )
    registrar(compromiso, estatus["cumplido"], D(2021, 1, 10), registrado_en=momento(2021, 1, 10, 9))
    assert estatus_al(compromiso, D(2021, 1, 10))[0] == estatus["incumplido"].pk
    compromiso.refresh_from_db()
    assert compromiso.estatus_actual == estatus["incumplido"]


def test_back_dated_update_is_left_out_of_what_was_known_before_it(compromiso, estatus):
    registrar(compromiso, estatus["en-proceso"], D(2021, 1, 10), registrado_en=momento(2021, 1, 10, 12))
    emitido = momento(2021, 2, 1, 12)
    registrar(
        compromiso, estatus["incumplido"], D(2021, 1, 20), nota="tarde", registrado_en=momento(2021, 3, 1, 9)
    )

    assert estatus_al(compromiso, D(2021, 2, 1))[0] == estatus["incumplido"].pk
    assert estatus_al(compromiso, D(2021, 2, 1), conocido_al=emitido)[0] == estatus["en-proceso"].pk


def test_as_of_query_for_a_whole_convenio_is_one_query(db, estatus, django_assert_num_queries):
    primero = CompromisoFactory()
    for _ in range(30):
        compromiso = CompromisoFactory(convenio=primero.convenio)
        registrar(compromiso, estatus["pendiente"], D(2021, 1, 1))
        registrar(compromiso, estatus["cumplido"], D(2022, 1, 1))
    with django_assert_num_queries(1):
        filas = list(Compromiso.objects.filter(convenio=primero.convenio).con_estatus_al(D(2021, 6, 1)))
    assert len(filas) == 31
    assert {f.estatus_al_id for f in filas} == {None, estatus["pendiente"].pk}


def test_current_status_pointer_agrees_with_the_as_of_query(db, estatus):
    compromisos = [CompromisoFactory() for _ in range(5)]
    fechas = [D(2021, 5, 1), D(2021, 1, 1), D(2021, 3, 1), D(2021, 1, 1)]
    nombres = ["pendiente", "en-proceso", "cumplido", "no-aplica"]
    for i, compromiso in enumerate(compromisos[:4]):
        for fecha, nombre in zip(fechas[i:] + fechas[:i], nombres, strict=True):
            registrar(compromiso, estatus[nombre], fecha)
    hoy = timezone.localdate()
    for compromiso in Compromiso.objects.con_estatus_actual().con_estatus_al(hoy):
        assert compromiso.ultima_actualizacion_id == compromiso.actualizacion_al_id


# The service's rules -----------------------------------------------------------------------------


def test_future_effective_date_is_rejected_and_nothing_is_written(compromiso, estatus):
    manana = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        registrar(compromiso, estatus["cumplido"], manana)
    assert "futuro" in str(error.value)
    assert compromiso.actualizaciones.count() == 0


def test_unfavourable_status_requires_a_note(compromiso, estatus):
    with pytest.raises(ValidationError) as error:
        registrar(compromiso, estatus["incumplido"], D(2021, 1, 1), nota="   ")
    assert "nota" in error.value.message_dict
    assert compromiso.actualizaciones.count() == 0


def test_stale_version_is_rejected_and_nothing_is_written(compromiso, estatus):
    registrar(compromiso, estatus["pendiente"], D(2021, 1, 1), version=0)
    with pytest.raises(VersionObsoletaError):
        registrar(compromiso, estatus["cumplido"], D(2021, 2, 1), version=0)
    assert compromiso.actualizaciones.count() == 1
    compromiso.refresh_from_db()
    assert compromiso.version == 1 and compromiso.estatus_actual == estatus["pendiente"]


def test_each_update_records_the_status_it_replaced_and_who_recorded_it(compromiso, estatus, usuarios):
    registrar(compromiso, estatus["pendiente"], D(2021, 1, 1), usuario=usuarios["capturista"])
    segunda = registrar(compromiso, estatus["cumplido"], D(2021, 2, 1), usuario=usuarios["capturista"])
    assert segunda.estatus_anterior == estatus["pendiente"]
    assert segunda.registrado_por == usuarios["capturista"]
    assert segunda.registrado_en <= timezone.now()


def test_commission_duties_use_the_same_mechanism(semilla, estatus):
    atribucion = Atribucion.objects.order_by("numero").first()
    registrar(atribucion, estatus["en-proceso"], D(2024, 1, 1), version=0)
    atribucion.refresh_from_db()
    assert atribucion.estatus_actual == estatus["en-proceso"]
    assert estatus_al(atribucion, D(2023, 12, 31)) == (None, None)
    actualizacion = atribucion.actualizaciones.get()
    with pytest.raises(HistorialInmutableError):
        actualizacion.delete()
