"""Where private files live: ``STORAGES["privado"]`` (``ALMACEN_URL``: the local MEDIA_ROOT or an
S3-compatible bucket). Every door that reads or writes such a file goes through ``almacen_privado()``;
none touches the file system itself (tests/test_almacen.py scans for it)."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from typing import cast

from botocore.config import Config
from botocore.exceptions import ConnectionError as ConexionS3
from botocore.exceptions import ReadTimeoutError
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage

# What a store that cannot be reached raises (refused, no answer in time): an outage, not a bug; the
# error page says so with a 503 (config/views.py).
ALMACEN_NO_DISPONIBLE = (ConexionS3, ReadTimeoutError)

# An unreachable store fails a request in seconds, not after boto3's defaults (60 s per attempt).
CONFIGURACION_S3 = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"})

registro = logging.getLogger(__name__)

# The files saved inside the innermost ``atomico()`` block: (storage, name) pairs to delete on rollback.
_guardados: ContextVar[list | None] = ContextVar("archivos_guardados", default=None)


class SinUrlPublica:
    """Private files have no public URL: a view that checks permissions serves them."""

    def url(self, name, *args, **kwargs):
        raise ValueError(
            "Los archivos privados no tienen URL pública: los sirve una vista que revisa permisos."
        )

    def _save(self, name, content):
        guardado = super()._save(name, content)  # type: ignore[misc]
        if (lista := _guardados.get()) is not None:
            lista.append((self, guardado))
        return guardado


class AlmacenLocal(SinUrlPublica, FileSystemStorage):
    """Under MEDIA_ROOT (no explicit location: it follows the setting, overrides in tests included)."""


class AlmacenS3(SinUrlPublica, S3Storage):
    """A private bucket: no ACL given (the bucket's default, private), no overwriting, and an upload
    streamed by boto3 in parts (``upload_fileobj``), never held whole in memory."""

    def __init__(self, **opciones):
        opciones.setdefault("default_acl", None)
        opciones.setdefault("file_overwrite", False)
        opciones.setdefault("querystring_expire", 60)
        opciones.setdefault("client_config", CONFIGURACION_S3)
        super().__init__(**opciones)


@deconstructible(path="seguimiento.almacen.AlmacenPrivado")
class AlmacenPrivado(Storage):
    """What FileFields hold: resolves ``storages["privado"]`` on each call, so a change of STORAGES
    (the tests run both backends) reaches fields built at import time."""

    @staticmethod
    def real() -> "AlmacenLocal | AlmacenS3":
        return cast("AlmacenLocal | AlmacenS3", storages["privado"])

    def _open(self, name, mode="rb"):
        return self.real().open(name, mode)

    def _save(self, name, content):
        return self.real()._save(name, content)

    def get_available_name(self, name, max_length=None):
        return self.real().get_available_name(name, max_length)

    def delete(self, name):
        return self.real().delete(name)

    def exists(self, name):
        return self.real().exists(name)

    def listdir(self, path):
        return self.real().listdir(path)

    def size(self, name):
        return self.real().size(name)

    def get_modified_time(self, name):
        return self.real().get_modified_time(name)

    def url(self, name):
        return self.real().url(name)


_PRIVADO = AlmacenPrivado()


def almacen_privado() -> Storage:
    return _PRIVADO


@contextmanager
def atomico():
    """``transaction.atomic()`` whose rollback also deletes the files saved inside it: a failed
    transaction leaves no orphan file or object. A decorator too: ``@atomico()``."""
    externos = _guardados.get()
    propios: list = []
    marca = _guardados.set(propios)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for almacen, nombre in propios:
            try:
                almacen.delete(nombre)
            except ALMACEN_NO_DISPONIBLE:  # the original error matters more; the orphan is named
                registro.exception("No se pudo borrar «%s» del almacén tras deshacer la transacción.", nombre)
        raise
    finally:
        _guardados.reset(marca)
    if externos is not None:  # an enclosing block may still roll back: it deletes these then
        externos.extend(propios)
