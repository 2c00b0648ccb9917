"""E-mail reminders: who follows which convenio, and every alert already sent (so none repeats).

A user follows a convenio when they chose to (a ``Suscripcion`` with ``sigue=True``); whoever records
updates on commitments (the Capturista role) follows every convenio unless they opted out of it
(``sigue=False``). Only readers of convenios with an e-mail address receive anything.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from convenios.models import Compromiso, Convenio
from seguimiento.models import Estatus


def usuarios_con_permiso(permiso: str, *, superusuarios: bool = True):
    """Active users holding ``permiso``. ``with_perm`` needs the backend named when several are
    configured: the last one, which holds permissions (the lockout backend before it has none)."""
    return get_user_model().objects.with_perm(
        permiso, include_superusers=superusuarios, backend=settings.AUTHENTICATION_BACKENDS[-1]
    )


def permiso_sigue_todo() -> str:
    """Holding it (through a group or directly; being superuser does not count) means following every
    convenio by default: the people who must act on an overdue commitment, who record its updates."""
    return Compromiso.permiso_escritura()


def seguidores_por_omision():
    """Active users who follow every convenio unless they opted out of one."""
    return usuarios_con_permiso(permiso_sigue_todo(), superusuarios=False)


def sigue_por_omision(usuario) -> bool:
    """Whether ``usuario`` is one of ``seguidores_por_omision()``. For anyone but a superuser that is
    ``has_perm`` (active, holding it directly or through a group: the rule ``with_perm`` queries), read
    from the permissions the page already loaded; a superuser holds every permission in ``has_perm``,
    so for one the query decides."""
    if usuario.is_superuser:
        return seguidores_por_omision().filter(pk=usuario.pk).exists()
    return usuario.is_active and usuario.has_perm(permiso_sigue_todo())


def enlaces():
    """Active users of the Enlace role (``es_enlace``: its permission, never a superuser), who hear
    only of the convenios they may read."""
    return usuarios_con_permiso(Estatus.permiso("solo_lo_vinculado"), superusuarios=False)


def destinatarios():
    """Who may receive reminders: active readers of convenios with an e-mail address."""
    return usuarios_con_permiso(Convenio.permiso_lectura()).exclude(email="")


class SuscripcionQuerySet(models.QuerySet):
    def sigue(self, usuario, convenio) -> bool:
        """Whether ``usuario`` follows ``convenio``: their own choice, else the default of their role."""
        eleccion = self.filter(usuario=usuario, convenio=convenio).values_list("sigue", flat=True).first()
        if eleccion is not None:
            return eleccion
        return sigue_por_omision(usuario)

    def elegir(self, usuario, convenio, sigue: bool) -> "Suscripcion":
        suscripcion, _creada = self.update_or_create(
            usuario=usuario, convenio=convenio, defaults={"sigue": sigue}
        )
        return suscripcion

    def seguidos_por_usuario(self, usuarios, convenios: set[int]) -> dict[int, set[int]]:
        """For each user id, the ids among ``convenios`` they follow (two queries for everyone)."""
        ids = [u.pk for u in usuarios]
        por_omision = set(seguidores_por_omision().filter(pk__in=ids).values_list("pk", flat=True))
        elecciones = {
            (u, c): sigue
            for u, c, sigue in self.filter(usuario_id__in=ids, convenio_id__in=convenios).values_list(
                "usuario_id", "convenio_id", "sigue"
            )
        }
        return {u: {c for c in convenios if elecciones.get((u, c), u in por_omision)} for u in ids}


class Suscripcion(models.Model):
    """A user's own choice about one convenio's reminders: follow it or not."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="suscripciones",
        verbose_name=_("usuario"),
    )
    convenio = models.ForeignKey(
        "convenios.Convenio",
        on_delete=models.CASCADE,
        related_name="suscripciones",
        verbose_name=_("convenio"),
    )
    sigue = models.BooleanField(_("sigue el convenio"), default=True)
    cambiado_en = models.DateTimeField(_("cambiado en"), auto_now=True)

    objects = SuscripcionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suscripción a avisos")
        verbose_name_plural = _("suscripciones a avisos")
        constraints = [models.UniqueConstraint(fields=["usuario", "convenio"], name="suscripcion_unica")]

    def __str__(self):
        return f"{self.usuario} · {self.convenio}"


class AvisoEnviado(models.Model):
    """One alert e-mailed to one user about one commitment in one state. The same alert for the same
    state is never sent again; a new update or a new due date is a new state."""

    class Tipo(models.TextChoices):
        VENCIDO = "vencido", _("Vencido")
        POR_VENCER = "por_vencer", _("Por vencer")
        SIN_ACTUALIZAR = "sin_actualizar", _("Sin actualizar")

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("usuario")
    )
    compromiso = models.ForeignKey(
        "convenios.Compromiso", on_delete=models.CASCADE, related_name="+", verbose_name=_("compromiso")
    )
    tipo = models.CharField(_("tipo de aviso"), max_length=20, choices=Tipo.choices)
    # The state the commitment was in: its current update (status) and its due date.
    actualizacion = models.ForeignKey(
        "convenios.Actualizacion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actualización vigente"),
    )
    fecha_limite = models.DateField(_("fecha límite"), null=True, blank=True)
    estado = models.CharField(
        _("estado"),
        max_length=40,
        editable=False,
        help_text=_("La actualización vigente y la fecha límite, juntas: la clave que no se repite."),
    )
    enviado_en = models.DateTimeField(_("enviado en"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("aviso enviado")
        verbose_name_plural = _("avisos enviados")
        ordering = ["-enviado_en", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["usuario", "compromiso", "tipo", "estado"], name="aviso_unico_por_estado"
            )
        ]

    def __str__(self):
        return f"{self.get_tipo_display()} · {self.compromiso_id} · {self.usuario}"

    @classmethod
    def para(cls, usuario, compromiso, tipo: str) -> "AvisoEnviado":
        """The record of alerting ``usuario`` now about ``compromiso`` in its current state."""
        actualizacion_id, fecha_limite = compromiso.ultima_actualizacion_id, compromiso.fecha_limite
        return cls(
            usuario=usuario,
            compromiso=compromiso,
            tipo=tipo,
            actualizacion_id=actualizacion_id,
            fecha_limite=fecha_limite,
            estado=cls.clave_estado(actualizacion_id, fecha_limite),
        )

    @staticmethod
    def clave_estado(actualizacion_id: int | None, fecha_limite) -> str:
        """Nulls never compare equal in a unique index, so the state is also kept as one string."""
        return f"{actualizacion_id or '-'}/{fecha_limite.isoformat() if fecha_limite else '-'}"

    def save(self, *args, **kwargs):
        self.estado = self.clave_estado(self.actualizacion_id, self.fecha_limite)
        super().save(*args, **kwargs)


class AvisoDeValidacion(models.Model):
    """One alert about the validation loop e-mailed to one user, once: a proposal returned to an
    Enlace (``devuelta:<modelo>:<pk>``), or a proposal or extension request waiting too long for a
    validator (``por_validar:<modelo>:<pk>``). Any kind of item: the key names the row."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("usuario")
    )
    clave = models.CharField(_("clave"), max_length=80)
    enviado_en = models.DateTimeField(_("enviado en"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("aviso de validación enviado")
        verbose_name_plural = _("avisos de validación enviados")
        ordering = ["-enviado_en", "-pk"]
        constraints = [models.UniqueConstraint(fields=["usuario", "clave"], name="aviso_validacion_unico")]

    def __str__(self):
        return f"{self.clave} · {self.usuario}"

    @staticmethod
    def clave_de(tipo: str, fila: models.Model) -> str:
        return f"{tipo}:{fila._meta.label_lower}:{fila.pk}"
