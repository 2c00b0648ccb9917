"""The record's hash chain (issue 22, part 2): every history row of both kinds and every issued report
is one link of one chain; ``verificar_integridad`` recomputes it and names the first row that does not
verify; concurrent writers never fork it; rows recorded before the chain are chained by the migration."""

import io
import threading

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from comisiones.models import ActualizacionAtribucion, Atribucion
from convenios.models import Actualizacion, Compromiso
from reportes.models import InformeEmitido
from seguimiento import integridad
from seguimiento.integridad import CabezaDeCadena, modelos_encadenados, verificar
from seguimiento.services import registrar_actualizacion, registrar_actualizaciones

from .conftest import a_la_vez, dias, momento, restaurar_datos_de_migraciones, sin_disparador
from .factories import AtribucionFactory, CompromisoFactory

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor

FABRICAS = {Compromiso: CompromisoFactory, Atribucion: AtribucionFactory}


def eslabones() -> list[tuple[str, int, int, str, str]]:
    """Every link as (table, id, position, previous, link), in chain order."""
    filas = []
    for modelo in modelos_encadenados():
        for pk, eslabon, anterior, huella in modelo._base_manager.values_list(
            "pk", "eslabon", "huella_anterior", "huella"
        ):
            filas.append((modelo._meta.db_table, pk, eslabon, anterior, huella))
    return sorted(filas, key=lambda f: f[2])


def verificar_integridad(*argumentos) -> str:
    salida = io.StringIO()
    call_command("verificar_integridad", *argumentos, stdout=salida)
    return salida.getvalue()


def test_every_chained_column_is_named_in_the_link_or_left_out_on_purpose():
    """A column added later must be put in the link or out of it deliberately, never forgotten."""
    for modelo in modelos_encadenados():
        cubiertas = {"eslabon", "huella", "huella_anterior"}
        cubiertas |= {
            modelo._meta.get_field(n).name for n in (*modelo.campos_en_huella(), *modelo.FUERA_DE_HUELLA)
        }
        assert {c.name for c in modelo._meta.concrete_fields} == cubiertas, modelo


@pytest.mark.parametrize("Modelo", [Compromiso, Atribucion])
def test_every_door_appends_one_link_after_the_other(Modelo, db, estatus, usuarios):
    elemento = FABRICAS[Modelo]()
    otro = FABRICAS[Modelo]()
    usuario = usuarios["capturista"]
    registrar_actualizacion(elemento, estatus=estatus["en-proceso"], fecha_efectiva=dias(-5), usuario=usuario)
    Historial = Modelo.modelo_actualizacion()
    lote = [
        Historial(**{Historial.CAMPO_ELEMENTO: e}, estatus=estatus["cumplido"], fecha_efectiva=dias(-1))
        for e in (otro, elemento)
    ]
    registrar_actualizaciones(lote, usuario=usuario)

    cadena = eslabones()
    assert [f[2] for f in cadena] == [1, 2, 3]
    assert [f[1] for f in cadena[1:]] == [lote[0].pk, lote[1].pk]  # in the order given
    assert [f[3] for f in cadena] == ["", cadena[0][4], cadena[1][4]]
    cabeza = CabezaDeCadena.objects.get()
    assert (cabeza.eslabon, cabeza.huella, cabeza.fila) == (3, cadena[2][4], lote[1].pk)
    assert verificar().integra
    assert verificar_integridad().startswith("La cadena del registro verifica: 3 eslabones")


@pytest.mark.parametrize("Modelo", [Compromiso, Atribucion])
def test_a_note_rewritten_behind_the_triggers_is_named_by_verificar_integridad(Modelo, db, estatus, usuarios):
    elemento = FABRICAS[Modelo]()
    usuario = usuarios["capturista"]
    primera = registrar_actualizacion(
        elemento, estatus=estatus["en-proceso"], fecha_efectiva=dias(-9), usuario=usuario
    )
    segunda = registrar_actualizacion(
        elemento, estatus=estatus["incumplido"], fecha_efectiva=dias(-3), nota="Sin avance.", usuario=usuario
    )
    registrar_actualizacion(elemento, estatus=estatus["cumplido"], fecha_efectiva=dias(-1), usuario=usuario)
    assert verificar().integra
    tabla = Modelo.modelo_actualizacion()._meta.db_table

    # A superuser switches the append-only trigger off, rewrites one note and switches it on again.
    with sin_disparador(tabla, f"{tabla}_inmutable"), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {tabla} SET nota = 'Avance total.' WHERE id = %s", [segunda.pk])

    with pytest.raises(CommandError) as error:
        verificar_integridad()
    assert error.value.returncode == 1
    mensaje = str(error.value)
    assert f"{tabla}, id {segunda.pk} (eslabón 2)" in mensaje
    assert "su contenido no corresponde a su huella" in mensaje
    # From a date after the rewritten row, the rest still verifies; from before it, not.
    assert verificar(desde=dias(1)).integra
    assert not verificar(desde=primera.registrado_en.date()).integra


def test_a_deleted_link_and_a_head_moved_back_are_found(db, estatus, usuarios):
    elemento = CompromisoFactory()
    usuario = usuarios["capturista"]
    hechas = [
        registrar_actualizacion(
            elemento, estatus=estatus["en-proceso"], fecha_efectiva=dias(-n), usuario=usuario
        )
        for n in (5, 4, 3)
    ]
    CabezaDeCadena.objects.update(eslabon=2, huella=hechas[1].huella)  # the last link hidden
    falla = verificar().falla
    assert falla is not None and "la cabeza de la cadena (eslabón 2)" in falla.motivo
    CabezaDeCadena.objects.update(eslabon=3, huella=hechas[2].huella)
    with connection.cursor() as cursor:  # SQLite lets the test flush delete; PostgreSQL refuses
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM convenios_actualizacion WHERE id = %s", [hechas[1].pk])
            falla = verificar().falla
            assert falla is not None and "el eslabón 2 falta" in falla.motivo


@pytest.mark.archivos
def test_an_issued_report_is_a_link_and_its_pdf_prints_the_head_at_issue_time(
    client, semilla, usuarios, estatus, mas_tarde
):
    compromiso = Compromiso.objects.filter(convenio=semilla).first()
    registrar_actualizacion(
        compromiso, estatus=estatus["en-proceso"], fecha_efectiva=dias(-2), usuario=usuarios["capturista"]
    )
    client.force_login(usuarios["gerente"])
    cabeza_antes = integridad.cabeza()
    respuesta = client.post(reverse("reportes:informe_pdf", args=[semilla.slug]), {"fecha": "2020-02-07"})
    assert respuesta.status_code == 200
    informe = InformeEmitido.objects.latest("pk")
    assert informe.cadena_al_emitir == cabeza_antes.huella != ""
    assert informe.eslabon == cabeza_antes.eslabon + 1 and informe.huella_anterior == cabeza_antes.huella
    assert integridad.cabeza().huella == informe.huella
    texto = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(respuesta.content)).pages)
    assert f"Cadena del registro al emitir {informe.cadena_al_emitir}" in " ".join(texto.split())
    assert verificar().integra

    # More records move the head; the issued report still redraws byte for byte (its own head).
    registrar_actualizacion(
        compromiso, estatus=estatus["cumplido"], fecha_efectiva=dias(-1), usuario=usuarios["capturista"]
    )
    assert integridad.cabeza().huella != informe.cadena_al_emitir
    mas_tarde()
    regenerado = client.get(reverse("reportes:regenerar", args=[informe.folio]))
    assert regenerado["X-Coincide-Con-Emitido"] == "si" and regenerado.content == respuesta.content
    assert verificar().integra


@pytest.mark.postgres
def test_the_link_covers_the_moment_the_database_stores(db, estatus, usuarios):
    """As the application's role the trigger stores the database's time, whatever was sent."""
    if connection.vendor != "postgresql":
        pytest.skip("solo PostgreSQL fija el momento del registro")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL seguimiento.conservar_registrado_en = 'off'")
    elemento = AtribucionFactory()
    hecha = registrar_actualizacion(
        elemento,
        estatus=estatus["en-proceso"],
        fecha_efectiva=dias(-1),
        usuario=usuarios["capturista"],
        registrado_en=momento(2020, 1, 1),
    )
    guardada = ActualizacionAtribucion.objects.get(pk=hecha.pk)
    assert guardada.registrado_en.year != 2020 and guardada.registrado_en == hecha.registrado_en
    assert verificar().integra


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_updates_make_one_unforked_chain(estatus, usuarios):
    if connection.vendor != "postgresql":
        pytest.skip("bloqueos de fila reales: PostgreSQL")
    compromisos = [CompromisoFactory() for _ in range(10)]
    atribuciones = [AtribucionFactory() for _ in range(10)]
    usuario = usuarios["capturista"]
    en_proceso = estatus["en-proceso"]
    salida = threading.Barrier(20, timeout=30)
    errores = []

    def actualizar(elemento, i):
        try:
            salida.wait()
            registrar_actualizacion(
                elemento, estatus=en_proceso, fecha_efectiva=dias(-1), nota=f"n{i}", usuario=usuario
            )
        except Exception as error:  # reported below, in the test's thread
            errores.append(error)

    a_la_vez(actualizar, compromisos + atribuciones)
    assert errores == []
    cadena = eslabones()
    assert [f[2] for f in cadena] == list(range(1, 21))
    assert len({f[3] for f in cadena}) == 20, "dos filas siguen a la misma huella: la cadena se bifurcó"
    assert {f[0] for f in cadena} == {Actualizacion._meta.db_table, ActualizacionAtribucion._meta.db_table}
    resultado = verificar()
    assert resultado.integra and resultado.eslabones == 20


# The migration chains what was recorded before it -------------------------------------------------

ANTES = [
    ("seguimiento", "0004_solo_lo_vinculado"),
    ("convenios", "0016_propuestas"),
    ("comisiones", "0013_propuestas"),
    ("reportes", "0006_informes_del_enlace"),
]


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_rows_already_recorded_in_recording_order(estatus, usuarios):
    ejecutor = MigrationExecutor(connection)
    ejecutor.migrate(ANTES)
    try:
        viejas = MigrationExecutor(connection).loader.project_state(ANTES).apps
        Vieja = viejas.get_model("convenios", "Actualizacion")
        ViejaAtribucion = viejas.get_model("comisiones", "ActualizacionAtribucion")
        Informe = viejas.get_model("reportes", "InformeEmitido")
        compromiso, atribucion = CompromisoFactory(), AtribucionFactory()
        comun = {"estatus_id": estatus["en-proceso"].pk, "fecha_efectiva": dias(-10)}
        Vieja.objects.create(compromiso_id=compromiso.pk, registrado_en=momento(2024, 3, 1), **comun)
        ViejaAtribucion.objects.create(
            atribucion_id=atribucion.pk, registrado_en=momento(2024, 1, 1), **comun
        )
        Informe.objects.create(
            tipo="convenio",
            convenio_id=compromiso.convenio_id,
            fecha=dias(-10),
            emitido_en=momento(2024, 2, 1),
            emitido_por_id=usuarios["gerente"].pk,
            codigo="ABCD1234",
            sha256="0" * 64,
        )
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        restaurar_datos_de_migraciones()

    assert [f[0] for f in eslabones()] == [
        "comisiones_actualizacionatribucion",
        "reportes_informeemitido",
        "convenios_actualizacion",
    ]
    assert verificar().integra
    # What comes next follows the migrated chain, and the history is still append-only.
    registrar_actualizacion(
        compromiso, estatus=estatus["cumplido"], fecha_efectiva=dias(-1), usuario=usuarios["capturista"]
    )
    assert verificar().integra and integridad.cabeza().eslabon == 4
    with pytest.raises(Exception), connection.cursor() as cursor:  # noqa: B017 - each engine its own error
        cursor.execute("UPDATE convenios_actualizacion SET nota = 'x'")


# Where the chain shows: /salud/?profundo=1 (staff) and datos:integridad (anyone) ---------------------


def test_the_deep_health_check_verifies_the_chain_for_staff_only(client, db, estatus, usuarios):
    elemento = CompromisoFactory()
    hecha = registrar_actualizacion(
        elemento,
        estatus=estatus["incumplido"],
        fecha_efectiva=dias(-1),
        nota="Nada.",
        usuario=usuarios["capturista"],
    )
    url = reverse("salud") + "?profundo=1"
    assert client.get(url).status_code == 403
    client.force_login(usuarios["capturista"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("salud")).status_code == 200  # the shallow one stays open
    client.force_login(usuarios["admin"])
    respuesta = client.get(url)
    assert respuesta.status_code == 200
    assert "La cadena del registro verifica: 1 eslabones" in respuesta.content.decode()
    with (
        sin_disparador("convenios_actualizacion", "convenios_actualizacion_inmutable"),
        connection.cursor() as c,
    ):
        c.execute("UPDATE convenios_actualizacion SET nota = 'Todo.' WHERE id = %s", [hecha.pk])
    respuesta = client.get(url)
    assert respuesta.status_code == 503
    assert f"convenios_actualizacion, id {hecha.pk}" in respuesta.content.decode()


def test_anyone_can_ask_whether_an_old_head_is_still_in_todays_chain(client, db, estatus, usuarios):
    elemento = AtribucionFactory()
    usuario = usuarios["capturista"]
    url = reverse("datos:integridad")
    vacia = client.get(url).json()
    assert vacia["cabeza"] == {"huella": "", "eslabones": 0, "momento": None}

    primera = registrar_actualizacion(
        elemento, estatus=estatus["en-proceso"], fecha_efectiva=dias(-3), usuario=usuario
    )
    vieja = client.get(url).json()["cabeza"]
    assert vieja["huella"] == primera.huella and vieja["eslabones"] == 1
    registrar_actualizacion(elemento, estatus=estatus["cumplido"], fecha_efectiva=dias(-1), usuario=usuario)
    hoy = client.get(url).json()["cabeza"]
    assert hoy["eslabones"] == 2 and hoy["huella"] != vieja["huella"]

    respuesta = client.get(url, {"huella": vieja["huella"].upper()})
    assert respuesta.status_code == 200 and respuesta["Cache-Control"] == "no-cache, public"
    assert respuesta.json()["consulta"] == {
        "huella": vieja["huella"],
        "en_la_cadena": True,
        "eslabon": 1,
        "desde": vieja["momento"],
    }
    falsa = "f" * 64
    assert client.get(url, {"huella": falsa}).json()["consulta"]["en_la_cadena"] is False
    mala = client.get(url, {"huella": "zz"})
    assert mala.status_code == 400 and "64 caracteres hexadecimales" in mala.json()["error"]
    assert "id" not in str(client.get(url).json()["cabeza"]).lower().replace("huella", "")


def test_the_chain_head_is_listed_in_the_dcat_catalogue(client, db):
    catalogo = client.get(reverse("datos:catalogo")).json()
    (conjunto,) = [c for c in catalogo["dcat:dataset"] if c["dct:identifier"] == "seguimiento-integridad"]
    (distribucion,) = conjunto["dcat:distribution"]
    assert distribucion["dcat:downloadURL"]["@id"].endswith(reverse("datos:integridad"))
