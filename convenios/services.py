"""Writes that touch several rows. Views, admin, import and commands all call these."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Estatus
from .seguimiento import ActualizacionBase, Seguible


class VersionObsoletaError(Exception):
    """The form was based on a version of the item that someone else has since changed."""

    def __init__(self, elemento: Seguible, version_enviada: int | None):
        self.elemento = elemento
        self.version_enviada = version_enviada
        super().__init__(
            _(
                "Otra persona registró una actualización mientras usted editaba "
                "(versión %(actual)s; su formulario partía de la versión %(enviada)s)."
            )
            % {"actual": elemento.version, "enviada": version_enviada}
        )


def es_mas_reciente(nueva: ActualizacionBase, actual: ActualizacionBase | None) -> bool:
    """Latest means latest effective date, ties broken by recording time (then by id)."""
    if actual is None:
        return True
    return (nueva.fecha_efectiva, nueva.registrado_en, nueva.pk) > (
        actual.fecha_efectiva,
        actual.registrado_en,
        actual.pk,
    )


@transaction.atomic
def registrar_actualizacion(
    elemento: Seguible,
    *,
    estatus: Estatus,
    fecha_efectiva: datetime.date,
    nota: str = "",
    usuario=None,
    version: int | None = None,
    evidencia=None,
    enlace: str = "",
    registrado_en: datetime.datetime | None = None,
) -> ActualizacionBase:
    """Append a status update to ``elemento`` and move its current-status pointer if it is now the latest.

    The item's row is locked, so concurrent submissions serialise; with ``version`` given, a
    submission based on an older version raises ``VersionObsoletaError`` and writes nothing.
    Raises ``django.core.exceptions.ValidationError`` (in Spanish) for invalid data.
    """
    modelo = type(elemento)
    bloqueado = (
        modelo.objects.select_for_update(of=("self",))
        .select_related("ultima_actualizacion")
        .get(pk=elemento.pk)
    )
    if version is not None and bloqueado.version != version:
        raise VersionObsoletaError(bloqueado, version)

    anterior = bloqueado.ultima_actualizacion
    actualizacion = modelo.modelo_actualizacion()(
        **{modelo.modelo_actualizacion().CAMPO_ELEMENTO: bloqueado},
        estatus=estatus,
        estatus_anterior=anterior.estatus if anterior else None,
        fecha_efectiva=fecha_efectiva,
        nota=nota.strip(),
        enlace=enlace.strip(),
        registrado_por=usuario,
        registrado_en=registrado_en or timezone.now(),
    )
    if evidencia:
        actualizacion.evidencia = evidencia
    actualizacion.full_clean()
    actualizacion.save()

    campos = {"version": bloqueado.version + 1}
    if es_mas_reciente(actualizacion, anterior):
        campos["ultima_actualizacion"] = actualizacion
    modelo.objects.filter(pk=bloqueado.pk).update(**campos)
    for campo, valor in campos.items():
        setattr(elemento, campo, valor)
    if "ultima_actualizacion" not in campos:
        elemento.ultima_actualizacion = anterior
    return actualizacion
