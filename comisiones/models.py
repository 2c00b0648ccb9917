"""Commissions of the National Transparency System (SNT), their duties and objectives.

Duties are followed up with the same status and history mechanism as commitments.
"""

from itertools import groupby

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from seguimiento.models import (
    ROL_ENLACE,
    ActualizacionBase,
    ConPermisos,
    DecisionBase,
    PropuestaBase,
    Seguible,
    SeguibleQuerySet,
    VinculoDeEnlace,
    VisiblesQuerySet,
)


class Sistema(models.Model):
    nombre = models.CharField(_("nombre"), max_length=255, unique=True)
    siglas = models.CharField(_("siglas"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("sistema")
        verbose_name_plural = _("sistemas")
        ordering = ["nombre"]

    def __str__(self):
        return self.siglas or self.nombre


class TipoComision(models.Model):
    nombre = models.CharField(_("nombre"), max_length=120, unique=True)
    descripcion = models.TextField(_("descripción"), blank=True)

    class Meta:
        verbose_name = _("tipo de comisión")
        verbose_name_plural = _("tipos de comisión")
        ordering = ["nombre"]

    def __str__(self):
        return self.nombre


def comisiones_de(usuario) -> models.QuerySet:
    """The ids of the commissions ``usuario`` is linked to as Enlace, as a subquery."""
    return EnlaceComision.objects.filter(usuario=usuario).values("comision_id")


class ComisionQuerySet(VisiblesQuerySet["Comision"]):
    def condicion_enlace(self, usuario) -> models.Q:
        return models.Q(pk__in=comisiones_de(usuario))


class AtribucionQuerySet(SeguibleQuerySet):
    def condicion_enlace(self, usuario) -> models.Q:
        """The duties of its commissions; it may propose for all of them."""
        return models.Q(comision_id__in=comisiones_de(usuario))


class Comision(ConPermisos, models.Model):
    sistema = models.ForeignKey(
        Sistema, on_delete=models.PROTECT, related_name="comisiones", verbose_name=_("sistema")
    )
    tipo = models.ForeignKey(
        TipoComision, on_delete=models.PROTECT, related_name="comisiones", verbose_name=_("tipo")
    )
    nombre = models.CharField(_("nombre"), max_length=255, unique=True)
    slug = models.SlugField(_("clave"), max_length=80, unique=True)
    titulo_ficha = models.CharField(
        _("título de la ficha informativa"),
        max_length=255,
        blank=True,
        help_text=_("La pregunta que encabeza la ficha pública de la comisión, tal como está escrita."),
    )
    descripcion = models.TextField(_("descripción"), blank=True)
    colabora_con = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("colabora con")
    )
    publicado = models.BooleanField(
        _("publicada"),
        default=True,
        db_default=True,
        help_text=_("Si aparece en el tablero público y en los datos abiertos (/datos/)."),
    )

    objects = ComisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("comisión")
        verbose_name_plural = _("comisiones")
        ordering = ["nombre"]

    def __str__(self):
        return self.nombre

    def get_absolute_url(self) -> str:
        return reverse("comisiones:detalle", args=[self.slug])


class Atribucion(Seguible):
    """A duty of a commission, grouped by subject; its status is followed up like a commitment."""

    class Materia(models.TextChoices):
        APERTURA = "apertura", _("En materia de apertura")
        TRANSPARENCIA_PROACTIVA = "transparencia-proactiva", _("En lo relativo a transparencia proactiva")
        AMBAS = "ambas", _("En ambas materias")

    comision = models.ForeignKey(
        Comision, on_delete=models.CASCADE, related_name="atribuciones", verbose_name=_("comisión")
    )
    materia = models.CharField(_("materia"), max_length=30, choices=Materia.choices)
    numero = models.PositiveIntegerField(_("número"))
    texto = models.TextField(_("texto"))
    ultima_actualizacion = models.ForeignKey(
        "ActualizacionAtribucion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("última actualización"),
    )

    objects = AtribucionQuerySet.as_manager()

    RELACIONES_PAGINA = ("comision",)
    CAMPO_CONTENEDOR = "comision"
    DE_ELEMENTO = _("de la atribución %(numero)s")

    class Meta:
        verbose_name = _("atribución")
        verbose_name_plural = _("atribuciones")
        ordering = ["comision", "numero"]
        constraints = [models.UniqueConstraint(fields=["comision", "numero"], name="atribucion_numero_unico")]

    def __str__(self):
        return f"{self.numero}. {self.texto[:80]}"

    @property
    def contenedor(self) -> Comision:
        return self.comision


class EnlaceComision(VinculoDeEnlace):
    """An Enlace reports for this commission: it reads it and proposes updates to its duties."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enlaces_comision",
        limit_choices_to={"groups__name": ROL_ENLACE},
        verbose_name=_("enlace"),
    )
    comision = models.ForeignKey(
        Comision, on_delete=models.CASCADE, related_name="enlaces", verbose_name=_("comisión")
    )

    class Meta:
        verbose_name = _("enlace de la comisión")
        verbose_name_plural = _("enlaces de la comisión")
        ordering = ["comision", "usuario"]
        constraints = [models.UniqueConstraint(fields=["usuario", "comision"], name="enlace_comision_unico")]

    OPCION = "comision"
    AYUDA = _("Comisión, por su clave (slug; se puede repetir).")

    def __str__(self):
        return f"{self.usuario} – {self.comision}"

    @classmethod
    def buscar(cls, valor: str) -> Comision:
        try:
            return Comision.objects.get(slug=valor)
        except Comision.DoesNotExist:
            raise LookupError(_("No existe la comisión con clave «%(valor)s».") % {"valor": valor}) from None


def agrupar_por_materia(atribuciones) -> list[tuple[str, list[Atribucion]]]:
    """Duties grouped by subject, subjects in their fixed order, duties by number within each."""
    orden = list(Atribucion.Materia.values)
    ordenadas = sorted(atribuciones, key=lambda a: (orden.index(a.materia), a.numero))
    return [
        (Atribucion.Materia(materia).label, list(filas))
        for materia, filas in groupby(ordenadas, key=lambda a: a.materia)
    ]


class ActualizacionAtribucion(ActualizacionBase):
    CAMPO_ELEMENTO = "atribucion"

    atribucion = models.ForeignKey(
        Atribucion,
        on_delete=models.PROTECT,
        related_name="actualizaciones",
        verbose_name=_("atribución"),
    )
    propuesta = models.OneToOneField(
        "PropuestaAtribucion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="actualizacion",
        verbose_name=_("propuesta aceptada"),
    )

    class Meta(ActualizacionBase.Meta):
        verbose_name = _("actualización de atribución")
        verbose_name_plural = _("actualizaciones de atribuciones")
        indexes = [
            models.Index(
                fields=["atribucion", "fecha_efectiva", "registrado_en", "id"],
                name="act_atribucion_al_idx",
            )
        ]


class PropuestaAtribucion(PropuestaBase):
    CAMPO_ELEMENTO = "atribucion"

    atribucion = models.ForeignKey(
        Atribucion, on_delete=models.PROTECT, related_name="propuestas", verbose_name=_("atribución")
    )

    class Meta(PropuestaBase.Meta):
        verbose_name = _("propuesta de actualización de atribución")
        verbose_name_plural = _("propuestas de actualización de atribuciones")
        indexes = [
            models.Index(fields=["atribucion", "registrado_en", "id"], name="propuesta_atribucion_idx")
        ]


class DecisionAtribucion(DecisionBase):
    propuesta = models.OneToOneField(
        PropuestaAtribucion, on_delete=models.PROTECT, related_name="decision", verbose_name=_("propuesta")
    )

    class Meta(DecisionBase.Meta):
        verbose_name = _("decisión sobre una propuesta de atribución")
        verbose_name_plural = _("decisiones sobre propuestas de atribuciones")


class Objetivo(models.Model):
    comision = models.ForeignKey(
        Comision, on_delete=models.CASCADE, related_name="objetivos", verbose_name=_("comisión")
    )
    numero = models.PositiveIntegerField(_("número"))
    texto = models.TextField(_("texto"))

    class Meta:
        verbose_name = _("objetivo")
        verbose_name_plural = _("objetivos")
        ordering = ["comision", "numero"]
        constraints = [models.UniqueConstraint(fields=["comision", "numero"], name="objetivo_numero_unico")]

    def __str__(self):
        return self.texto[:80]
