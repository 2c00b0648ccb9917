"""API keys, kept as a SHA-256 digest: the key itself is shown once, when it is issued, and never stored."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How often the last use is written: a key used every second costs one write a minute, not one a request.
REGISTRAR_USO_CADA = datetime.timedelta(minutes=1)


def resumen_de(clave: str) -> str:
    return hashlib.sha256(clave.encode()).hexdigest()


def huella_de_contrasena(usuario) -> str:
    """Changes whenever the stored password does (any door: a form, the admin, a reset, a command)."""
    return hashlib.sha256(usuario.password.encode()).hexdigest()


class ClaveDeAPIQuerySet(models.QuerySet):
    @transaction.atomic
    def emitir(self, usuario) -> tuple["ClaveDeAPI", str]:
        """A new key for ``usuario`` (their previous one stops working): the row and the key itself,
        which only the caller ever sees."""
        self.filter(usuario=usuario).delete()
        clave = secrets.token_hex(20)  # 40 characters, the shape DRF's tokens had
        fila = self.create(
            usuario=usuario,
            prefijo=clave[:8],
            resumen=resumen_de(clave),
            huella_de_contrasena=huella_de_contrasena(usuario),
        )
        return fila, clave


class ClaveDeAPI(models.Model):
    """A user's key for ``Authorization: Token <clave>``: at most one per user. It stops working when
    the user's password changes, and ``API_TOKEN_DIAS`` days after it was issued (if that is set)."""

    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="clave_de_api",
        verbose_name=_("usuario"),
    )
    prefijo = models.CharField(_("primeros caracteres"), max_length=8, editable=False)
    resumen = models.CharField(_("SHA-256 de la clave"), max_length=64, unique=True, editable=False)
    huella_de_contrasena = models.CharField(max_length=64, editable=False)
    creada = models.DateTimeField(_("emitida"), default=timezone.now, editable=False)
    ultimo_uso = models.DateTimeField(_("último uso"), null=True, blank=True, editable=False)

    objects = ClaveDeAPIQuerySet.as_manager()

    class Meta:
        verbose_name = _("clave de la API")
        verbose_name_plural = _("claves de la API")

    def __str__(self) -> str:
        return f"{self.prefijo}… ({self.usuario})"

    @property
    def vence(self) -> datetime.datetime | None:
        dias = settings.API_TOKEN_DIAS
        return None if dias is None else self.creada + datetime.timedelta(days=dias)

    def vencida(self, ahora: datetime.datetime) -> bool:
        return self.vence is not None and ahora >= self.vence

    def revocada_por_contrasena(self) -> bool:
        return not secrets.compare_digest(self.huella_de_contrasena, huella_de_contrasena(self.usuario))

    def registrar_uso(self, ahora: datetime.datetime) -> None:
        if self.ultimo_uso is None or ahora - self.ultimo_uso >= REGISTRAR_USO_CADA:
            self.ultimo_uso = ahora
            ClaveDeAPI.objects.filter(pk=self.pk).update(ultimo_uso=ahora)
