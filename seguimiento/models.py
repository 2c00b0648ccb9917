"""The follow-up mechanism shared by commitments and commission duties, built once.

An item that is followed up (a ``Seguible``) has a history of append-only status updates (an
``ActualizacionBase`` subclass with a foreign key to the item, ``related_name="actualizaciones"``).
Its status as of a date is the latest update in ``ORDEN_VIGENCIA``: effective date, then recording
time, then id. The current update is also kept on the item: ``ultima_actualizacion`` (the pointer,
for its id and recording time) and its copies ``estatus_vigente``, ``fecha_vigente`` and
``nota_vigente``, which every page, filter, export, the API and the admin read; both are written only
by ``seguimiento.services`` in the same transaction as the update.

An app plugs its item in by subclassing both models and naming its URLs after its app label
(``<app>:actualizar``, ``<app>:historial``, ``<app>:fila``, ``<app>:evidencia``; see ``urls.py``).
"""

import bisect
import datetime
from collections.abc import Iterable
from typing import Protocol, TypeVar, cast

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import ExpressionWrapper, F, FilteredRelation, OuterRef, Q, Subquery, Window
from django.db.models.functions import Lead, RowNumber
from django.db.models.options import Options
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .autoria import autor_actual
from .busqueda import SinAcentos
from .evidencias import almacen_privado, validar_evidencia
from .integridad import CabezaDeCadena, Encadenado, encadenar_varios
from .templatetags.fechas import fecha_en_palabras

__all__ = ["CabezaDeCadena"]  # registered with the app from here

# "Latest update": the one with the latest effective date, ties broken by the later recording time,
# then by the higher id. The ordering, the index, the service and the admin all derive from this.
ORDEN_VIGENCIA = ("fecha_efectiva", "registrado_en", "pk")
# The earliest date the system speaks of: no update is effective, and no report is drawn, before it.
FECHA_MINIMA = datetime.date(1900, 1, 1)
RECIENTES_PRIMERO = tuple(f"-{campo}" for campo in ORDEN_VIGENCIA)


class FechaInvalida(ValueError):
    pass


def leer_fecha(valor: str | None, inicio: datetime.date | None = None) -> datetime.date:
    """An as-of date from ``?fecha=AAAA-MM-DD`` (reports, the API, the lists); today when absent.
    Neither before ``FECHA_MINIMA`` nor in the future; with ``inicio``, not before the convenio's start."""
    hoy = timezone.localdate()
    if not valor:
        return hoy
    try:
        fecha = datetime.date.fromisoformat(valor)
    except ValueError:
        raise FechaInvalida(
            _("La fecha «%(valor)s» no es válida; use el formato AAAA-MM-DD.") % {"valor": valor[:40]}
        ) from None
    if fecha < FECHA_MINIMA:
        raise FechaInvalida(
            _("La fecha %(fecha)s es anterior a 1900; solo hay estatus del 1 de enero de 1900 en adelante.")
            % {"fecha": fecha.isoformat()}
        )
    if fecha > hoy:
        raise FechaInvalida(
            _("La fecha %(fecha)s está en el futuro; solo se puede mostrar lo ya ocurrido.")
            % {"fecha": fecha.isoformat()}
        )
    if inicio and fecha < inicio:
        raise FechaInvalida(
            _("El convenio inició el %(inicio)s; no hay informe para una fecha anterior.")
            % {"inicio": inicio.isoformat()}
        )
    return fecha


MENSAJE_INMUTABLE = _(
    "El historial de estatus no se puede modificar ni borrar; "
    "para corregirlo registre una nueva actualización."
)


class HistorialInmutableError(Exception):
    """Raised on any attempt to change or delete a recorded status update (or another append-only row)."""

    def __init__(self, mensaje: str | Promise = MENSAJE_INMUTABLE):
        super().__init__(str(mensaje))


def modelos_de_historial() -> list[type["ActualizacionBase"]]:
    """Every concrete history model (one per kind of followed-up item), found without importing them."""
    return [m for m in apps.get_models() if issubclass(m, ActualizacionBase)]


def modelos_de_solo_anexion() -> list[type["SoloAnexion"]]:
    """Every concrete append-only model: the histories, the proposals and their decisions."""
    return [m for m in apps.get_models() if issubclass(m, SoloAnexion)]


ACCIONES_DE_DJANGO = ("view", "add", "change", "delete")


class ConPermisos:
    """Permission names derived from the model, so no code that decides (views, menus, querysets, API,
    reminders, reports) spells one out: ``Convenio.permiso_lectura()`` is ``"convenios.view_convenio"``."""

    _meta: Options

    @classmethod
    def permiso(cls, accion: str) -> str:
        """``accion`` is one of Django's (``view``, ``add``, ``change``, ``delete``) or the codename of
        one of the model's own ``Meta.permissions``; anything else is a typo, refused at once."""
        if accion in ACCIONES_DE_DJANGO:
            return f"{cls._meta.app_label}.{accion}_{cls._meta.model_name}"
        if accion in {codigo for codigo, _nombre in cls._meta.permissions}:
            return f"{cls._meta.app_label}.{accion}"
        raise ValueError(f"{cls._meta.label} no declara el permiso «{accion}».")

    @classmethod
    def permiso_lectura(cls) -> str:
        return cls.permiso("view")


class EstatusQuerySet(models.QuerySet["Estatus"]):
    def por_id(self) -> dict[int, "Estatus"]:
        return {e.pk: e for e in self}

    def vigentes(self):
        """The statuses a new update may take: all but the retired ones."""
        return self.filter(retirado=False)


class Estatus(ConPermisos, models.Model):
    """A status from the catalogue; administrators may add more. The category drives summaries.

    Once any update uses a status, its category and key are what past reports meant by it: they are
    locked. A status is never deleted; it is retired from new updates and history keeps showing it.
    """

    # What a used status can no longer change.
    FIJOS_EN_USO = ("categoria", "slug")

    class Categoria(models.TextChoices):
        FAVORABLE = "favorable", _("Favorable")
        EN_PROCESO = "en_proceso", _("En proceso")
        DESFAVORABLE = "desfavorable", _("Desfavorable")
        NO_APLICA = "no_aplica", _("No aplica")

    nombre = models.CharField(_("nombre"), max_length=60, unique=True)
    slug = models.SlugField(
        _("clave"),
        max_length=60,
        unique=True,
        editable=False,
        help_text=_("Se deriva del nombre al crearlo y no cambia después."),
    )
    categoria = models.CharField(_("categoría"), max_length=20, choices=Categoria.choices)
    orden = models.PositiveSmallIntegerField(_("orden"), default=0)
    descripcion = models.TextField(_("descripción"), blank=True)
    retirado = models.BooleanField(
        _("retirado"),
        default=False,
        help_text=_(
            "Un estatus retirado ya no se ofrece para nuevas actualizaciones; el historial y los "
            "informes lo siguen mostrando."
        ),
    )

    objects = EstatusQuerySet.as_manager()

    class Meta:
        # The table keeps the name it was created with in ``convenios``: moving the model to this
        # app moved no row (see migrations/0001_initial.py).
        db_table = "convenios_estatus"
        verbose_name = _("estatus")
        verbose_name_plural = _("estatus")
        ordering = ["orden", "nombre"]
        # The app's own permissions hang on its one concrete model. ``solo_lo_vinculado`` marks the
        # Enlace role: it reads only what its links reach (``es_enlace``, ``visibles_para``).
        permissions = [("solo_lo_vinculado", _("Lee solo lo vinculado (rol Enlace)"))]

    def __str__(self):
        return self.nombre

    @property
    def es_desfavorable(self) -> bool:
        return self.categoria == self.Categoria.DESFAVORABLE

    def en_uso(self) -> bool:
        """Whether any update, of any kind of item, has this status (or had it as the previous one)."""
        if self.pk is None:
            return False
        usa = models.Q(estatus=self) | models.Q(estatus_anterior=self)
        return any(modelo.objects.filter(usa).exists() for modelo in modelos_de_historial())

    def fijos_cambiados(self) -> list[str]:
        """The locked fields this unsaved change would alter on a status already used in history."""
        if self.pk is None:
            return []
        guardado = Estatus.objects.filter(pk=self.pk).values(*self.FIJOS_EN_USO).first()
        if guardado is None:
            return []
        cambiados = [campo for campo in self.FIJOS_EN_USO if getattr(self, campo) != guardado[campo]]
        return cambiados if cambiados and self.en_uso() else []

    def error_fijos(self, cambiados: list[str]) -> ValidationError:
        mensaje = _(
            "El estatus «%(nombre)s» ya se usó en el historial: su %(campo)s no puede cambiar, porque "
            "cambiaría lo que dicen los informes ya emitidos. Si ya no debe usarse, retírelo y cree otro."
        )
        return ValidationError(
            {
                campo: mensaje
                % {
                    "nombre": self.nombre,
                    "campo": cast(models.Field, self._meta.get_field(campo)).verbose_name,
                }
                for campo in cambiados
            }
        )

    def clean(self):
        super().clean()
        if not self.slug:
            slug = slugify(self.nombre or "")
            if not slug:
                raise ValidationError({"nombre": _("El nombre debe contener letras o números.")})
            if Estatus.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                raise ValidationError({"nombre": _("Ya existe un estatus con una clave igual.")})
        if cambiados := self.fijos_cambiados():
            raise self.error_fijos(cambiados)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.nombre)
        # Also here, not only in clean(): the meaning of past reports must hold whatever the door.
        if cambiados := self.fijos_cambiados():
            raise self.error_fijos(cambiados)
        super().save(*args, **kwargs)


_Anexable = TypeVar("_Anexable", bound="SoloAnexion")


class SoloAnexionQuerySet(models.QuerySet[_Anexable]):
    """Rows are added, never changed nor deleted in bulk either."""

    def update(self, **kwargs):
        raise HistorialInmutableError(self.model.MENSAJE_INMUTABLE)

    def delete(self):
        raise HistorialInmutableError(self.model.MENSAJE_INMUTABLE)


class SoloAnexion(models.Model):
    """A row that is written once: the model, its QuerySet and (by migration) the database refuse to
    change or delete it."""

    MENSAJE_INMUTABLE: str | Promise = MENSAJE_INMUTABLE

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistorialInmutableError(self.MENSAJE_INMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistorialInmutableError(self.MENSAJE_INMUTABLE)


class ActualizacionQuerySet(SoloAnexionQuerySet["ActualizacionBase"]):
    def con_nota_publica(self):
        """Annotate ``nota_publicada``: the note if its author marked it public, empty otherwise. The
        public board and the open data read this, never ``nota``."""
        return self.annotate(
            nota_publicada=models.Case(
                models.When(nota_publica=True, then=models.F("nota")),
                default=models.Value(""),
                output_field=models.TextField(),
            )
        )

    def al(self, fecha: datetime.date, conocido_al: datetime.datetime | None = None):
        """Updates in effect on ``fecha``, optionally only those recorded up to ``conocido_al``."""
        qs = self.filter(fecha_efectiva__lte=fecha)
        if conocido_al is not None:
            qs = qs.filter(registrado_en__lte=conocido_al)
        return qs

    def recientes_primero(self):
        return self.order_by(*RECIENTES_PRIMERO)

    def con_vigencia(self):
        """Annotate ``vigente_hasta``: the effective date of the item's next update in
        ``ORDEN_VIGENCIA`` (None for the last one). An update is in effect on a date ``d`` exactly when
        ``fecha_efectiva <= d < vigente_hasta``; filtering on it wraps the query (the window sees
        every update of the item)."""
        return self.annotate(
            vigente_hasta=Window(
                Lead("fecha_efectiva"),
                partition_by=[F(self.model.CAMPO_ELEMENTO)],
                order_by=[F(campo).asc() for campo in ORDEN_VIGENCIA],
            )
        )

    def de_visibles_para(self, usuario):
        """The updates of the items ``usuario`` may read (``visibles_para``): evidence downloads."""
        elementos = self.model.modelo_elemento().objects.visibles_para(usuario)
        return self.filter(**{f"{self.model.CAMPO_ELEMENTO}__in": elementos.values("pk")})

    def para_historial(self):
        """An item's history as the history page and the API show it, latest first, in one query."""
        return self.select_related("estatus", "estatus_anterior", "registrado_por").recientes_primero()


class ActualizacionBase(ConPermisos, SoloAnexion, Encadenado):
    """One status update of a followed-up item. Append-only: never changed, never deleted; a link of
    the record's hash chain (``seguimiento.integridad``), chained by ``seguimiento.services``."""

    estatus = models.ForeignKey(
        Estatus,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("estatus"),
    )
    estatus_anterior = models.ForeignKey(
        Estatus,
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
    # The note without accents, lower-cased by the database (``seguimiento.busqueda``): what a search
    # of the history (``q_historial``) compares, so it does not normalise every note on every search.
    nota_busqueda = models.GeneratedField(
        expression=SinAcentos("nota"),
        output_field=models.TextField(),
        db_persist=True,
        verbose_name=_("nota para buscar"),
    )
    nota_publica = models.BooleanField(
        _("nota pública"),
        default=False,
        db_default=False,
        help_text=_("Marcada, la nota se publica en el tablero y los datos abiertos; si no, es interna."),
    )
    evidencia = models.FileField(
        _("evidencia (archivo)"),
        upload_to="evidencias/%Y/%m/",
        storage=almacen_privado,
        blank=True,
        max_length=255,
        validators=[validar_evidencia],
    )
    enlace = models.URLField(_("evidencia (enlace)"), blank=True, max_length=500)
    registrado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("registrado por"),
    )
    registrado_en = models.DateTimeField(_("registrado en"), default=timezone.now, editable=False)
    # What an imported file says about the original capture. Shown, exported, never trusted: the
    # as-of query and every ordering use ``registrado_en``, which the system sets.
    capturado_por_declarado = models.CharField(
        _("capturado por (declarado)"),
        max_length=150,
        blank=True,
        editable=False,
        help_text=_(
            "Quién capturó la actualización originalmente, según el archivo importado; no se verifica."
        ),
    )
    capturado_en_declarado = models.DateTimeField(
        _("capturado en (declarado)"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Cuándo se capturó originalmente, según el archivo importado; "
            "no cuenta para el estatus a una fecha."
        ),
    )

    # Name of the foreign key to the followed-up item; set by each concrete subclass.
    CAMPO_ELEMENTO = ""

    # What the chain's link covers: every column as stored, but the searchable copy of the note (the
    # database derives it from ``nota``) and the link itself.
    CAMPOS_EN_HUELLA = (
        "id",
        "estatus",
        "estatus_anterior",
        "fecha_efectiva",
        "nota",
        "nota_publica",
        "evidencia",
        "enlace",
        "registrado_por",
        "registrado_en",
        "capturado_por_declarado",
        "capturado_en_declarado",
    )
    FUERA_DE_HUELLA = ("nota_busqueda",)
    MOMENTO_DE_LA_BD = True  # ``registro_del_sistema`` sets ``registrado_en`` on PostgreSQL

    objects = ActualizacionQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = list(RECIENTES_PRIMERO)
        get_latest_by = list(ORDEN_VIGENCIA)

    def __str__(self):
        return f"{self.estatus} ({self.fecha_efectiva:%Y-%m-%d})"

    @classmethod
    def campos_en_huella(cls) -> tuple[str, ...]:
        return (*cls.CAMPOS_EN_HUELLA, cls.CAMPO_ELEMENTO, "propuesta")

    @classmethod
    def modelo_elemento(cls) -> type["Seguible"]:
        return cast(type["Seguible"], cls._meta.get_field(cls.CAMPO_ELEMENTO).related_model)

    @property
    def elemento(self):
        return getattr(self, self.CAMPO_ELEMENTO)

    def clave_vigencia(self) -> tuple:
        """This update's place in ``ORDEN_VIGENCIA``: the greater key is the later update."""
        return tuple(getattr(self, campo) for campo in ORDEN_VIGENCIA)

    @property
    def url_evidencia(self) -> str:
        return reverse(f"{self._meta.app_label}:evidencia", args=[self.pk])

    @property
    def tiene_captura_declarada(self) -> bool:
        return bool(self.capturado_por_declarado or self.capturado_en_declarado)

    @property
    def registrado_por_nombre(self) -> str:
        """Whoever recorded it; the seed's and older updates show the system's account, «Carga inicial»."""
        return self.registrado_por.get_full_name() or self.registrado_por.get_username()

    def clean(self):
        super().clean()
        errores: dict[str, str | Promise] = {}
        if self.fecha_efectiva and self.fecha_efectiva > timezone.localdate():
            errores["fecha_efectiva"] = _("La fecha efectiva no puede estar en el futuro.")
        elif self.fecha_efectiva and getattr(self, f"{self.CAMPO_ELEMENTO}_id", None):
            inicio = self.elemento.inicio_del_seguimiento()
            if self.fecha_efectiva < inicio:
                errores["fecha_efectiva"] = _(
                    "La fecha efectiva no puede ser anterior al %(inicio)s, %(motivo)s."
                ) % {
                    "inicio": inicio.isoformat(),
                    "motivo": _("el inicio del convenio")
                    if inicio != FECHA_MINIMA
                    else _("el principio de las fechas que el sistema registra"),
                }
        if self.capturado_en_declarado and self.capturado_en_declarado > timezone.now():
            errores["capturado_en_declarado"] = _(
                "La fecha de captura declarada no puede estar en el futuro."
            )
        if self._state.adding and self.estatus_id and self.estatus.retirado:
            errores["estatus"] = _(
                "El estatus «%(estatus)s» está retirado: ya no se usa en actualizaciones nuevas."
            ) % {"estatus": self.estatus}
        if self.estatus_id and self.estatus.es_desfavorable and not (self.nota or "").strip():
            errores["nota"] = _("Escriba una nota que explique por qué el estatus pasa a «%(estatus)s».") % {
                "estatus": self.estatus
            }
        if errores:
            raise ValidationError(errores)


MENSAJE_PROPUESTAS = _(
    "Las propuestas y sus decisiones no se modifican ni se borran; "
    "para corregir una propuesta, devuélvala y haga otra."
)


class PropuestaQuerySet(SoloAnexionQuerySet["PropuestaBase"]):
    # The proposals of the items ``usuario`` may read: the same rule as for the history.
    de_visibles_para = ActualizacionQuerySet.de_visibles_para

    def pendientes(self):
        """Proposals nobody has decided on yet: «pending» is having no decision row."""
        # Each app declares the decision's one-to-one (its target differs); the abstract one cannot.
        return self.filter(decision__isnull=True)  # type: ignore[misc]

    # One rule for every download of evidence: the item must be one the user may read.
    de_visibles_para = ActualizacionQuerySet.de_visibles_para

    def para_cola(self):
        """The validation queue: pending proposals, oldest first, with all a row shows, in one query."""
        elemento = self.model.CAMPO_ELEMENTO
        contenedor = f"{elemento}__{self.model.modelo_elemento().CAMPO_CONTENEDOR}"
        return (
            self.pendientes()
            .select_related(
                contenedor, f"{elemento}__estatus_vigente", "estatus", "propuesto_por", "dependencia"
            )
            .order_by("registrado_en", "pk")
        )

    def para_historial(self):
        """An item's proposals with their decisions, in the order they were made, in one query."""
        return self.select_related(  # type: ignore[misc]  # the decision: see ``pendientes``
            "estatus",
            "estatus_anterior",
            "propuesto_por",
            "dependencia",
            "decision__decidido_por",
        ).order_by("registrado_en", "pk")


class PropuestaBase(ConPermisos, SoloAnexion):
    """An update an institution's liaison proposes: not in effect until a validator accepts it (then
    ``registrar_actualizacion`` records it, linked to this row). Pending while it has no decision.

    The same fields as an update, validated by the same rules (``ActualizacionBase.clean``), plus the
    item's version it was based on and who proposed it, for which institution, and when."""

    estatus = models.ForeignKey(
        Estatus, on_delete=models.PROTECT, related_name="+", verbose_name=_("estatus propuesto")
    )
    estatus_anterior = models.ForeignKey(
        Estatus,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("estatus vigente al proponer"),
    )
    fecha_efectiva = models.DateField(_("fecha efectiva"))
    nota = models.TextField(_("nota"), blank=True)
    nota_publica = models.BooleanField(_("nota pública"), default=False, db_default=False)
    evidencia = models.FileField(
        _("evidencia (archivo)"),
        upload_to="evidencias/%Y/%m/",
        storage=almacen_privado,
        blank=True,
        max_length=255,
        validators=[validar_evidencia],
    )
    enlace = models.URLField(_("evidencia (enlace)"), blank=True, max_length=500)
    version = models.PositiveIntegerField(
        _("versión de partida"),
        editable=False,
        help_text=_("La versión del elemento que vio quien propuso."),
    )
    propuesto_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("propuesto por"),
    )
    # The institution the liaison proposes for (a commitment's responsible party, or one of the
    # liaison's institutions): shown beside the name and filtered on in the queue.
    dependencia = models.ForeignKey(
        "convenios.Dependencia",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("dependencia"),
    )
    # The database's time on PostgreSQL (``registro_del_sistema``), as for the history.
    registrado_en = models.DateTimeField(_("propuesta el"), default=timezone.now, editable=False)

    CAMPO_ELEMENTO = ""
    MENSAJE_INMUTABLE = MENSAJE_PROPUESTAS

    objects = PropuestaQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["registrado_en", "pk"]

    def __str__(self):
        return _("Propuesta de «%(estatus)s» %(de)s") % {
            "estatus": self.estatus,
            "de": self.elemento.de_elemento,
        }

    @classmethod
    def modelo_elemento(cls) -> type["Seguible"]:
        return cast(type["Seguible"], cls._meta.get_field(cls.CAMPO_ELEMENTO).related_model)

    @property
    def elemento(self):
        return getattr(self, self.CAMPO_ELEMENTO)

    @classmethod
    def modelo_decision(cls) -> type["DecisionBase"]:
        return cast(type["DecisionBase"], cls._meta.get_field("decision").related_model)

    @property
    def propuesto_por_nombre(self) -> str:
        return self.propuesto_por.get_full_name() or self.propuesto_por.get_username()

    @property
    def superada(self) -> bool:
        """The item received another update after this proposal was made (its version moved on)."""
        return self.elemento.version != self.version

    @property
    def url_evidencia(self) -> str:
        return reverse(f"{self._meta.app_label}:evidencia_propuesta", args=[self.pk])

    @property
    def url_decidir(self) -> str:
        return reverse(f"{self._meta.app_label}:decidir", args=[self.pk])

    def como_actualizacion(self) -> ActualizacionBase:
        """The unsaved update this proposal describes: what acceptance would record, and what the
        update's own rules validate before the proposal is kept."""
        modelo = self.modelo_elemento().modelo_actualizacion()
        return modelo(
            **{modelo.CAMPO_ELEMENTO: self.elemento},
            estatus=self.estatus,
            fecha_efectiva=self.fecha_efectiva,
            nota=self.nota,
            nota_publica=self.nota_publica,
            evidencia=self.evidencia,
            enlace=self.enlace,
        )

    def decision_o_none(self) -> "DecisionBase | None":
        try:
            return self.decision  # type: ignore[attr-defined]  # the reverse one-to-one of each app
        except models.ObjectDoesNotExist:
            return None


class DecisionBase(ConPermisos, SoloAnexion):
    """A validator's decision on one proposal (one at most, the database says so): accepted, with an
    optional comment, or returned, with the observations the liaison must read."""

    class Tipo(models.TextChoices):
        ACEPTADA = "aceptada", _("Aceptada")
        DEVUELTA = "devuelta", _("Devuelta")

    tipo = models.CharField(_("decisión"), max_length=10, choices=Tipo.choices)
    observaciones = models.TextField(_("observaciones"), blank=True)
    decidido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decidido por"),
    )
    registrado_en = models.DateTimeField(_("decidida el"), default=timezone.now, editable=False)

    MENSAJE_INMUTABLE = MENSAJE_PROPUESTAS

    objects = SoloAnexionQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_tipo_display()} ({self.registrado_en:%Y-%m-%d})"

    @property
    def decidido_por_nombre(self) -> str:
        return self.decidido_por.get_full_name() or self.decidido_por.get_username()

    def clean(self):
        super().clean()
        if self.tipo == self.Tipo.DEVUELTA and not (self.observaciones or "").strip():
            raise ValidationError(
                {"observaciones": _("Escriba las observaciones: dicen a quien propuso qué corregir.")}
            )


class ConCreacion(models.Model):
    """Something a report lists: the system records when it came to exist, so a report redrawn as
    issued leaves out what was created after its issue (``reportes.informes``)."""

    creado_en = models.DateTimeField(
        _("creado en"),
        default=timezone.now,
        editable=False,
        help_text=_("Lo asigna el sistema al crearlo."),
    )

    class Meta:
        abstract = True


# The role of an institution's liaison: it reads only what its links (to institutions, to commissions)
# reach, everything else answers 404. ``visibles_para`` / ``proponibles_para`` are the one rule.
ROL_ENLACE = "Enlace"


def es_enlace(usuario) -> bool:
    """Whether the object-level rule narrows what ``usuario`` reads: the Enlace role's permission
    ``seguimiento.solo_lo_vinculado``, read with the user's other permissions (no query of its own);
    a superuser, who has every permission, is never narrowed."""
    return (
        usuario.is_authenticated
        and not usuario.is_superuser
        and usuario.has_perm(Estatus.permiso("solo_lo_vinculado"))
    )


class VinculoDeEnlace(ConCreacion):
    """What an Enlace is linked to (an institution, a commission); each app links its own kind and
    names it for ``vincular_enlace``: the option (``OPCION``, also the link's field) and ``buscar``."""

    OPCION: str
    AYUDA: str

    class Meta:
        abstract = True

    @classmethod
    def buscar(cls, valor: str) -> models.Model:
        """The linked thing ``valor`` names, or ``LookupError`` with a message in Spanish."""
        raise NotImplementedError

    def clean(self):
        super().clean()
        usuario = getattr(self, "usuario", None)
        if usuario is not None and not es_enlace(usuario):
            raise ValidationError({"usuario": _("El usuario debe tener el rol Enlace.")})


def vinculos_de_enlace() -> list[type[VinculoDeEnlace]]:
    """Every concrete link model (one per app that links Enlaces), found without importing them."""
    return [m for m in apps.get_models() if issubclass(m, VinculoDeEnlace)]


_Modelo = TypeVar("_Modelo", bound=models.Model)


class VisiblesQuerySet(models.QuerySet[_Modelo]):
    """``visibles_para(usuario)``: what a user may read, object by object. Whoever lacks the model's
    read permission reads nothing; an Enlace reads what ``condicion_enlace(usuario)`` reaches; any
    other role, everything its permission gives. Pages, exports, reports, the API, evidence, the home
    page and the reminders all start from it, so a row outside it answers 404 everywhere."""

    def condicion_enlace(self, usuario) -> Q:
        raise NotImplementedError

    def visibles_para(self, usuario):
        if not usuario.has_perm(cast(type[ConPermisos], self.model).permiso_lectura()):
            return self.none()
        if es_enlace(usuario):
            return self.filter(self.condicion_enlace(usuario))
        return self


# What the lists read of an item's copies of its current update, and where ``con_copias_al`` puts the
# same of its update in effect on a date: the page, its filters, its sorting and its files read one or
# the other, so a list as of a date is the same list.
CAMPOS_AL = {
    "estatus_vigente_id": "estatus_al_id",
    "estatus_vigente__nombre": "estatus_al_nombre",
    "estatus_vigente__categoria": "estatus_al_categoria",
    "estatus_vigente__orden": "estatus_al_orden",
    "fecha_vigente": "fecha_estatus_al",
    "nota_vigente": "nota_al",
    "ultima_actualizacion__registrado_en": "registrado_al",
}
# The copies ``con_copias_al`` reads from the update (the others come from ``con_estatus_al``).
COPIAS_AL = {
    "estatus_vigente__nombre": "estatus__nombre",
    "estatus_vigente__categoria": "estatus__categoria",
    "estatus_vigente__orden": "estatus__orden",
    "nota_vigente": "nota",
    "ultima_actualizacion__registrado_en": "registrado_en",
}

MENSAJE_VERSIONES = _("Las versiones de los textos son de solo anexión: no se pueden modificar ni borrar.")


class VersionInmutableError(Exception):
    """Raised on any attempt to change or delete a recorded text version."""

    def __init__(self):
        super().__init__(str(MENSAJE_VERSIONES))


def texto_canonico(valor) -> str | None:
    """How a version stores a field's value: dates in ISO form, foreign keys by id, None as NULL."""
    if valor is None:
        return None
    if isinstance(valor, datetime.date):
        return valor.isoformat()
    return str(valor)


class VersionTextoQuerySet(models.QuerySet["VersionTexto"]):
    def update(self, **kwargs):
        raise VersionInmutableError()

    def delete(self):
        raise VersionInmutableError()

    def de(self, objetos) -> "VersionTextoQuerySet":
        """The versions of these objects (of any versioned model), whatever their number, in one filter."""
        por_modelo: dict[str, set] = {}
        for objeto in objetos:
            por_modelo.setdefault(objeto._meta.label_lower, set()).add(objeto.pk)
        condicion = Q(pk__in=[])
        for modelo, ids in por_modelo.items():
            condicion |= Q(modelo=modelo, objeto_id__in=ids)
        return self.filter(condicion)

    def cronologicas(self) -> "VersionTextoQuerySet":
        return self.order_by("registrado_en", "pk")

    def para_historial(self) -> list["VersionTexto"]:
        """Latest first, with who recorded them and the values as a reader names them (a party by its
        name, a date spelled out): two queries however many versions."""
        versiones: list[VersionTexto] = list(
            self.select_related("registrado_por").order_by("-registrado_en", "-pk")
        )
        VersionTexto.nombrar_valores(versiones)
        return versiones

    def textos_al(self, objetos, conocido_al: datetime.datetime | None) -> None:
        """Put back on ``objetos`` the texts they had at ``conocido_al``: a field edited after it takes
        the old value of its first later version (nothing to do without ``conocido_al``, or for fields
        never edited since). Texts not versioned at the time (before this table existed) were never
        edited since: today's are then's. One query, plus one per kind of related object changed."""
        if conocido_al is None or not objetos:
            return
        por_clave = {(o._meta.label_lower, o.pk): o for o in objetos}
        vistos: set[tuple] = set()
        relacionados: dict[type[models.Model], list[tuple]] = {}
        for version in self.de(objetos).filter(registrado_en__gt=conocido_al).cronologicas():
            clave = (version.modelo, version.objeto_id, version.campo)
            if clave in vistos:
                continue
            vistos.add(clave)
            objeto = por_clave[(version.modelo, version.objeto_id)]
            campo = version.campo_del_modelo()
            if campo is None:  # derived (a convenio's parties): read where it is drawn, ``texto_al``
                objeto.__dict__.setdefault("textos_anteriores", {})[version.campo] = version.anterior
            elif campo.is_relation:
                relacionado = cast(type[models.Model], campo.related_model)
                relacionados.setdefault(relacionado, []).append((objeto, campo, version.anterior))
            else:
                setattr(objeto, campo.attname, campo.to_python(version.anterior))
        for modelo, cambios in relacionados.items():
            existentes = modelo._base_manager.in_bulk([int(v) for _o, _c, v in cambios if v is not None])
            for objeto, campo, valor in cambios:
                setattr(objeto, campo.name, None if valor is None else existentes.get(int(valor)))

    def editadas_entre(self, objetos, desde: datetime.datetime, hasta: datetime.datetime | None) -> bool:
        """Whether any text of ``objetos`` was edited after ``desde`` and by ``hasta`` (now if None)."""
        versiones = self.de(objetos).filter(registrado_en__gt=desde)
        if hasta is not None:
            versiones = versiones.filter(registrado_en__lte=hasta)
        return versiones.exists()


class VersionTexto(Encadenado):
    """One edit of one text of a convenio, a commitment or a duty: the value before and after, who
    and when. Append-only, like the status history (also in the database, both engines).

    Written by the models themselves (``ConVersiones``), so every door records it: the admin, the
    import, the shell. The item is named by its model's label and id, so one table serves every kind
    (and a backup restores it with the rest); old texts stay readable even if the item is deleted.
    """

    modelo = models.CharField(_("modelo"), max_length=60, editable=False)
    objeto_id = models.BigIntegerField(_("id del objeto"), editable=False)
    campo = models.CharField(_("campo"), max_length=60, editable=False)
    anterior = models.TextField(_("valor anterior"), null=True, blank=True, editable=False)
    nuevo = models.TextField(_("valor nuevo"), null=True, blank=True, editable=False)
    registrado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("registrado por"),
        help_text=_("Vacío: lo cambió el sistema (consola, comando, migración)."),
    )
    # The database's transaction time on PostgreSQL (``registro_del_sistema``), as for the history.
    registrado_en = models.DateTimeField(_("registrado en"), default=timezone.now, editable=False)

    # A derived text: a convenio's parties (``convenios.models.version_de_partes``).
    PARTES = "partes"

    # A link of the record's hash chain (``seguimiento.integridad``), like every history row.
    CAMPOS_EN_HUELLA = (
        "id",
        "modelo",
        "objeto_id",
        "campo",
        "anterior",
        "nuevo",
        "registrado_por",
        "registrado_en",
    )
    MOMENTO_DE_LA_BD = True  # ``registro_del_sistema`` sets ``registrado_en`` on PostgreSQL

    objects = VersionTextoQuerySet.as_manager()

    class Meta:
        verbose_name = _("versión de un texto")
        verbose_name_plural = _("versiones de los textos")
        ordering = ["registrado_en", "pk"]
        indexes = [
            models.Index(fields=["modelo", "objeto_id", "registrado_en", "id"], name="version_texto_idx")
        ]

    def __str__(self):
        return f"{self.modelo} {self.objeto_id} · {self.campo} ({self.registrado_en:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise VersionInmutableError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise VersionInmutableError()

    @classmethod
    def registrar(cls, objeto: models.Model, cambios: dict[str, tuple]) -> list["VersionTexto"]:
        """Record ``{campo: (anterior, nuevo)}`` of ``objeto``, skipping what did not change."""
        return cls.registrar_varios([(objeto, cambios)])

    @classmethod
    def registrar_varios(cls, cambios: list[tuple[models.Model, dict[str, tuple]]]) -> list["VersionTexto"]:
        autor = autor_actual()
        ahora = timezone.now()
        versiones = [
            cls(
                modelo=objeto._meta.label_lower,
                objeto_id=objeto.pk,
                campo=campo,
                anterior=texto_canonico(anterior),
                nuevo=texto_canonico(nuevo),
                registrado_por=autor,
                registrado_en=ahora,
            )
            for objeto, campos in cambios
            for campo, (anterior, nuevo) in campos.items()
            if texto_canonico(anterior) != texto_canonico(nuevo)
        ]
        with transaction.atomic():
            encadenar_varios(versiones)
            return cls.objects.bulk_create(versiones)

    def campo_del_modelo(self) -> models.Field | None:
        """The model field this version is of; None for a derived text (``PARTES``)."""
        try:
            modelo = apps.get_model(self.modelo)
        except LookupError:
            return None
        if self.campo not in getattr(modelo, "CAMPOS_CON_VERSION", ()):
            return None
        return cast(models.Field, modelo._meta.get_field(self.campo))

    @property
    def nombre_campo(self) -> str:
        campo = self.campo_del_modelo()
        return str(campo.verbose_name) if campo is not None else str(_("partes que lo celebran"))

    @property
    def registrado_por_nombre(self) -> str:
        if self.registrado_por is None:
            return str(_("Sistema"))
        return self.registrado_por.get_full_name() or self.registrado_por.get_username()

    @staticmethod
    def nombrar_valores(versiones: list["VersionTexto"]) -> None:
        """Set ``anterior_legible`` and ``nuevo_legible``: a related object by its name (one query per
        kind of related object), a date in words («7 de febrero de 2020»), anything else as stored."""

        por_modelo: dict[type[models.Model], set[int]] = {}
        for version in versiones:
            campo = version.campo_del_modelo()
            if campo is not None and campo.is_relation:
                por_modelo.setdefault(cast(type[models.Model], campo.related_model), set()).update(
                    int(v) for v in (version.anterior, version.nuevo) if v is not None
                )
        nombres = {
            modelo: {pk: str(o) for pk, o in modelo._base_manager.in_bulk(ids).items()}
            for modelo, ids in por_modelo.items()
        }
        for version in versiones:
            campo = version.campo_del_modelo()
            for lado in ("anterior", "nuevo"):
                valor = getattr(version, lado)
                if valor is not None and campo is not None and campo.is_relation:
                    valor = nombres[cast(type[models.Model], campo.related_model)].get(int(valor), valor)
                elif valor is not None and isinstance(campo, models.DateField):
                    valor = fecha_en_palabras(campo.to_python(valor))
                setattr(version, f"{lado}_legible", valor)


_M = TypeVar("_M", bound=models.Model)


class ConVersionesQuerySet(models.QuerySet[_M]):
    """``update()`` of versioned fields records their versions too; so does ``bulk_update()`` (the
    import writes in bulk), which Django runs as ``update()``. Other fields pass through untouched."""

    def update(self, **kwargs):
        campos = cast(type[ConVersiones], self.model).campos_con_version(kwargs)
        if not campos:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            antes = {
                fila["pk"]: fila
                for fila in self.select_for_update().values("pk", *(c.attname for c in campos))
            }
            cuantos = super().update(**kwargs)
            despues = self.model._base_manager.filter(pk__in=antes).values("pk", *(c.attname for c in campos))
            VersionTexto.registrar_varios(
                [
                    (
                        self.model(pk=fila["pk"]),
                        {c.name: (antes[fila["pk"]][c.attname], fila[c.attname]) for c in campos},
                    )
                    for fila in despues
                ]
            )
        return cuantos


class ConVersiones(models.Model):
    """A model whose texts (``CAMPOS_CON_VERSION``) keep every edit as a ``VersionTexto``, whatever
    the door: ``save()`` here, ``update()`` and ``bulk_update()`` in ``ConVersionesQuerySet``."""

    CAMPOS_CON_VERSION: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def campos_con_version(cls, nombres: Iterable[str] | None = None) -> list[models.Field]:
        """The versioned fields; with ``nombres``, those of them it names (by name or column)."""
        campos = [cast(models.Field, cls._meta.get_field(c)) for c in cls.CAMPOS_CON_VERSION]
        if nombres is None:
            return campos
        pedidos = set(nombres)
        return [c for c in campos if c.name in pedidos or c.attname in pedidos]

    def save(self, *args, **kwargs):
        campos = self.campos_con_version(kwargs.get("update_fields"))
        if self._state.adding or self.pk is None or not campos:
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            antes = (
                type(self)
                ._base_manager.select_for_update()
                .filter(pk=self.pk)
                .values(*(c.attname for c in campos))
                .first()
            )
            super().save(*args, **kwargs)
            if antes is not None:
                VersionTexto.registrar(
                    self, {c.name: (antes[c.attname], getattr(self, c.attname)) for c in campos}
                )

    def texto_al(self, campo: str, actual):
        """A derived text (``VersionTexto.PARTES``) as ``VersionTextoQuerySet.textos_al`` put it back,
        or ``actual`` when it was not edited since."""
        return self.__dict__.get("textos_anteriores", {}).get(campo, actual)


# Statuses that settle an item: it is neither overdue nor pending any more.
CATEGORIAS_RESUELTAS = (Estatus.Categoria.FAVORABLE, Estatus.Categoria.NO_APLICA)


class SeguibleQuerySet(VisiblesQuerySet["Seguible"], ConVersionesQuerySet["Seguible"]):  # type: ignore[override]  # two generic QuerySet bases; both managers are QuerySet managers
    """What needs attention, defined once: the home page, the commitments page's filters and the
    e-mail reminders all call these. Each rule is a condition (``condicion_*``, a ``Q`` that also
    counts inside an aggregate: ``Count("pk", filter=...)``) and a filter built from it. Items
    without a due date (``CAMPO_FECHA_LIMITE = None``, as commission duties) are never overdue nor
    due soon."""

    def condicion_enlace_propone(self, usuario) -> Q:
        """Among the visible items, those an Enlace may propose updates for (all, unless narrowed)."""
        return Q()

    def proponibles_para(self, usuario):
        """The items ``usuario`` may propose an update for: an Enlace's own (its institutions' and
        joint commitments, its commissions' duties); for other roles, all they may read (whether they
        may propose at all is a permission, asked by the view)."""
        visibles = self.visibles_para(usuario)
        if es_enlace(usuario):
            return visibles.filter(self.condicion_enlace_propone(usuario))
        return visibles

    def condicion_sin_resolver(self, al: bool = False) -> Q:
        """The current status (with ``al``, the one in effect on the date of ``con_copias_al``) is
        neither favourable nor «no aplica», or there is none."""
        if al:
            campo = CAMPOS_AL["estatus_vigente__categoria"]
            return Q(**{f"{campo}__isnull": True}) | ~Q(**{f"{campo}__in": CATEGORIAS_RESUELTAS})
        return ~Q(estatus_vigente__categoria__in=CATEGORIAS_RESUELTAS)

    def condicion_vencidos(self, hoy: datetime.date, al: bool = False) -> Q:
        """Overdue: the due date passed before ``hoy`` and the item is not settled."""
        campo = self.model.CAMPO_FECHA_LIMITE
        if campo is None:
            return Q(pk__in=[])
        return Q(**{f"{campo}__lt": hoy}) & self.condicion_sin_resolver(al)

    def condicion_por_vencer(self, hoy: datetime.date, dias: int | None = None, al: bool = False) -> Q:
        """Due soon: not settled and due between ``hoy`` and ``dias`` days later (by default
        ``settings.DIAS_POR_VENCER``), both included."""
        campo = self.model.CAMPO_FECHA_LIMITE
        if campo is None:
            return Q(pk__in=[])
        limite = hoy + datetime.timedelta(days=settings.DIAS_POR_VENCER if dias is None else dias)
        return Q(**{f"{campo}__gte": hoy, f"{campo}__lte": limite}) & self.condicion_sin_resolver(al)

    def condicion_sin_actualizar(self, hoy: datetime.date, dias: int | None = None, al: bool = False) -> Q:
        """Stale: no update effective in the last ``dias`` days before ``hoy`` (by default
        ``settings.DIAS_SIN_ACTUALIZAR``), or no status at all, whether settled or not."""
        limite = hoy - datetime.timedelta(days=settings.DIAS_SIN_ACTUALIZAR if dias is None else dias)
        campo = CAMPOS_AL["fecha_vigente"] if al else "fecha_vigente"
        return Q(**{f"{campo}__isnull": True}) | Q(**{f"{campo}__lte": limite})

    def condicion_sin_actualizar_pendientes(self, hoy: datetime.date, dias: int | None = None) -> Q:
        """Stale and unresolved: stale, and not settled either (what a reminder asks to update)."""
        return self.condicion_sin_actualizar(hoy, dias) & self.condicion_sin_resolver()

    def sin_resolver(self):
        return self.filter(self.condicion_sin_resolver())

    def vencidos(self, hoy: datetime.date, al: bool = False):
        """See ``condicion_vencidos``."""
        return self.filter(self.condicion_vencidos(hoy, al))

    def por_vencer(self, hoy: datetime.date, dias: int | None = None, al: bool = False):
        """See ``condicion_por_vencer``."""
        return self.filter(self.condicion_por_vencer(hoy, dias, al))

    def sin_actualizar(self, hoy: datetime.date, dias: int | None = None, al: bool = False):
        """See ``condicion_sin_actualizar``."""
        return self.filter(self.condicion_sin_actualizar(hoy, dias, al))

    def sin_actualizar_pendientes(self, hoy: datetime.date, dias: int | None = None):
        """See ``condicion_sin_actualizar_pendientes``."""
        return self.filter(self.condicion_sin_actualizar_pendientes(hoy, dias))

    def favorables_al_cierre(
        self, fechas: list[datetime.date], conocido_al: datetime.datetime | None = None
    ) -> dict[datetime.date, int]:
        """How many of these items had a favourable status in effect on each of ``fechas`` (as
        ``con_estatus_al`` would say on each one), in one query: the history's in-effect spans
        (``con_vigencia``) that reach the first date, counted per date in Python.

        With ``CAMPO_INICIO`` (the date the item's container started), an item counts only on dates
        from that start on, as in the reports. ``conocido_al`` leaves out later records."""
        if not fechas:
            return {}
        fechas = sorted(fechas)
        modelo = self.model.modelo_actualizacion()
        elemento = modelo.CAMPO_ELEMENTO
        historial = modelo.objects.all()
        if self.query.where:  # only this queryset's items (the whole table needs no subquery)
            historial = historial.filter(**{f"{elemento}__in": self.values("pk")})
        if conocido_al is not None:
            historial = historial.filter(registrado_en__lte=conocido_al)
        inicio = f"{elemento}__{self.model.CAMPO_INICIO}" if self.model.CAMPO_INICIO else "fecha_efectiva"
        tramos = (
            historial.con_vigencia()
            .filter(Q(vigente_hasta__isnull=True) | Q(vigente_hasta__gt=fechas[0]))
            .values_list("fecha_efectiva", "vigente_hasta", "estatus__categoria", inicio)
            .order_by()
        )
        cuenta = [0] * (len(fechas) + 1)
        for desde, hasta, categoria, arranque in tramos:
            if categoria != Estatus.Categoria.FAVORABLE:
                continue
            # The dates in [max(desde, arranque), hasta) take this favourable status.
            primera = bisect.bisect_left(fechas, max(desde, arranque))
            ultima = len(fechas) if hasta is None else bisect.bisect_left(fechas, hasta)
            if primera < ultima:
                cuenta[primera] += 1
                cuenta[ultima] -= 1
        resultado, acumulado = {}, 0
        for i, fecha in enumerate(fechas):
            acumulado += cuenta[i]
            resultado[fecha] = acumulado
        return resultado

    def desacordes(self):
        """Items whose copies (``Seguible.COPIAS_VIGENTES``) disagree with their current update:
        always none, since the services write both together; the tests ask after every door."""
        vacias = {f"{campo}__isnull": True for campo in ("estatus_vigente", "fecha_vigente")}
        sin_estatus = Q(ultima_actualizacion__isnull=True, nota_vigente="", **vacias)
        copias = {c: F(f"ultima_actualizacion__{origen}") for c, origen in self.model.COPIAS_VIGENTES.items()}
        return self.exclude(sin_estatus | Q(ultima_actualizacion__isnull=False, **copias))

    def con_estatus_actual(self):
        """The current status from the item's own copies: one join to the small status table."""
        return self.select_related("estatus_vigente")

    def con_vencido(self, hoy: datetime.date | None = None):
        """Annotate ``vencido``: ``condicion_vencidos`` today, so a row marks «(vencido)» by the rule
        the filters use, not by a second one in Python."""
        condicion = self.condicion_vencidos(hoy or timezone.localdate())
        return self.annotate(vencido=ExpressionWrapper(condicion, output_field=models.BooleanField()))

    def con_propuesta(self):
        """Annotate the item's latest proposal, for its row: ``propuesta_ultima_id`` (None: never
        proposed), ``propuesta_ultima_decision`` (None while pending, else the decision's ``tipo``) and
        ``propuesta_ultima_observaciones``. Subqueries of the same query, not one query per row."""
        modelo = self.model.modelo_propuesta()
        ultima = modelo.objects.filter(**{modelo.CAMPO_ELEMENTO: OuterRef("pk")}).order_by(
            "-registrado_en", "-pk"
        )
        # The decision's one-to-one is declared by each app (see ``PropuestaQuerySet.pendientes``).
        tipo = ultima.values("decision__tipo")  # type: ignore[misc]
        observaciones = ultima.values("decision__observaciones")  # type: ignore[misc]
        return self.annotate(
            propuesta_ultima_id=Subquery(ultima.values("pk")[:1]),
            propuesta_ultima_decision=Subquery(tipo[:1]),
            propuesta_ultima_observaciones=Subquery(observaciones[:1]),
        )

    def para_fila(self):
        """What one row of the item's page shows, in one query: its current status, its page and its
        latest proposal."""
        return (
            self.con_estatus_actual()
            .con_vencido()
            .con_propuesta()
            .select_related(*self.model.RELACIONES_PAGINA)
        )

    def con_estatus_al(self, fecha: datetime.date, conocido_al: datetime.datetime | None = None):
        """Annotate each item with its update in effect on ``fecha`` (one pass over the history,
        joined once: see ``_vigente_al``).

        ``conocido_al`` restricts to updates recorded up to that moment, so a report can be
        regenerated exactly as issued even after back-dated updates. Adds ``actualizacion_al_id``,
        ``estatus_al_id`` and ``fecha_estatus_al`` (all None when nothing was in effect yet).
        """
        return self._vigente_al(fecha, conocido_al).annotate(
            actualizacion_al_id=F("vigente_al__pk"),
            estatus_al_id=F("vigente_al__estatus_id"),
            fecha_estatus_al=F("vigente_al__fecha_efectiva"),
        )

    def _vigente_al(self, fecha: datetime.date, conocido_al: datetime.datetime | None = None):
        """Join ``vigente_al``: each item's update in effect on ``fecha`` (the latest by
        ``RECIENTES_PRIMERO`` among those ``ActualizacionQuerySet.al`` keeps; no row when none).

        The updates in effect are picked in ONE pass over the history, not one lookup per item (that
        was 10,000 index probes for the counts of a 10,000-item list): PostgreSQL's ``DISTINCT ON``
        walks the ``…_al_idx`` index (item, effective date, recorded, id) backwards, with no sort;
        other databases number each item's updates with a window function and keep the first."""
        modelo = self.model.modelo_actualizacion()
        elemento = f"{modelo.CAMPO_ELEMENTO}_id"
        en_efecto = modelo.objects.al(fecha, conocido_al)
        if connections[self.db].vendor == "postgresql":
            vigentes = en_efecto.order_by(f"-{elemento}", *RECIENTES_PRIMERO).distinct(elemento)
        else:
            numeradas = en_efecto.annotate(
                n=Window(RowNumber(), partition_by=F(elemento), order_by=list(RECIENTES_PRIMERO))
            )
            vigentes = numeradas.filter(n=1)
        clave = cast(models.ForeignKey, modelo._meta.get_field(modelo.CAMPO_ELEMENTO))
        relacion = clave.related_query_name()
        condicion = Q(**{f"{relacion}__pk__in": Subquery(vigentes.values("pk"))})
        return self.alias(vigente_al=FilteredRelation(relacion, condition=condicion))

    def iniciados_al(self, fecha: datetime.date):
        """The items followed up on ``fecha``: those whose container had started (``CAMPO_INICIO``),
        all of them when the kind has no start. What the reports as of a date list."""
        if self.model.CAMPO_INICIO is None:
            return self.all()
        return self.filter(**{f"{self.model.CAMPO_INICIO}__lte": fecha})

    def con_copias_al(self, fecha: datetime.date):
        """The lists as of a date: the items followed up on ``fecha`` (``iniciados_al``), with
        ``con_estatus_al`` and, from the same update in effect (the same join), what the lists read
        of the copies (``CAMPOS_AL``: the copy's path → its annotation here)."""
        return (
            self.iniciados_al(fecha)
            .con_estatus_al(fecha)
            .annotate(**{CAMPOS_AL[copia]: F(f"vigente_al__{origen}") for copia, origen in COPIAS_AL.items()})
        )


class Contenedor(Protocol):
    """The page an item is listed on (a convenio, a commission)."""

    def get_absolute_url(self) -> str: ...


class Seguible(ConPermisos, ConVersiones, ConCreacion):
    """An item whose status is followed up.

    Concrete subclasses declare ``numero``, ``texto``, ``ultima_actualizacion``, the page the item is
    listed on (``contenedor``, whose ``get_absolute_url`` is that page) and ``DE_ELEMENTO``.
    """

    version = models.PositiveIntegerField(
        _("versión"),
        default=0,
        editable=False,
        help_text=_("Cuenta las actualizaciones registradas; protege contra escrituras perdidas."),
    )
    # Copies of the current update (``ultima_actualizacion``, declared by each subclass), so that the
    # attention rules, the counts by status and the text search read the item's own row instead of
    # joining the whole history. Written only together with the pointer (``vigentes``), by
    # ``seguimiento.services``, in the same transaction; ``desacordes()`` finds any disagreement.
    estatus_vigente = models.ForeignKey(
        Estatus,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("estatus vigente"),
    )
    fecha_vigente = models.DateField(_("fecha efectiva vigente"), null=True, blank=True, editable=False)
    nota_vigente = models.TextField(_("nota vigente"), blank=True, default="", editable=False)

    # Item field → field of the current update it copies.
    COPIAS_VIGENTES = {
        "estatus_vigente": "estatus",
        "fecha_vigente": "fecha_efectiva",
        "nota_vigente": "nota",
    }
    CAMPOS_VIGENTES = ("ultima_actualizacion", *COPIAS_VIGENTES)

    # The texts whose every edit is kept (``ConVersiones``).
    CAMPOS_CON_VERSION: tuple[str, ...] = ("texto",)
    # Relations ``para_fila`` follows, and how messages name one item ("del compromiso 3").
    RELACIONES_PAGINA: tuple[str, ...] = ()
    # The item's due date field, if it has one, and the path to the date its container started.
    CAMPO_FECHA_LIMITE: str | None = None
    CAMPO_INICIO: str | None = None
    # The foreign key to the item's container (the page it is listed on): the queue filters by it.
    CAMPO_CONTENEDOR = ""
    DE_ELEMENTO = _("del elemento %(numero)s")

    objects = SeguibleQuerySet.as_manager()

    # Declared by each subclass (the targets differ), named here for the type checker.
    numero: int
    ultima_actualizacion: ActualizacionBase | None
    actualizaciones: ActualizacionQuerySet

    class Meta:
        abstract = True

    @classmethod
    def vigentes(cls, actualizacion: ActualizacionBase) -> dict:
        """The values of ``CAMPOS_VIGENTES`` when ``actualizacion`` is the item's current update."""
        return {
            "ultima_actualizacion": actualizacion,
            **{campo: getattr(actualizacion, origen) for campo, origen in cls.COPIAS_VIGENTES.items()},
        }

    @classmethod
    def modelo_actualizacion(cls) -> type[ActualizacionBase]:
        return cast(type[ActualizacionBase], cls._meta.get_field("actualizaciones").related_model)

    @classmethod
    def permiso_escritura(cls) -> str:
        """Recording an update is adding a row to the item's history."""
        return cls.modelo_actualizacion().permiso("add")

    @classmethod
    def modelo_propuesta(cls) -> type[PropuestaBase]:
        return cast(type[PropuestaBase], cls._meta.get_field("propuestas").related_model)

    @classmethod
    def permiso_proponer(cls) -> str:
        """Proposing an update is adding a proposal; deciding on one is recording the update."""
        return cls.modelo_propuesta().permiso("add")

    @classmethod
    def permiso_ver_propuestas(cls) -> str:
        return cls.modelo_propuesta().permiso("view")

    def dependencia_que_propone(self, usuario):
        """The institution a liaison proposes for: the first of its institutions (by name); a kind of
        item with a responsible institution narrows it (``Compromiso``). None for other users."""
        vinculo = (
            usuario.enlaces_dependencia.select_related("dependencia").order_by("dependencia__nombre").first()
            if hasattr(usuario, "enlaces_dependencia")
            else None
        )
        return vinculo.dependencia if vinculo else None

    def historial_adicional(self, usuario) -> dict:
        """What else a kind of item shows on its history page, for ``usuario`` (a commitment: its
        extension requests)."""
        return {}

    @property
    def propuesta_pendiente(self) -> bool:
        """From ``con_propuesta``: the latest proposal awaits a decision."""
        return bool(getattr(self, "propuesta_ultima_id", None)) and not getattr(
            self, "propuesta_ultima_decision", None
        )

    @property
    def propuesta_devuelta(self) -> bool:
        return getattr(self, "propuesta_ultima_decision", None) == DecisionBase.Tipo.DEVUELTA

    @property
    def contenedor(self) -> "Contenedor":
        raise NotImplementedError

    def inicio_del_seguimiento(self) -> datetime.date:
        """The earliest effective date of an update: its container's start (a convenio's), or FECHA_MINIMA."""
        return getattr(self.contenedor, "fecha_inicio", None) or FECHA_MINIMA

    @property
    def estatus_actual(self) -> Estatus | None:
        return self.estatus_vigente

    @property
    def de_elemento(self) -> str:
        return self.DE_ELEMENTO % {"numero": self.numero}

    @property
    def nombre_tipo(self) -> str:
        return str(self._meta.verbose_name)

    @property
    def ancla(self) -> str:
        return f"{self._meta.model_name}-{self.pk}"

    def get_absolute_url(self) -> str:
        return f"{self.contenedor.get_absolute_url()}#{self.ancla}"

    @classmethod
    def prefijo_url(cls) -> str:
        """What every follow-up URL of this kind of item starts with (``<prefijo><pk>/historial/``):
        reversed once per table, not once per row."""
        return reverse(f"{cls._meta.app_label}:fila", args=[0]).removesuffix("0/fila/")

    @classmethod
    def contexto_de_filas(cls, usuario, elementos=()) -> dict:
        """What ``seguimiento/_filas.html`` needs besides the items, worked out once per table: among
        them, ``proponibles`` (the ids of ``elementos`` the user may propose an update for: one query)."""
        proponibles: set[int] = set()
        if usuario.has_perm(cls.permiso_proponer()) and elementos:
            ids = [e.pk for e in elementos]
            proponibles = set(
                cls.objects.proponibles_para(usuario).filter(pk__in=ids).values_list("pk", flat=True)
            )
        return {
            "prefijo": cls.prefijo_url(),
            "puede_actualizar": usuario.has_perm(cls.permiso_escritura()),
            "ve_propuestas": usuario.has_perm(cls.permiso_ver_propuestas()),
            "proponibles": proponibles,
        }

    @property
    def url_actualizar(self) -> str:
        return f"{self.prefijo_url()}{self.pk}/actualizar/"

    @property
    def url_historial(self) -> str:
        return f"{self.prefijo_url()}{self.pk}/historial/"

    @property
    def url_fila(self) -> str:
        return f"{self.prefijo_url()}{self.pk}/fila/"
