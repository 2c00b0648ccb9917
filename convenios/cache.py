"""The convenio page's commitment tables, rendered once per version of what they show.

The rows depend on the convenio's commitments (number, text, due date, party, current update and its
status), on whether the user may record updates (one permission for every commitment:
``Compromiso.permiso_escritura()``, never per object), on today (the «(vencido)» mark) and on the
language; the key of the cached tables is all of that and nothing of the session.

What the rows show is versioned in one query, as the open data is (datos/version.py): over this
convenio's commitments the count, the newest id and the sum of ``version`` (one more with every update
recorded, by ``registrar_actualizacion`` or in bulk by ``registrar_actualizaciones``, which write with
``update()`` and so send no signal), and the newest entry of the admin's log, which every edit made
there (a commitment's text, a status's, a party's or an institution's name) and every import write.
A change made outside all these doors (a shell) shows once the entry expires: ``TTL``.
"""

import datetime

from django.contrib.admin.models import LogEntry
from django.db import connection
from django.utils import timezone, translation

from .models import Compromiso, Convenio

# The safety net for writes that pass no door above: the tables are at most this old (seconds).
TTL = 10 * 60

CONSULTA = (
    f"SELECT COUNT(*), MAX(id), SUM(version), (SELECT MAX(id) FROM {LogEntry._meta.db_table}) "
    f"FROM {Compromiso._meta.db_table} WHERE convenio_id = %s"
)


def version_de_compromisos(convenio: Convenio) -> str:
    """The version of what the convenio's rows show (one query: index lookups and a small aggregate)."""
    with connection.cursor() as cursor:
        cursor.execute(CONSULTA, [convenio.pk])
        return ".".join(str(valor or 0) for valor in cursor.fetchone())


def clave_de_filas(convenio: Convenio, usuario, hoy: datetime.date | None = None) -> str:
    """What the cached tables vary on. Read it before the rows: rows newer than their key only make the
    next version's first reader render them again, rows older than their key would be kept."""
    puede_actualizar = usuario.has_perm(Compromiso.permiso_escritura())
    hoy = hoy or timezone.localdate()
    return ":".join(
        (
            str(convenio.pk),
            version_de_compromisos(convenio),
            "actualiza" if puede_actualizar else "lee",
            hoy.isoformat(),
            translation.get_language() or "",
        )
    )
