"""The convenio page's record and commitment tables, rendered once per version of what they show.

They depend on the convenio's own fields and parties (the «Celebran» line: parties and institutions),
its commitments (number, text, due date, party, current update and its status), whether the user may
record updates (one permission for every commitment: ``Compromiso.permiso_escritura()``, never per
object), today (the «(vencido)» mark) and the language; the key is all of that and nothing of the
session (the CSRF token, the user's name and the «seguir» control stay outside the cached part).

Their data version (``seguimiento/versiones.py``) is read in the convenio's own query. A change made
outside every door that moves it (a shell) shows once the entry expires: ``TTL``.
"""

import datetime

from django.db.models import CharField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation

from seguimiento import versiones

from .models import Compromiso, Convenio

# The safety net for writes that pass no door above: the tables are at most this old (seconds).
TTL = 10 * 60

# Index lookups and a small aggregate over one convenio's commitments (seguimiento/versiones.py).
VERSION = (
    f"SELECT {versiones.de_elementos('c')} || '.' || {versiones.BITACORA} "
    f"FROM {Compromiso._meta.db_table} c WHERE c.convenio_id = {Convenio._meta.db_table}.id"
)


def con_version(convenios: QuerySet) -> QuerySet:
    """Each convenio with ``version_filas``, the version of what its page's tables show, read in the
    convenio's own query: the convenio's fields are then never older than the version they are keyed by
    (rows read after it are newer or equal, and so only make the next version's first reader render
    them again)."""
    return convenios.annotate(version_filas=RawSQL(f"({VERSION})", (), output_field=CharField()))


def clave_de_filas(convenio: Convenio, usuario, hoy: datetime.date | None = None) -> str:
    """What the cached tables vary on; ``convenio`` comes from ``con_version``."""
    puede_actualizar = usuario.has_perm(Compromiso.permiso_escritura())
    hoy = hoy or timezone.localdate()
    return ":".join(
        (
            str(convenio.pk),
            convenio.version_filas,
            "actualiza" if puede_actualizar else "lee",
            hoy.isoformat(),
            translation.get_language() or "",
        )
    )
