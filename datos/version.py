"""Which version of the published data each file shows, known without building the file.

One query of index lookups and small aggregates, whatever the size of the history: the newest
update of a published item on each side (id and recording time), the newest item id on each side,
which convenios and commissions are published, and the newest entry of the admin's log about the
models each file shows (every edit made there: a name, a text, a status, the «publicado» box).
Each file's ETag is a hash of only what it shows (an update of a commitment leaves convenios.csv and
comisiones.csv alone) and of the files' format; Last-Modified, the newest of those moments, and it
moves whenever the ETag does.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from comisiones.models import ActualizacionAtribucion, Atribucion, Comision, Sistema, TipoComision
from convenios.models import Actualizacion, Compromiso, Convenio, Dependencia, Parte
from seguimiento.models import Estatus

from .conjuntos import CONJUNTOS


def _formato() -> str:
    """The files' shape: a change of columns in a new release changes every ETag."""
    partes = [f"{c.nombre}:{','.join(c.nombres)}" for c in CONJUNTOS.values()]
    return hashlib.sha256("|".join(partes).encode()).hexdigest()[:16]


FORMATO = _formato()


# What each file shows, by the models whose admin edits (or imports) may change it: an edit of a
# commission never moves the convenios' files, an update of a commitment never the convenios.csv.
CONVENIO = (Convenio, Parte, Dependencia)
COMPROMISO = (*CONVENIO, Compromiso, Estatus)
COMISION = (Comision, Sistema, TipoComision)
ATRIBUCION = (*COMISION, Atribucion, Estatus)


@dataclass(frozen=True)
class Lado:
    """One kind of item: its history, its container and whose admin edits concern its files."""

    actualizacion: type
    elemento: type
    contenedor: type
    campo_elemento: str
    campo_contenedor: str


COMPROMISOS = Lado(Actualizacion, Compromiso, Convenio, "compromiso", "convenio")
ATRIBUCIONES = Lado(ActualizacionAtribucion, Atribucion, Comision, "atribucion", "comision")


def _ultima_publicada(lado: Lado, columna: str) -> str:
    """Scalar subquery: ``columna`` of the newest update (by id) of an item whose container is published."""
    a, e, c = (m._meta.db_table for m in (lado.actualizacion, lado.elemento, lado.contenedor))
    return (
        f"(SELECT a.{columna} FROM {a} a JOIN {e} e ON e.id = a.{lado.campo_elemento}_id "
        f"JOIN {c} c ON c.id = e.{lado.campo_contenedor}_id "
        "WHERE c.publicado = %s ORDER BY a.id DESC LIMIT 1)"
    )


def _bitacora(modelos, columna: str) -> str:
    """Scalar subquery: ``columna`` of the newest admin log entry about one of ``modelos``."""
    bitacora, tipos = LogEntry._meta.db_table, ContentType._meta.db_table
    de = " OR ".join(
        f"(t.app_label = '{m._meta.app_label}' AND t.model = '{m._meta.model_name}')" for m in modelos
    )
    return (
        f"(SELECT b.{columna} FROM {bitacora} b JOIN {tipos} t ON t.id = b.content_type_id "
        f"WHERE {de} ORDER BY b.id DESC LIMIT 1)"
    )


def _publicados(contenedor) -> list[tuple[str, str, bool]]:
    tabla = contenedor._meta.db_table
    valores = [
        (f"{tabla}_n", f"(SELECT COUNT(*) FROM {tabla} WHERE publicado = %s)", False),
        (f"{tabla}_suma", f"(SELECT SUM(id) FROM {tabla} WHERE publicado = %s)", False),
    ]
    if any(f.name == "creado_en" for f in contenedor._meta.fields):  # when the newest one came to be
        valores.append(
            (f"{tabla}_creado", f"(SELECT MAX(creado_en) FROM {tabla} WHERE publicado = %s)", True)
        )
    return valores


def _historial(lado: Lado) -> list[tuple[str, str, bool]]:
    nombre = lado.elemento._meta.model_name
    return [
        (f"{nombre}_ultima", _ultima_publicada(lado, "id"), False),
        (f"{nombre}_ultima_en", _ultima_publicada(lado, "registrado_en"), True),
        (f"{nombre}_max", f"(SELECT MAX(id) FROM {lado.elemento._meta.db_table})", False),
    ]


def _bitacora_de(nombre: str, modelos) -> list[tuple[str, str, bool]]:
    return [
        (f"bitacora_{nombre}", _bitacora(modelos, "id"), False),
        (f"bitacora_{nombre}_en", _bitacora(modelos, "action_time"), True),
    ]


# Each value the query reads: (name, SQL, whether it is a moment); then which values each file depends on.
VALORES = [
    *_historial(COMPROMISOS),
    *_historial(ATRIBUCIONES),
    *_publicados(Convenio),
    *_publicados(Comision),
    *_bitacora_de("convenio", CONVENIO),
    *_bitacora_de("compromiso", COMPROMISO),
    *_bitacora_de("comision", COMISION),
    *_bitacora_de("atribucion", ATRIBUCION),
]
_CONVENIOS = ("convenios_convenio_", "bitacora_convenio")
_COMPROMISOS = ("compromiso_", "convenios_convenio_", "bitacora_compromiso")
_COMISIONES = ("comisiones_comision_", "bitacora_comision")
_ATRIBUCIONES = ("atribucion_", "comisiones_comision_", "bitacora_atribucion")
DEPENDE_DE = {
    "convenios": _CONVENIOS,
    "compromisos": _COMPROMISOS,
    "historial-compromisos": _COMPROMISOS,
    "comisiones": _COMISIONES,
    "atribuciones": _ATRIBUCIONES,
    "historial-atribuciones": _ATRIBUCIONES,
}
CONSULTA = "SELECT " + ", ".join(sql for _nombre, sql, _momento in VALORES)
PARAMETROS = [True] * CONSULTA.count("%s")


def _indices(prefijos) -> list[int]:
    """The values whose name is one of ``prefijos`` or starts with one followed by "_"."""
    return [
        i
        for i, (nombre, _sql, _m) in enumerate(VALORES)
        if any(nombre == p or nombre.startswith(p.rstrip("_") + "_") for p in prefijos)
    ]


@dataclass(frozen=True)
class Version:
    huella: str
    modificado: datetime.datetime | None

    def etag(self, *partes: str) -> str:
        return hashlib.sha256("|".join((self.huella, *partes)).encode()).hexdigest()[:32]


def _momento(valor) -> datetime.datetime | None:
    # SQLite returns text.
    momento = valor if valor is None or isinstance(valor, datetime.datetime) else parse_datetime(str(valor))
    if momento is not None and timezone.is_naive(momento):
        momento = timezone.make_aware(momento, datetime.UTC)
    return momento


def _version(fila, indices: list[int], clave: str) -> Version:
    huella = hashlib.sha256(("|".join(str(fila[i]) for i in indices) + "|" + FORMATO).encode()).hexdigest()
    momentos = [m for m in (_momento(fila[i]) for i in indices if VALORES[i][2]) if m is not None]
    return Version(huella=huella, modificado=_sin_retroceder(clave, huella, max(momentos, default=None)))


def _sin_retroceder(clave: str, huella: str, conocido: datetime.datetime | None) -> datetime.datetime | None:
    """Last-Modified moves whenever the version does. A change with no recorded moment (a «publicado»
    box changed outside the admin, which logs nothing) gets the moment it was first seen, remembered
    in the shared cache (CACHE_URL) under the file's name: never earlier than the previous version's.
    Without a shared cache each process remembers its own moment (later than the change, never before)."""
    anterior = cache.get(f"datos:version:{clave}")
    if anterior and anterior[0] == huella:
        return anterior[1]
    modificado = conocido.replace(microsecond=0) if conocido else None
    previo = anterior[1] if anterior else None
    if previo and (modificado is None or modificado <= previo):  # HTTP dates count whole seconds
        modificado = max(timezone.now().replace(microsecond=0), previo + datetime.timedelta(seconds=1))
    elif modificado is None:  # nothing recorded says when (commissions carry no creation time)
        modificado = timezone.now().replace(microsecond=0)
    cache.set(f"datos:version:{clave}", (huella, modificado), timeout=None)
    return modificado


class Versiones:
    """The version of each file (``de(nombre)``) and of everything (``todo``: the package, the
    catalogue), from one row read once; each computed (and remembered) only when asked for."""

    def __init__(self, fila):
        self.fila = fila
        self.calculadas: dict[str, Version] = {}

    def de(self, nombre: str) -> Version:
        if nombre not in self.calculadas:
            indices = _indices(DEPENDE_DE[nombre]) if nombre != "todo" else list(range(len(VALORES)))
            self.calculadas[nombre] = _version(self.fila, indices, nombre)
        return self.calculadas[nombre]

    @property
    def todo(self) -> Version:
        return self.de("todo")


def versiones_publicadas() -> Versiones:
    """One query; each file's version from only what that file shows. Read where the file's rows are
    read (the replica, for the public files, when there is one): a version never names data the
    database that builds the body does not have."""
    with connections[router.db_for_read(Estatus)].cursor() as cursor:
        cursor.execute(CONSULTA, PARAMETROS)
        return Versiones(cursor.fetchone())


def version_publicada() -> Version:
    """The version of all the published data (the package and the catalogue)."""
    return versiones_publicadas().todo
