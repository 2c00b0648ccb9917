"""Which version of the published data a file shows, known without building the file.

One query of index lookups and two small aggregates, whatever the size of the history: the newest
update of a published item on each side (id and recording time), the newest item id on each side,
which convenios and commissions are published, and the newest entry of the admin's log about what
the files show (every edit made there: a name, a text, a status, the «publicado» box). The ETag of
every file is a hash of this and of the files' format; Last-Modified, the newest of those moments.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
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


# What the files show: an admin edit of any of these may change them (of a user, say, cannot).
MODELOS_PUBLICADOS = (
    Convenio,
    Parte,
    Dependencia,
    Compromiso,
    Comision,
    Sistema,
    TipoComision,
    Atribucion,
    Estatus,
)


def _ultima_publicada(actualizacion, elemento, contenedor, campo_elemento, campo_contenedor, columna) -> str:
    """Scalar subquery: ``columna`` of the newest update (by id) of an item whose container is published."""
    a, e, c = actualizacion._meta.db_table, elemento._meta.db_table, contenedor._meta.db_table
    return (
        f"(SELECT a.{columna} FROM {a} a JOIN {e} e ON e.id = a.{campo_elemento}_id "
        f"JOIN {c} c ON c.id = e.{campo_contenedor}_id WHERE c.publicado = %s ORDER BY a.id DESC LIMIT 1)"
    )


def _consulta() -> str:
    lados = [
        (Actualizacion, Compromiso, Convenio, "compromiso", "convenio"),
        (ActualizacionAtribucion, Atribucion, Comision, "atribucion", "comision"),
    ]
    columnas = []
    for actualizacion, elemento, contenedor, campo_elemento, campo_contenedor in lados:
        for columna in ("id", "registrado_en"):
            columnas.append(
                _ultima_publicada(
                    actualizacion, elemento, contenedor, campo_elemento, campo_contenedor, columna
                )
            )
        columnas.append(f"(SELECT MAX(id) FROM {elemento._meta.db_table})")
        tabla = contenedor._meta.db_table
        columnas.append(f"(SELECT COUNT(*) FROM {tabla} WHERE publicado = %s)")
        columnas.append(f"(SELECT SUM(id) FROM {tabla} WHERE publicado = %s)")
    bitacora, tipos = LogEntry._meta.db_table, ContentType._meta.db_table
    publicados = " OR ".join(
        f"(t.app_label = '{m._meta.app_label}' AND t.model = '{m._meta.model_name}')"
        for m in MODELOS_PUBLICADOS
    )
    for columna in ("id", "action_time"):
        columnas.append(
            f"(SELECT b.{columna} FROM {bitacora} b JOIN {tipos} t ON t.id = b.content_type_id "
            f"WHERE {publicados} ORDER BY b.id DESC LIMIT 1)"
        )
    return "SELECT " + ", ".join(columnas)


CONSULTA = _consulta()
PARAMETROS = [True] * CONSULTA.count("%s")
MOMENTOS = (1, 6, 11)  # positions of the recording times in the result


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


def version_publicada() -> Version:
    with connection.cursor() as cursor:
        cursor.execute(CONSULTA, PARAMETROS)
        fila = cursor.fetchone()
    momentos = [m for m in (_momento(fila[i]) for i in MOMENTOS) if m is not None]
    huella = "|".join(str(v) for v in fila) + "|" + FORMATO
    return Version(
        huella=hashlib.sha256(huella.encode()).hexdigest(),
        modificado=max(momentos, default=None),
    )
