"""The database keeps history append-only even against SQL: TRUNCATE, replica mode, and an app role
that may only read and append history (``manage.py crear_rol_bd``)."""

import datetime
import os
from io import StringIO

import psycopg
import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from comisiones.models import ActualizacionAtribucion
from convenios.models import Actualizacion
from reportes.models import InformeEmitido
from seguimiento.models import ActualizacionBase, Estatus, modelos_de_historial

from .conftest import restaurar_datos_de_migraciones
from .factories import AtribucionFactory, CompromisoFactory, UsuarioFactory, registrar_actualizacion

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor

HISTORIAL = {
    "convenios_actualizacion": ("compromiso", CompromisoFactory),
    "comisiones_actualizacionatribucion": ("atribucion", AtribucionFactory),
}


def solo_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE, session_replication_role y los roles existen solo en PostgreSQL")


def datos_de_migraciones() -> dict:
    """A transactional test starts flushed: put back the statuses and roles, and return the statuses."""
    restaurar_datos_de_migraciones()
    return {e.slug: e for e in Estatus.objects.all()}


def con_historia(tabla: str, estatus):
    _campo, fabrica = HISTORIAL[tabla]
    elemento = fabrica()
    registrar_actualizacion(elemento, estatus=estatus["pendiente"], fecha_efectiva=datetime.date(2021, 1, 1))
    return elemento


def test_history_tables_are_every_concrete_update_model():
    assert {m._meta.db_table for m in modelos_de_historial()} == set(HISTORIAL)
    assert {m._meta.db_table for m in apps.get_models() if issubclass(m, ActualizacionBase)} == set(HISTORIAL)


@pytest.mark.postgres
@pytest.mark.parametrize("tabla", list(HISTORIAL))
def test_postgresql_refuses_to_truncate_history_even_with_cascade(db, estatus, tabla):
    solo_postgresql()
    elemento = con_historia(tabla, estatus)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts leave nothing pending
    with pytest.raises(DatabaseError, match="solo anexión"), transaction.atomic(), connection.cursor() as c:
        c.execute(f"TRUNCATE {tabla} CASCADE")
    assert elemento.actualizaciones.count() == 1


@pytest.mark.postgres
@pytest.mark.parametrize("tabla", list(HISTORIAL))
def test_replica_mode_does_not_switch_history_triggers_off(db, estatus, tabla):
    """``session_replication_role = replica`` skips ordinary triggers; the history's fire always."""
    solo_postgresql()
    elemento = con_historia(tabla, estatus)
    for sentencia in (f"UPDATE {tabla} SET nota = 'reescrita'", f"DELETE FROM {tabla}"):
        with pytest.raises(DatabaseError, match="solo anexión"), transaction.atomic():
            c = connection.cursor()
            c.execute("SET LOCAL session_replication_role = replica")
            c.execute(sentencia)
    assert list(elemento.actualizaciones.values_list("nota", flat=True)) == [""]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_test_suites_flush_empties_history_and_leaves_every_trigger_on():
    """Transactional tests are flushed with TRUNCATE; only the test harness may pass the trigger."""
    solo_postgresql()
    estatus = datos_de_migraciones()
    for tabla in HISTORIAL:
        con_historia(tabla, estatus)
    call_command("flush", interactive=False, verbosity=0)
    assert not Actualizacion.objects.exists() and not ActualizacionAtribucion.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = ANY(%s) AND NOT t.tgisinternal ORDER BY 1, 2",
            [list(HISTORIAL)],
        )
        disparadores = cursor.fetchall()
    # Append-only always, also in replica mode; the recording moment is set where a row is first
    # written (a logical replica keeps the origin's: that trigger fires in origin mode only).
    assert disparadores == [
        (tabla, f"{tabla}_{sufijo}", estado)
        for tabla in sorted(HISTORIAL)
        for sufijo, estado in (("inmutable", "A"), ("no_vaciable", "A"), ("registro", "O"))
    ]
    with pytest.raises(DatabaseError, match="solo anexión"), transaction.atomic(), connection.cursor() as c:
        c.execute("TRUNCATE convenios_actualizacion CASCADE")


# The application's own role ----------------------------------------------------------------------


def test_crear_rol_bd_prints_the_grants_without_touching_the_database(db):
    salida = StringIO()
    call_command("crear_rol_bd", "seguimiento_app", stdout=salida)
    sql = salida.getvalue()
    assert "LOGIN" in sql and "NOSUPERUSER" in sql
    for tabla in HISTORIAL:
        assert f'GRANT SELECT, INSERT ON TABLE "{tabla}" TO "seguimiento_app";' in sql
        assert f'REVOKE ALL ON TABLE "{tabla}" FROM "seguimiento_app";' in sql
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "convenios_compromiso" TO "seguimiento_app";' in sql
    assert not [linea for linea in sql.splitlines() if "GRANT" in linea and "TRUNCATE" in linea]
    assert "GRANT USAGE, SELECT ON ALL SEQUENCES" in sql


@pytest.mark.parametrize("nombre", ["", "con espacio", 'comillas"', "a" * 64, "postgres", "pg_algo"])
def test_crear_rol_bd_refuses_unsafe_names(db, nombre):
    with pytest.raises(CommandError):
        call_command("crear_rol_bd", nombre, stdout=StringIO())


def test_crear_rol_bd_runs_only_on_postgresql(db):
    if connection.vendor == "postgresql":
        pytest.skip("en PostgreSQL sí se ejecuta")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("crear_rol_bd", "seguimiento_app", "--ejecutar", stdout=StringIO())


@pytest.fixture
def rol_de_la_app(transactional_db):
    """A LOGIN role made by ``crear_rol_bd --ejecutar``, unique per run (roles are cluster-wide)."""
    solo_postgresql()
    nombre = f"seguimiento_prueba_{os.getpid()}"
    call_command("crear_rol_bd", nombre, "--ejecutar", stdout=StringIO())
    yield nombre
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{nombre}"')
        cursor.execute(f'DROP ROLE "{nombre}"')


def conectar_como(rol: str) -> psycopg.Connection:
    ajustes = connection.settings_dict
    return psycopg.connect(
        dbname=ajustes["NAME"],
        host=ajustes["HOST"] or None,
        port=ajustes["PORT"] or None,
        user=rol,
        autocommit=True,
    )


def rechaza(conexion: psycopg.Connection, sentencia: str) -> str:
    with pytest.raises(psycopg.Error) as error:
        conexion.execute(sentencia)
    return str(error.value)


@pytest.mark.postgres
def test_the_app_role_reads_and_appends_history_but_cannot_rewrite_it(rol_de_la_app):
    estatus = datos_de_migraciones()
    elementos = {tabla: con_historia(tabla, estatus) for tabla in HISTORIAL}
    admin = UsuarioFactory(is_superuser=True)

    with conectar_como(rol_de_la_app) as conexion:
        fila = conexion.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert fila.fetchone() == (False, False)
        for tabla, elemento in elementos.items():
            campo = HISTORIAL[tabla][0]
            assert conexion.execute(f"SELECT count(*) FROM {tabla}").fetchone() == (1,)
            insertar = (
                f"INSERT INTO {tabla} ({campo}_id, estatus_id, fecha_efectiva, nota, evidencia, enlace, "
                "capturado_por_declarado, registrado_en{por}) "
                "VALUES ({elemento}, {estatus}, '2021-02-01', 'anexada por la app', '', '', '', now(){quien})"
            )
            datos = {"elemento": elemento.pk, "estatus": estatus["en-proceso"].pk}
            # Who recorded it is required, by the database too.
            assert "registrado_por_id" in rechaza(conexion, insertar.format(por="", quien="", **datos))
            conexion.execute(insertar.format(por=", registrado_por_id", quien=f", {admin.pk}", **datos))
            assert conexion.execute(f"SELECT count(*) FROM {tabla}").fetchone() == (2,)

            for sentencia in (
                f"UPDATE {tabla} SET nota = 'reescrita'",
                f"DELETE FROM {tabla}",
                f"TRUNCATE {tabla}",
                f"TRUNCATE {tabla} CASCADE",
            ):
                assert "permission denied" in rechaza(conexion, sentencia), sentencia
            assert "must be owner" in rechaza(conexion, f"ALTER TABLE {tabla} DISABLE TRIGGER ALL")
            disparador = f"ALTER TABLE {tabla} DISABLE TRIGGER {tabla}_inmutable"
            assert "must be owner" in rechaza(conexion, disparador)
        assert "permission denied" in rechaza(conexion, "SET session_replication_role = replica")

        # What the app needs elsewhere still works: ordinary tables are read and written.
        conexion.execute("UPDATE convenios_compromiso SET fecha_limite = '2030-01-01'")
        conexion.execute("SELECT count(*) FROM django_session")

    for tabla, elemento in elementos.items():
        notas = sorted(elemento.actualizaciones.values_list("nota", flat=True))
        assert notas == ["", "anexada por la app"], tabla


# The database keeps the facts of the record, whoever writes by SQL -------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("tabla", list(HISTORIAL))
def test_as_the_app_role_a_back_dated_insert_gets_the_databases_time(rol_de_la_app, tabla):
    estatus = datos_de_migraciones()
    elemento = con_historia(tabla, estatus)
    admin = UsuarioFactory(is_superuser=True)
    campo = HISTORIAL[tabla][0]
    with conectar_como(rol_de_la_app) as conexion:
        ahora = conexion.execute("SELECT now()").fetchone()[0]
        registrado_en, por = conexion.execute(
            f"INSERT INTO {tabla} ({campo}_id, estatus_id, fecha_efectiva, nota, evidencia, enlace, "
            "capturado_por_declarado, registrado_en, registrado_por_id) "
            "VALUES (%s, %s, '2020-01-01', 'antedatada', '', '', '', '2020-01-01 09:00-06', %s) "
            "RETURNING registrado_en, registrado_por_id",
            [elemento.pk, estatus["cumplido"].pk, admin.pk],
        ).fetchone()
    assert registrado_en >= ahora, "la hora de la base, no la que mandó el cliente"
    assert por == admin.pk  # who is the client's word, checked by the app (next issue: the chain)


@pytest.mark.postgres
def test_as_the_app_role_a_used_status_keeps_its_key_and_category(rol_de_la_app):
    estatus = datos_de_migraciones()
    con_historia("convenios_actualizacion", estatus)  # «pendiente» is now used
    with conectar_como(rol_de_la_app) as conexion:
        for sentencia in (
            "UPDATE convenios_estatus SET categoria = 'favorable' WHERE slug = 'pendiente'",
            "UPDATE convenios_estatus SET slug = 'otro' WHERE slug = 'pendiente'",
        ):
            assert "ya se usó en el historial" in rechaza(conexion, sentencia)
        # Its name may change, and an unused status may still be re-keyed.
        conexion.execute(
            "UPDATE convenios_estatus SET nombre = 'Pendiente (revisado)' WHERE slug = 'pendiente'"
        )
        conexion.execute("UPDATE convenios_estatus SET categoria = 'favorable' WHERE slug = 'incumplido'")
    assert Estatus.objects.get(slug="pendiente").categoria == estatus["pendiente"].categoria


@pytest.mark.postgres
def test_as_the_app_role_an_items_copies_cannot_be_rewritten(rol_de_la_app):
    estatus = datos_de_migraciones()
    elementos = {tabla: con_historia(tabla, estatus) for tabla in HISTORIAL}
    otro = con_historia("convenios_actualizacion", estatus)
    tablas = {
        "convenios_actualizacion": "convenios_compromiso",
        "comisiones_actualizacionatribucion": "comisiones_atribucion",
    }
    with conectar_como(rol_de_la_app) as conexion:
        for historial, elemento in elementos.items():
            tabla = tablas[historial]
            for asignacion in (
                f"estatus_vigente_id = {estatus['cumplido'].pk}",
                "nota_vigente = 'reescrita'",
                "ultima_actualizacion_id = NULL",
            ):
                sentencia = f"UPDATE {tabla} SET {asignacion} WHERE id = {elemento.pk}"
                assert "solo las escriben los servicios" in rechaza(conexion, sentencia), sentencia
        ajena = otro.ultima_actualizacion_id
        sentencia = f"UPDATE convenios_compromiso SET ultima_actualizacion_id = {ajena} WHERE id = %s"
        with pytest.raises(psycopg.Error, match="solo las escriben los servicios"):
            conexion.execute(sentencia, [elementos["convenios_actualizacion"].pk])
    for elemento in elementos.values():
        elemento.refresh_from_db()
        assert (elemento.estatus_vigente, elemento.nota_vigente) == (estatus["pendiente"], "")


@pytest.mark.postgres
def test_as_the_app_role_an_issued_reports_register_is_append_only(rol_de_la_app):
    datos_de_migraciones()
    informe = InformeEmitido.objects.create(
        tipo=InformeEmitido.Tipo.CONSOLIDADO, fecha=datetime.date(2026, 1, 1), emitido_por=UsuarioFactory()
    )
    with conectar_como(rol_de_la_app) as conexion:
        # What fills in later, once: the PDF's hash and its kept file.
        conexion.execute(
            "UPDATE reportes_informeemitido SET sha256 = %s, archivo = 'informes/2026/x.pdf' WHERE id = %s",
            ["a" * 64, informe.pk],
        )
        for sentencia in (
            "UPDATE reportes_informeemitido SET codigo = 'ZZZZZZZZ'",
            f"UPDATE reportes_informeemitido SET sha256 = '{'b' * 64}'",
            "UPDATE reportes_informeemitido SET archivo = 'informes/2026/otro.pdf'",
            "UPDATE reportes_informeemitido SET fecha = '2020-01-01'",
            f"UPDATE reportes_informeemitido SET sha256_contenido = '{'c' * 64}'",
            "UPDATE reportes_informeemitido SET emitido_en = '2020-01-01 09:00-06'",
            "DELETE FROM reportes_informeemitido",
        ):
            assert "solo anexión" in rechaza(conexion, sentencia), sentencia
    informe.refresh_from_db()
    assert (informe.sha256, informe.archivo.name) == ("a" * 64, "informes/2026/x.pdf")


@pytest.mark.postgres
def test_as_the_app_role_the_admin_log_is_read_and_appended_only(rol_de_la_app):
    datos_de_migraciones()
    usuario = UsuarioFactory()
    LogEntry.objects.log_action(usuario.pk, None, None, "algo", ADDITION, change_message="[]")
    with conectar_como(rol_de_la_app) as conexion:
        conexion.execute(
            "INSERT INTO django_admin_log (action_time, user_id, object_repr, action_flag, change_message) "
            "VALUES (now(), %s, 'otra', 1, '[]')",
            [usuario.pk],
        )
        for sentencia in ("DELETE FROM django_admin_log", "UPDATE django_admin_log SET object_repr = 'x'"):
            assert "permission denied" in rechaza(conexion, sentencia), sentencia
    assert sorted(LogEntry.objects.values_list("object_repr", flat=True)) == ["algo", "otra"]


# The same rules on SQLite, where its triggers can say them (not the recording moment: whoever holds
# an SQLite file does everything, so there the application's clock stands).


@pytest.mark.parametrize("tabla", list(HISTORIAL))
def test_a_used_status_keeps_its_key_and_category_on_both_engines(db, estatus, tabla):
    con_historia(tabla, estatus)
    for cambio in ({"categoria": "favorable"}, {"slug": "otro"}):
        with pytest.raises(DatabaseError, match="ya se usó en el historial"), transaction.atomic():
            Estatus.objects.filter(slug="pendiente").update(**cambio)
    Estatus.objects.filter(slug="pendiente").update(nombre="Pendiente (revisado)")
    Estatus.objects.filter(slug="incumplido").update(categoria="favorable")  # unused: may change
    assert Estatus.objects.get(slug="pendiente").categoria == estatus["pendiente"].categoria


def test_an_issued_reports_row_changes_only_to_fill_in_its_hash_and_file_on_both_engines(db):
    informe = InformeEmitido.objects.create(
        tipo=InformeEmitido.Tipo.CONSOLIDADO, fecha=datetime.date(2026, 1, 1), emitido_por=UsuarioFactory()
    )
    registro = InformeEmitido.objects.filter(pk=informe.pk)
    registro.update(sha256="a" * 64)
    registro.update(archivo="informes/2026/x.pdf")
    for cambio in (
        {"sha256": "b" * 64},
        {"archivo": "informes/2026/otro.pdf"},
        {"codigo": "ZZZZZZZZ"},
        {"fecha": datetime.date(2020, 1, 1)},
        {"emitido_por": UsuarioFactory()},
    ):
        with pytest.raises(DatabaseError, match="solo anexión"), transaction.atomic():
            registro.update(**cambio)
    assert registro.values_list("sha256", "archivo", "codigo").get() == (
        "a" * 64,
        "informes/2026/x.pdf",
        informe.codigo,
    )
