import contextlib
import datetime
import os
import re
import threading
import uuid
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from api.models import ClaveDeAPI, resumen_de
from comisiones.models import Comision
from config.almacen import almacen_desde_url
from convenios.models import Convenio, Dependencia
from seguimiento.migrations._comun import CONSERVAR_REGISTRADO_EN
from seguimiento.models import Estatus, VersionTexto, modelos_de_solo_anexion

from .factories import UsuarioFactory, crear_enlace

ROLES = ["Capturista", "Gerente", "Auditor", "Importador"]

# The day every test runs on unless it asks for another: the clock stands at noon of it (and ticks),
# so no result depends on the day the suite happens to run. Browser tests keep the real clock: the
# browser has its own, and would find the session cookie expired.
DIA_FIJO = datetime.date(2026, 12, 3)
# Where date rules break if they break: a month's first and last day, a leap February's end, and a
# day in the first week of a month (the one a month-end assertion once failed on).
DIAS_LIMITE = [
    datetime.date(2026, 3, 1),
    datetime.date(2026, 3, 31),
    datetime.date(2024, 2, 29),
    datetime.date(2026, 12, 31),
    DIA_FIJO,
]
en_los_dias_limite = pytest.mark.parametrize("hoy", DIAS_LIMITE, indirect=True, ids=str)


def reloj_en(dia: datetime.date):
    """The clock (``timezone.now``, ``date.today``…) at noon of ``dia``, local time, ticking."""
    mediodia = datetime.datetime.combine(dia, datetime.time(12), zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return time_machine.travel(mediodia, tick=True)


@pytest.fixture(autouse=True)
def hoy(request):
    """Today, for every test: ``DIA_FIJO``, or each of ``DIAS_LIMITE`` with ``@en_los_dias_limite``."""
    if request.node.get_closest_marker("navegador"):
        yield timezone.localdate()
        return
    dia = getattr(request, "param", DIA_FIJO)
    with reloj_en(dia):
        yield dia


def momento(*args) -> datetime.datetime:
    """``datetime.datetime(*args)`` in the project's time zone."""
    return timezone.make_aware(datetime.datetime(*args))


def enlaces_del_menu(html: str) -> set[str]:
    """The links of the main menu of a page."""
    menu = re.search(r'<nav aria-label="Principal">(.*?)</nav>', html, re.S)
    return set(re.findall(r'<a href="([^"]+)"', menu.group(1))) if menu else set()


@contextlib.contextmanager
def sin_disparador(tabla: str, disparador: str):
    """``disparador`` off for the block, as only the owner of the tables can: to show what another
    check finds when the database's own is bypassed. Within the test's transaction on PostgreSQL;
    dropped and created again on SQLite, which cannot switch a trigger off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no check may be pending on the table
            cursor.execute(f"ALTER TABLE {tabla} DISABLE TRIGGER {disparador}")
            try:
                yield
            finally:
                cursor.execute(f"ALTER TABLE {tabla} ENABLE TRIGGER {disparador}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [disparador])
            (sql,) = cursor.fetchone()
            cursor.execute(f"DROP TRIGGER {disparador}")
            try:
                yield
            finally:
                cursor.execute(sql)


def dias(n: int) -> datetime.date:
    """``n`` days from today (negative: in the past)."""
    return timezone.localdate() + datetime.timedelta(days=n)


# Measured to take the longest (the page walk alone ~170 s), then every other browser module: scheduled
# first, so that the other worker takes the short modules meanwhile and both finish together (xdist's
# loadscope hands out modules in the order they were collected).
LARGOS = (
    "test_navegador_paginas",
    "test_api_esquema",
    "test_navegador",
    "test_respaldos",
    "test_pdf_estable",
)


def pytest_collection_modifyitems(items):
    def peso(item) -> int:
        modulo = item.nodeid.partition("::")[0].rpartition("/")[2].removesuffix(".py")
        if modulo in LARGOS:
            return LARGOS.index(modulo)
        return len(LARGOS) + (item.get_closest_marker("navegador") is None)

    items.sort(key=peso)  # stable: each module keeps its own order


def pytest_configure(config):
    """What tests need and production must not have, set here (settings.py never detects the test
    runner): static files without collectstatic's manifest, and plain HTTP for the test client and the
    live server. Set before collection, since a module may build a WSGI handler when it is imported
    (its middleware reads the settings then). tests/test_produccion.py checks the real defaults in a
    process of their own."""
    estaticos = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": estaticos}, SECURE_SSL_REDIRECT=False
    ).enable()
    connection_created.connect(conservar_registrado_en)


def conservar_registrado_en(sender, connection, **kwargs):
    """PostgreSQL sets a history row's recording moment itself (``registro_del_sistema``), but the
    tests' clock is frozen and their history is dated by it: as the owner of the tables, who may do so
    anyway, keep the moments the tests send. The database's own time is tested as the application's
    role, which owns nothing (tests/test_base_de_datos.py)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET {CONSERVAR_REGISTRADO_EN} = 'on'")


@pytest.fixture(autouse=True)
def contrasenas_rapidas(settings):
    """Hashing a password properly takes ~0.3 s; tests need no protection against brute force."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def limites_de_la_api_en_cero():
    """The API's per-user request counters live in the cache; each test starts with none spent."""
    from django.core.cache import cache

    cache.clear()


SLUG_DE_LA_SEMILLA = "convenio-de-colaboracion-www-datos-gob-mx"


def cargar_semilla() -> Convenio:
    call_command("cargar_semilla", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Convenio.objects.get(slug=SLUG_DE_LA_SEMILLA)


# The Enlace of the seed (its state government, «COMPROMISOS GOB- TAM», and the commission with duties),
# and an Enlace of another institution and commission, who must find none of the seed's objects.
ENLACE_DE_LA_SEMILLA = {
    "dependencia": "Gobierno del Estado de Tamaulipas",
    "comision": "gobierno-abierto-y-transparencia-proactiva",
}
ENLACE_AJENO = {
    "dependencia": "Secretaría ajena al convenio semilla",
    "comision": "tecnologias-de-la-informacion-y-pnt",
}


def crear_enlace_de(username: str, vinculos: dict):
    """An Enlace linked to what ``vinculos`` names, when it exists (the seed may not be loaded)."""
    dependencias = [d for d in [Dependencia.objects.filter(nombre=vinculos["dependencia"]).first()] if d]
    comisiones = list(Comision.objects.filter(slug=vinculos["comision"]))
    return crear_enlace(username, dependencias, comisiones)


def crear_usuarios() -> dict:
    cuentas = {
        rol.lower(): UsuarioFactory(username=rol.lower(), rol=rol, is_staff=rol == "Importador")
        for rol in ROLES
    }
    cuentas["admin"] = UsuarioFactory(username="admin", is_staff=True, is_superuser=True)
    cuentas["sin_rol"] = UsuarioFactory(username="sin_rol")
    cuentas["enlace"] = crear_enlace_de("enlace", ENLACE_DE_LA_SEMILLA)
    if Comision.objects.exists():
        Dependencia.objects.get_or_create(nombre=ENLACE_AJENO["dependencia"])
    cuentas["enlace_ajeno"] = crear_enlace_de("enlace_ajeno", ENLACE_AJENO)
    return cuentas


@pytest.fixture(scope="module")
def mundo_del_modulo(django_db_setup, django_db_blocker):
    """The seed and the users of ``usuarios``, built once for a whole module (a permission matrix asks
    for them in hundreds of cases): in a transaction of the module's own, which each test's
    transaction nests in as a savepoint, rolled back after the module's last test. A module opts in
    with ``pytestmark = pytest.mark.usefixtures("mundo_del_modulo")``; its tests then must not
    need other connections to see the data (no threads, no live server)."""
    rapido = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), reloj_en(DIA_FIJO), rapido:
        transaccion = transaction.atomic()
        transaccion.__enter__()
        try:
            yield {"semilla": cargar_semilla().pk, "usuarios": {r: u.pk for r, u in crear_usuarios().items()}}
        finally:
            transaction.set_rollback(True)
            transaccion.__exit__(None, None, None)


@pytest.fixture
def semilla(request, db) -> Convenio:
    """Both seed documents loaded, as `make run` loads them (once per module with ``mundo_del_modulo``)."""
    if "mundo_del_modulo" in request.fixturenames:
        return Convenio.objects.get(pk=request.getfixturevalue("mundo_del_modulo")["semilla"])
    return cargar_semilla()


@pytest.fixture
def usuarios(request, db) -> dict:
    """One user per role, plus a superuser and a logged-in user with no role at all (once per module
    with ``mundo_del_modulo``). The importer is staff: the admin's import is theirs too."""
    if "mundo_del_modulo" in request.fixturenames:
        pks = request.getfixturevalue("mundo_del_modulo")["usuarios"]
        por_pk = get_user_model().objects.in_bulk(pks.values())
        return {rol: por_pk[pk] for rol, pk in pks.items()}
    return crear_usuarios()


@pytest.fixture
def importador(usuarios):
    return usuarios["importador"]


@pytest.fixture
def gerente(client, usuarios):
    """The manager, logged in."""
    client.force_login(usuarios["gerente"])
    return usuarios["gerente"]


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
    # The statuses keep their ids: move their sequence past them, as the flush had set it back to 1.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Estatus]):
            cursor.execute(sql)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, the statuses and roles are back for whatever test comes
    next: run in parallel, a process receives whole modules, so a module's transactional tests no
    longer all come after every other test (pytest-django's order in a single process)."""
    try:
        return (yield)
    finally:  # a teardown that fails (the archivos guard) must not take the next test's data with it
        marca = item.get_closest_marker("django_db")
        transaccional = marca is not None and (marca.kwargs.get("transaction") or marca.args[:1] == (True,))
        if nextitem is not None and (
            transaccional or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        ):
            from pytest_django.plugin import blocking_manager_key

            with item.config.stash[blocking_manager_key].unblock():
                restaurar_datos_de_migraciones()


# PostgreSQL: how each ``pg_trigger.tgenabled`` state is written back in ``ALTER TABLE``.
MODOS_DE_DISPARADOR = {"O": "ENABLE", "A": "ENABLE ALWAYS", "R": "ENABLE REPLICA", "D": "DISABLE"}


@pytest.fixture(scope="session", autouse=True)
def vaciado_de_pruebas_pasa_el_historial():
    """Test harness only: let the flush that ends a transactional test empty the history tables.

    On PostgreSQL that flush is one ``TRUNCATE`` of every table, which the history's triggers refuse.
    Like a migration, the test database's owner switches those triggers off for the flush and back
    on exactly as they were, in the flush's own transaction, so no test ever runs without them.
    Production code has no such path: the triggers themselves have no exception.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush
    tablas = [m._meta.db_table for m in modelos_de_solo_anexion()] + [VersionTexto._meta.db_table]

    def execute_sql_flush(self, sql_list):
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relname = ANY(%s) AND NOT t.tgisinternal",
                [tablas],
            )
            disparadores = cursor.fetchall()
            for tabla, nombre, _estado in disparadores:
                cursor.execute(f'ALTER TABLE "{tabla}" DISABLE TRIGGER "{nombre}"')
            original(self, sql_list)
            for tabla, nombre, estado in disparadores:
                cursor.execute(f'ALTER TABLE "{tabla}" {MODOS_DE_DISPARADOR[estado]} TRIGGER "{nombre}"')

    with pytest.MonkeyPatch.context() as parche:
        parche.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


# The tests that read or write private files carry this marker: `make test` runs them on S3 too.
ARCHIVOS = "archivos"
# Tests that choose the backend themselves (both, or S3) need no marker.
FIXTURES_DE_ALMACEN = {"almacen", "almacen_s3"}


@pytest.fixture(autouse=True)
def medios_privados(request, settings, tmp_path):
    """Evidence and archived reports go to a private folder per test, never to the project's; with
    ``PRUEBAS_ALMACEN=s3`` in the environment, every test keeps them in a bucket of moto's server.

    On the local disk, a test that leaves a file there without the ``archivos`` marker fails: it
    touches private files, yet `make test` would never run it on S3."""
    settings.MEDIA_ROOT = tmp_path / "privado"
    if os.environ.get("PRUEBAS_ALMACEN") == "s3":
        request.getfixturevalue("almacen_s3")
        yield
        return
    yield
    if mensaje := falta_la_marca(request.node, tmp_path / "privado"):
        pytest.fail(mensaje, pytrace=False)


def falta_la_marca(prueba, raiz: Path) -> str | None:
    """The guard's complaint when ``prueba`` (a test item) left files under ``raiz``, its local private
    folder, without the ``archivos`` marker or a fixture that picks the backend; else None."""
    if prueba.get_closest_marker(ARCHIVOS) or FIXTURES_DE_ALMACEN & set(prueba.fixturenames):
        return None
    if escritos := archivos_en_disco(raiz):
        return (
            f"Esta prueba escribió archivos privados ({', '.join(escritos)}) sin la marca «{ARCHIVOS}»: "
            f"márquela con @pytest.mark.{ARCHIVOS} (o pytestmark en su módulo) para que `make test` "
            "la corra también sobre S3."
        )
    return None


def archivos_en_disco(raiz: Path) -> list[str]:
    """The files under ``raiz`` (a local private folder), relative to it, read from the disk."""
    return sorted(str(r.relative_to(raiz)) for r in raiz.rglob("*") if r.is_file()) if raiz.exists() else []


def archivos_privados(carpeta: str = "") -> list[str]:
    """Every name in the private storage under ``carpeta``, recursively, asked of the storage itself
    (MEDIA_ROOT, or the bucket with ``PRUEBAS_ALMACEN=s3``): what a test reads back never depends on
    the backend."""
    from seguimiento.almacen import almacen_privado

    try:
        carpetas, archivos = almacen_privado().listdir(carpeta)
    except FileNotFoundError:
        return []
    base = f"{carpeta}/" if carpeta else ""
    return sorted([base + a for a in archivos] + [n for c in carpetas for n in archivos_privados(base + c)])


def leer_privado(nombre: str) -> bytes:
    """The bytes of a private file, read through the storage."""
    from seguimiento.almacen import almacen_privado

    with almacen_privado().open(nombre, "rb") as archivo:
        return archivo.read()


def escribir_privado(nombre: str, datos: bytes) -> None:
    """Replace a private file's bytes through the storage (a test tampering with an archive)."""
    from django.core.files.base import ContentFile

    from seguimiento.almacen import almacen_privado

    almacen_privado().delete(nombre)
    guardado = almacen_privado().save(nombre, ContentFile(datos))
    assert guardado == nombre, f"saved as {guardado}, not {nombre}"


@pytest.fixture(scope="session")
def servidor_s3():
    """A real S3-protocol server (moto's) on loopback, on a free port, for the whole session."""
    from moto.server import ThreadedMotoServer

    servidor = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    servidor.start()
    host, puerto = servidor.get_host_and_port()
    yield f"http://{host}:{puerto}"
    servidor.stop()


@pytest.fixture
def almacen_s3(servidor_s3, settings, monkeypatch):
    """Private files in a new, empty bucket of ``servidor_s3`` (``ALMACEN_URL`` as production writes
    it, credentials in the standard AWS variables); returns the bucket's name."""
    import boto3

    for variable, valor in {
        "AWS_ACCESS_KEY_ID": "prueba",
        "AWS_SECRET_ACCESS_KEY": "prueba",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(variable, valor)
    cubeta = f"seguimiento-{uuid.uuid4().hex[:16]}"
    boto3.client("s3", endpoint_url=servidor_s3, region_name="us-east-1").create_bucket(Bucket=cubeta)
    url = f"s3://{cubeta}/privado?endpoint={servidor_s3}&region=us-east-1"
    settings.STORAGES = {**settings.STORAGES, "privado": almacen_desde_url(url)}
    return cubeta


@pytest.fixture(params=["local", "s3"])
def almacen(request):
    """Run the test once with files under MEDIA_ROOT and once in an S3 bucket (whatever
    ``PRUEBAS_ALMACEN`` says); returns a function listing every stored name (relative to the storage's
    root), read from the backend itself, not through the storage."""
    if request.param == "local":
        ajustes = request.getfixturevalue("settings")
        ajustes.STORAGES = {**ajustes.STORAGES, "privado": almacen_desde_url("")}
        return lambda: archivos_en_disco(Path(ajustes.MEDIA_ROOT))
    import boto3

    cubeta = request.getfixturevalue("almacen_s3")
    cliente = boto3.client("s3", endpoint_url=request.getfixturevalue("servidor_s3"), region_name="us-east-1")

    def objetos() -> list[str]:
        respuesta = cliente.list_objects_v2(Bucket=cubeta)
        return sorted(o["Key"].removeprefix("privado/") for o in respuesta.get("Contents", []))

    return objetos


@pytest.fixture
def mas_tarde(monkeypatch):
    """Call it to move the clock (``timezone.now``) two hours ahead: a report regenerated after it
    never falls in the minute it was issued, so a drawing that used the current time would differ."""

    def adelantar(horas: int = 2):
        ahora = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: ahora + datetime.timedelta(hours=horas))

    return adelantar


def filas_de_importacion() -> dict[str, list[dict]]:
    """Every row of every table an import writes to, by content: «nothing written» means these are
    equal before and after, not merely as many."""
    from convenios.models import Actualizacion, Compromiso, Convenio, Dependencia, Parte

    return {
        m._meta.model_name: list(m.objects.order_by("pk").values())
        for m in (Convenio, Dependencia, Parte, Compromiso, Actualizacion)
    }


def a_la_vez(tarea, personas: list, espera: float = 60) -> None:
    """The concurrency tests' runner: ``tarea(persona, i)`` in a thread per person, each on its own
    database connection (closed when it ends), and wait for all of them."""

    def correr(persona, i):
        try:
            tarea(persona, i)
        finally:
            connection.close()

    hilos = [threading.Thread(target=correr, args=(p, i)) for i, p in enumerate(personas)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=espera)


def editar_compromiso_en_admin(admin_client, compromiso, **cambios) -> None:
    """Change a commitment through the admin's change form, as an administrator would."""
    url = reverse("admin:convenios_compromiso_change", args=[compromiso.pk])
    formulario = admin_client.get(url).context["adminform"].form
    datos = {k: v for k, v in formulario.initial.items() if v is not None}
    datos.update(convenio=compromiso.convenio_id, **cambios)
    if compromiso.responsable_id:
        datos["responsable"] = compromiso.responsable_id
    datos.update({"actualizaciones-TOTAL_FORMS": "0", "actualizaciones-INITIAL_FORMS": "0"})
    respuesta = admin_client.post(url, {**datos, "_save": "Guardar"})
    assert respuesta.status_code == 302, respuesta.context["adminform"].form.errors


# Keys issued by clave_de_api, by user id: only their digest is stored, so the tests keep them here.
_CLAVES_DE_API: dict[int, str] = {}


def clave_de_api(usuario) -> str:
    """``usuario``'s API key: the one issued earlier while the database still has it, else a new one."""
    clave = _CLAVES_DE_API.get(usuario.pk)
    if clave is None or not ClaveDeAPI.objects.filter(usuario=usuario, resumen=resumen_de(clave)).exists():
        _fila, clave = ClaveDeAPI.objects.emitir(usuario)
        _CLAVES_DE_API[usuario.pk] = clave
    return clave


def con_token(usuario) -> Client:
    """A client that authenticates as a program would: ``Authorization: Token <clave>``, no session."""
    return Client(HTTP_AUTHORIZATION=f"Token {clave_de_api(usuario)}")
