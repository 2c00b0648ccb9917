"""Issued reports: every downloaded PDF is registered so anyone can later prove what it said."""

import re
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comisiones.models import Comision
from convenios.models import Convenio
from seguimiento.evidencias import almacen_privado
from seguimiento.models import ConPermisos, es_enlace

FOLIO = re.compile(r"^IS-(?P<anio>\d{4})-(?P<numero>\d{6,})$")


def nuevo_codigo() -> str:
    """A short code printed beside the folio; it proves the folio was read from a real copy."""
    return secrets.token_hex(4).upper()


class InformeEmitidoQuerySet(models.QuerySet):
    def por_folio(self, folio: str):
        """The report with that folio ("IS-2025-000042"), or None for anything else."""
        coincidencia = FOLIO.match(folio.strip().upper())
        if not coincidencia:
            return None
        informe = self.filter(pk=int(coincidencia["numero"])).select_related("convenio", "comision").first()
        if informe is None or timezone.localtime(informe.emitido_en).year != int(coincidencia["anio"]):
            return None
        return informe

    def de_lo_visible_para(self, usuario):
        """The reports on what ``usuario`` may read: for an Enlace, those of its convenios and
        commissions (``visibles_para``; never the consolidated one); for anyone else, all."""
        if not es_enlace(usuario):
            return self
        return self.filter(
            models.Q(convenio__in=Convenio.objects.visibles_para(usuario).values("pk"))
            | models.Q(comision__in=Comision.objects.visibles_para(usuario).values("pk"))
        )

    def visibles_para(self, usuario, tipos):
        """The register as ``usuario`` sees it, among the kinds of report ``tipos`` whose subject they
        may read: every entry with the register's view permission (Gerente, Auditor), else their own."""
        registro = (
            self.filter(tipo__in=tipos)
            .de_lo_visible_para(usuario)
            .select_related("convenio", "comision", "emitido_por")
        )
        if usuario.has_perm(self.model.permiso_lectura()):
            return registro
        return registro.filter(emitido_por=usuario)


class InformeEmitido(ConPermisos, models.Model):
    """One downloaded PDF: what it covered, when, by whom, the SHA-256 of its bytes and the file itself."""

    class Tipo(models.TextChoices):
        CONVENIO = "convenio", _("Informe de Seguimiento de Convenio")
        CONSOLIDADO = "consolidado", _("Informe Consolidado de Convenios")
        COMISION = "comision", _("Informe de Atribuciones de Comisión")

    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    convenio = models.ForeignKey(
        "convenios.Convenio",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="informes_emitidos",
        verbose_name=_("convenio"),
    )
    comision = models.ForeignKey(
        "comisiones.Comision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="informes_emitidos",
        verbose_name=_("comisión"),
    )
    fecha = models.DateField(_("fecha del informe"))
    emitido_en = models.DateTimeField(_("emitido en"), default=timezone.now, editable=False)
    emitido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("emitido por"),
    )
    codigo = models.CharField(_("código de verificación"), max_length=8, default=nuevo_codigo, editable=False)
    sha256 = models.CharField(_("SHA-256 del PDF"), max_length=64, blank=True, db_index=True, editable=False)
    archivo = models.FileField(
        _("PDF emitido"),
        upload_to="informes/%Y/",
        storage=almacen_privado,
        max_length=255,
        blank=True,
        editable=False,
        help_text=_(
            "El archivo tal como se entregó, en el almacén privado; vacío si se emitió antes de archivarlos."
        ),
    )

    objects = InformeEmitidoQuerySet.as_manager()

    class Meta:
        verbose_name = _("informe emitido")
        verbose_name_plural = _("informes emitidos")
        ordering = ["-emitido_en", "-pk"]
        # Gates every report (convenio, consolidated, commission), so it lives here, not in convenios.
        permissions = [("descargar_informe", _("Puede descargar informes de seguimiento"))]

    def __str__(self):
        return self.folio

    @property
    def folio(self) -> str:
        """Derived from the primary key and the year, so it exists before the PDF is drawn."""
        return f"IS-{timezone.localtime(self.emitido_en):%Y}-{self.pk:06d}"

    @property
    def codigo_legible(self) -> str:
        return f"{self.codigo[:4]}-{self.codigo[4:]}"

    @property
    def objeto(self):
        return self.convenio or self.comision
