"""The follow-up mechanism shared by commitments and commission duties, built once.

An item that is followed up (a ``Seguible``) has a history of append-only status updates (an
``ActualizacionBase`` subclass with a foreign key to the item, ``related_name="actualizaciones"``).
Its status as of a date is the latest update by effective date, ties broken by recording time.
The current status is also kept in ``ultima_actualizacion``, written only by
``convenios.services.registrar_actualizacion`` in the same transaction as the update.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MENSAJE_INMUTABLE = _(
    "El historial de estatus no se puede modificar ni borrar; "
    "para corregirlo registre una nueva actualización."
)


class HistorialInmutableError(Exception):
    """Raised on any attempt to change or delete a recorded status update."""

    def __init__(self):
        super().__init__(str(MENSAJE_INMUTABLE))


class AlmacenPrivado(FileSystemStorage):
    """Files under MEDIA_ROOT that have no public URL; a permission-checking view serves them."""

    def url(self, name):
        raise ValueError("Las evidencias son privadas: se descargan con la vista convenios:evidencia.")


def almacen_privado() -> FileSystemStorage:
    # No explicit location: it follows settings.MEDIA_ROOT, including overrides in tests.
    return AlmacenPrivado()


class ActualizacionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise HistorialInmutableError()

    def delete(self):
        raise HistorialInmutableError()

    def al(self, fecha: datetime.date, conocido_al: datetime.datetime | None = None):
        """Updates in effect on ``fecha``, optionally only those recorded up to ``conocido_al``."""
        qs = self.filter(fecha_efectiva__lte=fecha)
        if conocido_al is not None:
            qs = qs.filter(registrado_en__lte=conocido_al)
        return qs

    def recientes_primero(self):
        return self.order_by("-fecha_efectiva", "-registrado_en", "-pk")


class ActualizacionBase(models.Model):
    """One status update of a followed-up item. Append-only: never changed, never deleted."""

    estatus = models.ForeignKey(
        "convenios.Estatus",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("estatus"),
    )
    estatus_anterior = models.ForeignKey(
        "convenios.Estatus",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("estatus anterior"),
        help_text=_("El estatus vigente cuando se registró esta actualización."),
    )
    fecha_efectiva = models.DateField(_("fecha efectiva"))
    nota = models.TextField(_("nota"), blank=True)
    evidencia = models.FileField(
        _("evidencia (archivo)"),
        upload_to="evidencias/%Y/%m/",
        storage=almacen_privado,
        blank=True,
        max_length=255,
    )
    enlace = models.URLField(_("evidencia (enlace)"), blank=True, max_length=500)
    registrado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("registrado por"),
    )
    registrado_en = models.DateTimeField(_("registrado en"), default=timezone.now, editable=False)

    # Name of the foreign key to the followed-up item; set by each concrete subclass.
    CAMPO_ELEMENTO = ""

    objects = ActualizacionQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-fecha_efectiva", "-registrado_en", "-pk"]
        get_latest_by = ["fecha_efectiva", "registrado_en", "pk"]

    def __str__(self):
        return f"{self.estatus} ({self.fecha_efectiva:%Y-%m-%d})"

    @property
    def elemento(self):
        return getattr(self, self.CAMPO_ELEMENTO)

    @property
    def registrado_por_nombre(self) -> str:
        if self.registrado_por is None:
            return str(_("Carga inicial"))
        return self.registrado_por.get_full_name() or self.registrado_por.get_username()

    def clean(self):
        super().clean()
        errores = {}
        if self.fecha_efectiva and self.fecha_efectiva > timezone.localdate():
            errores["fecha_efectiva"] = _("La fecha efectiva no puede estar en el futuro.")
        if self.estatus_id and self.estatus.es_desfavorable and not (self.nota or "").strip():
            errores["nota"] = _("Escriba una nota que explique por qué el estatus pasa a «%(estatus)s».") % {
                "estatus": self.estatus
            }
        if errores:
            raise ValidationError(errores)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistorialInmutableError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistorialInmutableError()


class SeguibleQuerySet(models.QuerySet):
    def con_estatus_actual(self):
        """Current status through the denormalised pointer: one join, whatever the size."""
        return self.select_related("ultima_actualizacion__estatus")

    def con_estatus_al(self, fecha: datetime.date, conocido_al: datetime.datetime | None = None):
        """Annotate each item with its update in effect on ``fecha`` (one indexed query).

        ``conocido_al`` restricts to updates recorded up to that moment, so a report can be
        regenerated exactly as issued even after back-dated updates. Adds ``actualizacion_al_id``,
        ``estatus_al_id`` and ``fecha_estatus_al`` (all None when nothing was in effect yet).
        """
        modelo = self.model.modelo_actualizacion()
        vigentes = (
            modelo.objects.filter(**{modelo.CAMPO_ELEMENTO: OuterRef("pk")})
            .al(fecha, conocido_al)
            .recientes_primero()
        )
        return self.annotate(
            actualizacion_al_id=Subquery(vigentes.values("pk")[:1]),
            estatus_al_id=Subquery(vigentes.values("estatus_id")[:1]),
            fecha_estatus_al=Subquery(vigentes.values("fecha_efectiva")[:1]),
        )


class Seguible(models.Model):
    """An item whose status is followed up. Concrete subclasses declare ``ultima_actualizacion``."""

    version = models.PositiveIntegerField(
        _("versión"),
        default=0,
        editable=False,
        help_text=_("Cuenta las actualizaciones registradas; protege contra escrituras perdidas."),
    )

    objects = SeguibleQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def modelo_actualizacion(cls) -> type[ActualizacionBase]:
        return cls._meta.get_field("actualizaciones").related_model

    @property
    def estatus_actual(self):
        actualizacion = self.ultima_actualizacion
        return actualizacion.estatus if actualizacion else None


def crear_disparadores_inmutables(schema_editor, tabla: str) -> None:
    """Make the database itself refuse to change history, whichever code path tries.

    PostgreSQL refuses UPDATE and DELETE. SQLite (development only) refuses UPDATE; DELETE stays
    possible there because Django's test flush empties tables with DELETE.
    """
    vendor = schema_editor.connection.vendor
    mensaje = "El historial de estatus es de solo anexión: no se puede modificar ni borrar."
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION historial_inmutable() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{mensaje} (%%)', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {tabla}_inmutable BEFORE UPDATE OR DELETE ON {tabla} "
            "FOR EACH ROW EXECUTE FUNCTION historial_inmutable();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER {tabla}_inmutable BEFORE UPDATE ON {tabla} "
            f"BEGIN SELECT RAISE(ABORT, '{mensaje}'); END;"
        )


def borrar_disparadores_inmutables(schema_editor, tabla: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {tabla}_inmutable ON {tabla};")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {tabla}_inmutable;")
