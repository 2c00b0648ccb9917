"""Agreements (convenios), the institutions that sign them, their commitments and status history."""

import datetime
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import groupby
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seguimiento.busqueda import SinAcentos
from seguimiento.models import (
    ROL_ENLACE,
    ActualizacionBase,
    ConCreacion,
    ConPermisos,
    ConVersiones,
    ConVersionesQuerySet,
    DecisionBase,
    PropuestaBase,
    Seguible,
    SeguibleQuerySet,
    SoloAnexion,
    SoloAnexionQuerySet,
    VersionTexto,
    VinculoDeEnlace,
    VisiblesQuerySet,
)
from seguimiento.templatetags.fechas import fecha_en_palabras

LAS_PARTES = 'COMPROMISOS DE "LAS PARTES"'
# Paths under /convenios/ that a convenio's slug would otherwise shadow.
CLAVES_RESERVADAS = {"compromisos", "importacion", "prorrogas"}


class Dependencia(models.Model):
    """A government institution; units nest under the institution they belong to."""

    nombre = models.CharField(_("nombre"), max_length=255, unique=True)
    siglas = models.CharField(_("siglas"), max_length=30, blank=True)
    padre = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subdependencias",
        verbose_name=_("pertenece a"),
    )

    class Meta:
        verbose_name = _("dependencia")
        verbose_name_plural = _("dependencias")
        ordering = ["nombre"]

    def __str__(self):
        return self.nombre

    def clean(self):
        super().clean()
        ancestro = self.padre
        while ancestro is not None:
            if ancestro.pk == self.pk:
                raise ValidationError({"padre": _("Una dependencia no puede pertenecer a sí misma.")})
            ancestro = ancestro.padre


class EnlaceDependencia(VinculoDeEnlace):
    """An Enlace speaks for this institution: it reads the convenios the institution is a party to and
    proposes updates to the institution's commitments (``visibles_para`` / ``proponibles_para``)."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enlaces_dependencia",
        limit_choices_to={"groups__name": ROL_ENLACE},
        verbose_name=_("enlace"),
    )
    dependencia = models.ForeignKey(
        Dependencia, on_delete=models.CASCADE, related_name="enlaces", verbose_name=_("dependencia")
    )

    class Meta:
        verbose_name = _("enlace de la dependencia")
        verbose_name_plural = _("enlaces de la dependencia")
        ordering = ["dependencia", "usuario"]
        constraints = [
            models.UniqueConstraint(fields=["usuario", "dependencia"], name="enlace_dependencia_unico")
        ]

    OPCION = "dependencia"
    AYUDA = _("Dependencia, por su nombre o sus siglas (se puede repetir).")

    def __str__(self):
        return f"{self.usuario} – {self.dependencia}"

    @classmethod
    def buscar(cls, valor: str) -> Dependencia:
        # Compared in Python: SQLite folds the case of ASCII letters only («SECRETARÍA»).
        buscado = valor.strip().casefold()
        todas = list(Dependencia.objects.only("nombre", "siglas"))
        encontradas = [d for d in todas if d.nombre.casefold() == buscado] or [
            d for d in todas if d.siglas.casefold() == buscado
        ]
        if not buscado or not encontradas:
            raise LookupError(_("No existe la dependencia «%(valor)s» (nombre o siglas).") % {"valor": valor})
        if len(encontradas) > 1:
            raise LookupError(
                _("Hay más de una dependencia con las siglas «%(valor)s»: escriba su nombre.")
                % {"valor": valor}
            )
        return encontradas[0]


def dependencias_de(usuario) -> models.QuerySet:
    """The ids of the institutions ``usuario`` is linked to, as a subquery."""
    return EnlaceDependencia.objects.filter(usuario=usuario).values("dependencia_id")


def convenios_de(usuario) -> models.QuerySet:
    """The ids of the convenios one of ``usuario``'s institutions is a party to, as a subquery."""
    return Parte.objects.filter(dependencia_id__in=dependencias_de(usuario)).values("convenio_id")


class ConvenioQuerySet(VisiblesQuerySet["Convenio"], ConVersionesQuerySet["Convenio"]):
    def condicion_enlace(self, usuario) -> models.Q:
        return models.Q(pk__in=convenios_de(usuario))


class Convenio(ConPermisos, ConVersiones, ConCreacion):
    nombre = models.CharField(_("nombre del convenio"), max_length=255)
    slug = models.SlugField(_("clave"), max_length=80, unique=True)
    nota = models.CharField(_("nota"), max_length=255, blank=True)
    fecha_inicio = models.DateField(_("fecha de inicio"))
    objeto = models.TextField(_("objeto"))
    fecha_fin = models.DateField(
        _("fin de vigencia"),
        null=True,
        blank=True,
        help_text=_("Déjela vacía si la vigencia es indefinida."),
    )
    contacto_unidad = models.CharField(_("unidad de contacto"), max_length=255, blank=True)
    contacto_institucion = models.CharField(_("institución de contacto"), max_length=255, blank=True)
    contacto_telefono = models.CharField(_("teléfono"), max_length=40, blank=True)
    contacto_extension = models.CharField(_("extensión"), max_length=20, blank=True)
    dependencias = models.ManyToManyField(
        Dependencia, through="Parte", related_name="convenios", verbose_name=_("dependencias")
    )
    publicado = models.BooleanField(
        _("publicado"),
        default=True,
        db_default=True,
        help_text=_("Si aparece en el tablero público y en los datos abiertos (/datos/)."),
    )

    objects = ConvenioQuerySet.as_manager()

    # Its name, object, contact and validity; its parties are versioned as one text (``Parte``).
    CAMPOS_CON_VERSION = (
        "nombre",
        "nota",
        "objeto",
        "fecha_inicio",
        "fecha_fin",
        "contacto_unidad",
        "contacto_institucion",
        "contacto_telefono",
        "contacto_extension",
    )

    class Meta:
        verbose_name = _("convenio")
        verbose_name_plural = _("convenios")
        ordering = ["nombre"]
        indexes = [models.Index(fields=["nombre", "id"], name="convenio_nombre_idx")]
        permissions = [
            ("exportar_compromisos", _("Puede exportar compromisos")),
            ("importar_datos", _("Puede importar convenios, compromisos y actualizaciones desde archivos")),
        ]

    def __str__(self):
        return self.nombre

    def get_absolute_url(self) -> str:
        return reverse("convenios:detalle", args=[self.slug])

    def clean(self):
        super().clean()
        if self.slug in CLAVES_RESERVADAS:
            raise ValidationError(
                {"slug": _("La clave «%(clave)s» está reservada; elija otra.") % {"clave": self.slug}}
            )
        if self.fecha_fin and self.fecha_inicio and self.fecha_fin < self.fecha_inicio:
            raise ValidationError(
                {"fecha_fin": _("El fin de vigencia no puede ser anterior a la fecha de inicio.")}
            )

    @property
    def vigencia_indefinida(self) -> bool:
        return self.fecha_fin is None

    def celebran(self, partes=None) -> str:
        """The parties as the report's CELEBRAN row writes them: "A- B (B1 –B2 –B3)."."""
        partes = list(self.partes.select_related("dependencia") if partes is None else partes)
        ids = {p.dependencia_id for p in partes}
        principales = [p for p in partes if p.dependencia.padre_id not in ids]
        textos = []
        for principal in principales:
            unidades = [
                p.dependencia.nombre for p in partes if p.dependencia.padre_id == principal.dependencia_id
            ]
            texto = principal.dependencia.nombre
            if unidades:
                texto += " (" + " –".join(unidades) + ")"
            textos.append(texto)
        return "- ".join(textos) + "." if textos else ""


def partes_en_version(partes) -> list[dict]:
    """A convenio's parties as a version keeps them (``VersionTexto.PARTES``): what the CELEBRAN row
    is drawn from, and when each party was created, so a report can leave out the later ones."""
    return [
        {
            "id": p.pk,
            "dependencia": p.dependencia_id,
            "padre": p.dependencia.padre_id,
            "nombre": p.dependencia.nombre,
            "creado_en": p.creado_en.isoformat(),
        }
        for p in partes
    ]


def celebran_de_version(valor: str, conocido_al: datetime.datetime) -> str:
    """The CELEBRAN row from the parties a version kept, as known at ``conocido_al``."""
    partes = [
        SimpleNamespace(
            dependencia_id=p["dependencia"],
            dependencia=SimpleNamespace(padre_id=p["padre"], nombre=p["nombre"]),
        )
        for p in json.loads(valor)
        if datetime.datetime.fromisoformat(p["creado_en"]) <= conocido_al
    ]
    return Convenio().celebran(partes)


@contextmanager
def version_de_partes(convenio_ids: Iterable[int]) -> Iterator[None]:
    """Record a text version (``VersionTexto.PARTES``) of each convenio whose parties the block inside
    edits or deletes, with the parties before and after: two queries however many convenios.

    A party added is no edit: reports leave out the parties created after them (``creado_en``), so
    adding one records nothing and the parties kept in a version carry their creation time."""
    ids = set(convenio_ids)

    def partes() -> dict[int, list[dict]]:
        por_convenio: dict[int, list] = {pk: [] for pk in ids}
        for parte in Parte.objects.filter(convenio_id__in=ids).select_related("dependencia"):
            por_convenio[parte.convenio_id].append(parte)
        return {pk: partes_en_version(lista) for pk, lista in por_convenio.items()}

    with transaction.atomic():
        antes = partes()
        yield
        despues = partes()
        cambios = []
        for pk in sorted(ids):
            existian = {p["id"] for p in antes[pk]}
            if [p for p in despues[pk] if p["id"] in existian] != antes[pk]:
                cambios.append(
                    (
                        Convenio(pk=pk),
                        {
                            VersionTexto.PARTES: (
                                json.dumps(antes[pk], ensure_ascii=False),
                                json.dumps(despues[pk], ensure_ascii=False),
                            )
                        },
                    )
                )
        VersionTexto.registrar_varios(cambios)


class ParteQuerySet(models.QuerySet["Parte"]):
    """Whatever the door, a change of a convenio's parties is versioned (``version_de_partes``)."""

    def update(self, **kwargs):
        with version_de_partes(self.values_list("convenio_id", flat=True)):
            return super().update(**kwargs)

    def delete(self):
        with version_de_partes(self.values_list("convenio_id", flat=True)):
            return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with version_de_partes(o.convenio_id for o in objs):
            return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        convenios = {o.convenio_id for o in objs}
        convenios |= set(
            Parte.objects.filter(pk__in=[o.pk for o in objs]).values_list("convenio_id", flat=True)
        )
        with version_de_partes(convenios):
            return super().bulk_update(objs, fields, batch_size=batch_size)


class Parte(ConCreacion):
    """An institution's participation in a convenio, with the name the convenio gives it."""

    convenio = models.ForeignKey(
        Convenio, on_delete=models.CASCADE, related_name="partes", verbose_name=_("convenio")
    )
    dependencia = models.ForeignKey(
        Dependencia, on_delete=models.PROTECT, related_name="partes", verbose_name=_("dependencia")
    )
    rol = models.CharField(
        _("denominación en el convenio"),
        max_length=120,
        blank=True,
        help_text=_("Cómo la nombra el convenio, p. ej. “LA UNIDAD” o “EL GOBIERNO DEL ESTADO”."),
    )
    etiqueta = models.CharField(
        _("etiqueta en el informe"),
        max_length=60,
        blank=True,
        help_text=_("Encabeza sus compromisos en el informe: «COMPROMISOS GOB- TAM»."),
    )
    orden = models.PositiveSmallIntegerField(_("orden"), default=0)

    objects = ParteQuerySet.as_manager()

    class Meta:
        verbose_name = _("parte")
        verbose_name_plural = _("partes")
        ordering = ["convenio", "orden", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["convenio", "dependencia"], name="parte_unica_por_convenio")
        ]

    def __str__(self):
        return self.etiqueta or self.rol or self.dependencia.nombre

    def save(self, *args, **kwargs):
        convenios = {self.convenio_id}
        if self.pk is not None and not self._state.adding:  # moved to another convenio: both change
            convenios |= set(Parte.objects.filter(pk=self.pk).values_list("convenio_id", flat=True))
        with version_de_partes(convenios):
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with version_de_partes([self.convenio_id]):
            return super().delete(*args, **kwargs)


class CompromisoQuerySet(SeguibleQuerySet):
    def condicion_enlace(self, usuario) -> models.Q:
        """All the commitments of the convenios its institutions are party to (for context)."""
        return models.Q(convenio_id__in=convenios_de(usuario))

    def condicion_enlace_propone(self, usuario) -> models.Q:
        """Its institutions' commitments, and the joint ones («LAS PARTES») of those convenios."""
        return models.Q(responsable__dependencia_id__in=dependencias_de(usuario)) | models.Q(
            responsable__isnull=True
        )

    def condicion_con_prorroga(self) -> models.Q:
        """Its due date was extended at least once (an approved request)."""
        return models.Q(
            models.Exists(
                SolicitudProrroga.objects.filter(
                    compromiso=models.OuterRef("pk"), decision__tipo=DecisionProrroga.Tipo.APROBADA
                )
            )
        )

    def con_prorroga(self):
        """See ``condicion_con_prorroga`` (the commitments page's «con prórroga»)."""
        return self.filter(self.condicion_con_prorroga())

    def con_prorrogas(self):
        """Annotate ``prorrogas``: how many times the due date was extended (a subquery of the same
        query, not one query per row)."""
        aprobadas = (
            SolicitudProrroga.objects.filter(
                compromiso=models.OuterRef("pk"), decision__tipo=DecisionProrroga.Tipo.APROBADA
            )
            .order_by()
            .values("compromiso")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(prorrogas=Coalesce(models.Subquery(aprobadas), 0))

    def para_fila(self):
        """Also how many times its due date was extended, and ``prorroga_pendiente``: a request
        awaits a decision."""
        pendiente = SolicitudProrroga.objects.pendientes().filter(compromiso=models.OuterRef("pk"))
        return super().para_fila().con_prorrogas().annotate(prorroga_pendiente=models.Exists(pendiente))

    def de_convenio(self, convenio):
        return self.filter(convenio=convenio).select_related("responsable__dependencia")

    def por_parte(self):
        """By party (the parties' order, «LAS PARTES» last), then by number: each party's commitments
        in one run, so grouping them by heading gives each party one block, whatever their numbers."""
        return self.order_by(
            models.F("responsable__orden").asc(nulls_last=True),
            models.F("responsable_id").asc(nulls_last=True),
            "numero",
        )


class Compromiso(Seguible):
    """A commitment of one party, or of all parties jointly when ``responsable`` is empty."""

    convenio = models.ForeignKey(
        Convenio, on_delete=models.CASCADE, related_name="compromisos", verbose_name=_("convenio")
    )
    numero = models.PositiveIntegerField(
        _("número"), help_text=_("Orden del compromiso dentro de su convenio.")
    )
    responsable = models.ForeignKey(
        Parte,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compromisos",
        verbose_name=_("parte responsable"),
        help_text=_("Vacío: compromiso de todas las partes («LAS PARTES»)."),
    )
    texto = models.TextField(_("texto"))
    fecha_limite = models.DateField(_("fecha límite"), null=True, blank=True)
    ultima_actualizacion = models.ForeignKey(
        "Actualizacion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("última actualización"),
    )
    # What ``q`` searches (the text and the current note), without accents and lower-cased by the
    # database itself (``seguimiento.busqueda``), so every door that changes either (admin, import,
    # the services) keeps it right. A plain LIKE of the normalised query reads this one column instead
    # of normalising two tables' texts on every search.
    busqueda = models.GeneratedField(
        expression=SinAcentos(
            Concat("texto", models.Value("\n"), "nota_vigente", output_field=models.TextField())
        ),
        output_field=models.TextField(),
        db_persist=True,
        verbose_name=_("texto de búsqueda"),
    )

    objects = CompromisoQuerySet.as_manager()

    CAMPOS_CON_VERSION = ("texto", "responsable", "fecha_limite")
    RELACIONES_PAGINA = ("convenio", "responsable__dependencia")
    CAMPO_CONTENEDOR = "convenio"
    CAMPO_FECHA_LIMITE = "fecha_limite"
    CAMPO_INICIO = "convenio__fecha_inicio"
    DE_ELEMENTO = _("del compromiso %(numero)s")

    class Meta:
        verbose_name = _("compromiso")
        verbose_name_plural = _("compromisos")
        ordering = ["convenio", "numero"]
        constraints = [models.UniqueConstraint(fields=["convenio", "numero"], name="compromiso_numero_unico")]
        indexes = [models.Index(fields=["fecha_limite"], name="compromiso_fecha_limite_idx")]

    def __str__(self):
        return f"{self.numero}. {self.texto[:80]}"

    def clean(self):
        super().clean()
        if self.responsable_id and self.convenio_id and self.responsable.convenio_id != self.convenio_id:
            raise ValidationError({"responsable": _("La parte responsable debe ser parte de este convenio.")})

    @property
    def contenedor(self) -> Convenio:
        return self.convenio

    def dependencia_que_propone(self, usuario):
        """The responsible institution if the liaison speaks for it; for a joint commitment, the first
        of the liaison's institutions that is a party to the convenio."""
        suyas = Dependencia.objects.filter(pk__in=dependencias_de(usuario))
        if self.responsable_id:
            return suyas.filter(pk=self.responsable.dependencia_id).first()
        return suyas.filter(partes__convenio_id=self.convenio_id).order_by("nombre").first()

    @classmethod
    def contexto_de_filas(cls, usuario, elementos=()) -> dict:
        return {
            **super().contexto_de_filas(usuario, elementos),
            "puede_prorrogar": usuario.has_perm(SolicitudProrroga.permiso("add")),
        }

    def historial_adicional(self, usuario) -> dict:
        if not usuario.has_perm(SolicitudProrroga.permiso("view")):
            return {}
        return {"prorrogas": SolicitudProrroga.objects.filter(compromiso=self).para_historial()}

    @property
    def encabezado(self) -> str:
        """The report heading of the block this commitment belongs to."""
        if self.responsable is None:
            return LAS_PARTES
        return f"COMPROMISOS {self.responsable.etiqueta or self.responsable.dependencia.nombre}"


def clave_por_parte(compromiso: "Compromiso") -> tuple:
    """``CompromisoQuerySet.por_parte`` in Python: for commitments whose party was put back as it was
    at an earlier moment (``VersionTextoQuerySet.textos_al``), after the query ordered them."""
    parte = compromiso.responsable
    return (parte is None, parte.orden if parte else 0, compromiso.responsable_id or 0, compromiso.numero)


def bloques_por_encabezado(compromisos) -> list[tuple[str, list["Compromiso"]]]:
    """Commitments (ordered ``por_parte``) grouped into the report's blocks, in the report's order."""
    return [
        (encabezado, list(filas)) for encabezado, filas in groupby(compromisos, key=lambda c: c.encabezado)
    ]


class Actualizacion(ActualizacionBase):
    CAMPO_ELEMENTO = "compromiso"

    compromiso = models.ForeignKey(
        Compromiso,
        on_delete=models.PROTECT,
        related_name="actualizaciones",
        verbose_name=_("compromiso"),
    )
    propuesta = models.OneToOneField(
        "Propuesta",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="actualizacion",
        verbose_name=_("propuesta aceptada"),
    )

    class Meta(ActualizacionBase.Meta):
        verbose_name = _("actualización de estatus")
        verbose_name_plural = _("actualizaciones de estatus")
        indexes = [
            models.Index(
                fields=["compromiso", "fecha_efectiva", "registrado_en", "id"],
                name="actualizacion_al_idx",
            )
        ]


class Propuesta(PropuestaBase):
    CAMPO_ELEMENTO = "compromiso"

    compromiso = models.ForeignKey(
        Compromiso, on_delete=models.PROTECT, related_name="propuestas", verbose_name=_("compromiso")
    )

    class Meta(PropuestaBase.Meta):
        verbose_name = _("propuesta de actualización")
        verbose_name_plural = _("propuestas de actualización")
        indexes = [models.Index(fields=["compromiso", "registrado_en", "id"], name="propuesta_elemento_idx")]


class Decision(DecisionBase):
    propuesta = models.OneToOneField(
        Propuesta, on_delete=models.PROTECT, related_name="decision", verbose_name=_("propuesta")
    )

    class Meta(DecisionBase.Meta):
        verbose_name = _("decisión sobre una propuesta")
        verbose_name_plural = _("decisiones sobre propuestas")


# Extensions (prórrogas): a liaison asks to move a commitment's due date; a validator decides -----

MENSAJE_PRORROGAS = _(
    "Las solicitudes de prórroga y sus decisiones no se modifican ni se borran; "
    "si una se rechazó, el enlace puede pedir otra."
)


class SolicitudProrrogaQuerySet(SoloAnexionQuerySet):
    def de_proponibles_para(self, usuario):
        """The requests about the commitments ``usuario`` may ask extensions for (``proponibles_para``)."""
        return self.filter(compromiso__in=Compromiso.objects.proponibles_para(usuario).values("pk"))

    def pendientes(self):
        """Requests nobody has decided on yet: «pending» is having no decision row."""
        return self.filter(decision__isnull=True)

    def para_lista(self):
        """The validators' list: pending first (oldest first), then the decided ones (latest decision
        first), with all a row shows, in one query."""
        return self.select_related(
            "compromiso__convenio",
            "compromiso__responsable__dependencia",
            "solicitado_por",
            "dependencia",
            "decision__decidido_por",
        ).order_by(models.F("decision__registrado_en").desc(nulls_first=True), "registrado_en", "pk")

    def para_historial(self):
        """A commitment's requests with their decisions, in the order they were made, in one query."""
        return self.select_related("solicitado_por", "dependencia", "decision__decidido_por").order_by(
            "registrado_en", "pk"
        )


class SolicitudProrroga(ConPermisos, SoloAnexion):
    """A liaison's request to move a commitment's due date (``fecha_limite``) to ``fecha_nueva``, with
    the required justification. Not in effect until a validator approves it (``DecisionProrroga``)."""

    CAMPO_ELEMENTO = "compromiso"
    MENSAJE_INMUTABLE = MENSAJE_PRORROGAS

    compromiso = models.ForeignKey(
        Compromiso,
        on_delete=models.PROTECT,
        related_name="solicitudes_prorroga",
        verbose_name=_("compromiso"),
    )
    fecha_anterior = models.DateField(_("fecha límite al solicitar"), null=True, blank=True, editable=False)
    fecha_nueva = models.DateField(_("nueva fecha límite"))
    justificacion = models.TextField(_("justificación"))
    solicitado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("solicitado por"),
    )
    dependencia = models.ForeignKey(
        Dependencia,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("dependencia"),
    )
    # The database's time on PostgreSQL (``registro_del_sistema``), as for the history.
    registrado_en = models.DateTimeField(_("solicitada el"), default=timezone.now, editable=False)

    objects = SolicitudProrrogaQuerySet.as_manager()

    class Meta:
        verbose_name = _("solicitud de prórroga")
        verbose_name_plural = _("solicitudes de prórroga")
        ordering = ["registrado_en", "pk"]
        indexes = [models.Index(fields=["compromiso", "registrado_en", "id"], name="prorroga_elemento_idx")]

    def __str__(self):
        return _("Prórroga %(de)s al %(fecha)s") % {
            "de": self.compromiso.de_elemento,
            "fecha": self.fecha_nueva.isoformat(),
        }

    @classmethod
    def modelo_elemento(cls) -> type[Compromiso]:
        return Compromiso

    @property
    def solicitado_por_nombre(self) -> str:
        return self.solicitado_por.get_full_name() or self.solicitado_por.get_username()

    def decision_o_none(self) -> "DecisionProrroga | None":
        try:
            return self.decision
        except models.ObjectDoesNotExist:
            return None

    def clean(self):
        super().clean()
        if not (self.justificacion or "").strip():
            raise ValidationError({"justificacion": _("Escriba la justificación de la prórroga.")})
        if self.fecha_nueva is None:
            return
        if self.fecha_nueva < timezone.localdate():
            raise ValidationError({"fecha_nueva": _("La nueva fecha límite no puede estar en el pasado.")})
        if self.fecha_anterior and self.fecha_nueva <= self.fecha_anterior:
            raise ValidationError(
                {
                    "fecha_nueva": _("La nueva fecha límite debe ser posterior a la vigente (%(fecha)s).")
                    % {"fecha": fecha_en_palabras(self.fecha_anterior)}
                }
            )


class DecisionProrroga(ConPermisos, SoloAnexion):
    """A validator's decision on one request (one at most): approved (the due date moves; the date it
    replaced is kept here) or rejected, with the comment the liaison reads."""

    class Tipo(models.TextChoices):
        APROBADA = "aprobada", _("Aprobada")
        RECHAZADA = "rechazada", _("Rechazada")

    # The words of a decision on the page and in the API (``decision=aprobar|rechazar``).
    DECISIONES = {"aprobar": Tipo.APROBADA, "rechazar": Tipo.RECHAZADA}

    MENSAJE_INMUTABLE = MENSAJE_PRORROGAS

    solicitud = models.OneToOneField(
        SolicitudProrroga, on_delete=models.PROTECT, related_name="decision", verbose_name=_("solicitud")
    )
    tipo = models.CharField(_("decisión"), max_length=10, choices=Tipo.choices)
    comentario = models.TextField(_("comentario"), blank=True)
    fecha_anterior = models.DateField(
        _("fecha límite reemplazada"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("La fecha límite que tenía el compromiso cuando se aprobó la prórroga."),
    )
    decidido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decidido por")
    )
    registrado_en = models.DateTimeField(_("decidida el"), default=timezone.now, editable=False)

    objects = SoloAnexionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decisión sobre una prórroga")
        verbose_name_plural = _("decisiones sobre prórrogas")

    def __str__(self):
        return f"{self.get_tipo_display()} ({self.registrado_en:%Y-%m-%d})"

    @property
    def aprobada(self) -> bool:
        return self.tipo == self.Tipo.APROBADA

    @property
    def decidido_por_nombre(self) -> str:
        return self.decidido_por.get_full_name() or self.decidido_por.get_username()

    def clean(self):
        super().clean()
        if self.tipo == self.Tipo.RECHAZADA and not (self.comentario or "").strip():
            raise ValidationError({"comentario": _("Escriba por qué se rechaza: el enlace lo leerá.")})
