"""Issued reports: every downloaded PDF is registered so anyone can later prove what it said."""

import re
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comisiones.models import Comision
from convenios.models import Convenio
from seguimiento.evidencias import almacen_privado
from seguimiento.integridad import Encadenado
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
        may read: every entry with the register's view permission (Gerente, Auditor, superusers), else
        their own. The one rule for pages, PDFs and the API."""
        registro = (
            self.filter(tipo__in=tipos)
            .de_lo_visible_para(usuario)
            .select_related("convenio", "comision", "emitido_por")
        )
        if usuario.has_perm(self.model.permiso_lectura()):
            return registro
        return registro.filter(emitido_por=usuario)

    def buscar(self, folio: str = "", objeto: str = "", emisor: str = ""):
        """The register's search: a folio (``IS-2025-000042`` or its number), words of the convenio's
        or commission's name, and of the issuer's user name or full name; empty criteria match all."""
        registro = self
        if folio := folio.strip().upper():
            coincidencia = FOLIO.match(folio)
            numero = coincidencia["numero"] if coincidencia else folio.removeprefix("IS-").lstrip("0")
            if not numero.isdigit():
                return self.none()
            registro = registro.filter(pk=int(numero))
            if coincidencia:
                registro = registro.filter(emitido_en__year=int(coincidencia["anio"]))
        for palabra in objeto.split():
            registro = registro.filter(
                models.Q(convenio__nombre__icontains=palabra) | models.Q(comision__nombre__icontains=palabra)
            )
        for palabra in emisor.split():
            registro = registro.filter(
                models.Q(emitido_por__username__icontains=palabra)
                | models.Q(emitido_por__first_name__icontains=palabra)
                | models.Q(emitido_por__last_name__icontains=palabra)
            )
        return registro


class InformeEmitido(ConPermisos, Encadenado):
    """One downloaded PDF: what it covered, when, by whom, the SHA-256 of its bytes and the file itself;
    a link of the record's hash chain, whose head at issue time the PDF prints (``cadena_al_emitir``)."""

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
    sha256_contenido = models.CharField(
        _("SHA-256 del contenido"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_(
            "Del informe sin folio, código ni hora: la misma persona que pide el mismo contenido recibe "
            "este informe otra vez. Vacío en los emitidos antes de compararlos."
        ),
    )
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

    cadena_al_emitir = models.CharField(
        _("cabeza de la cadena al emitir"),
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text=_("La huella del registro cuando se emitió: la imprime el pie del PDF."),
    )
    # The e.firma signature (reportes.firma), filled in once when the issuer signs; the signed file
    # replaces ``archivo`` as the one handed out (``archivo`` stays: it is what was drawn).
    firmado_en = models.DateTimeField(_("firmado en"), null=True, blank=True, editable=False)
    firmado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("firmado por"),
    )
    firmante = models.CharField(_("firmante (del certificado)"), max_length=200, blank=True, editable=False)
    firmante_rfc = models.CharField(_("RFC del firmante"), max_length=20, blank=True, editable=False)
    firmante_curp = models.CharField(_("CURP del firmante"), max_length=20, blank=True, editable=False)
    sha256_firmado = models.CharField(
        _("SHA-256 del PDF firmado"), max_length=64, blank=True, db_index=True, editable=False
    )
    archivo_firmado = models.FileField(
        _("PDF firmado"),
        upload_to="informes/%Y/",
        storage=almacen_privado,
        max_length=255,
        blank=True,
        editable=False,
    )

    objects = InformeEmitidoQuerySet.as_manager()

    # The link covers what the register says; the kept file is proved by ``sha256`` (and a report issued
    # before files were kept gets its file later, ``archivar``).
    CAMPOS_EN_HUELLA = (
        "id",
        "tipo",
        "convenio",
        "comision",
        "fecha",
        "emitido_en",
        "emitido_por",
        "codigo",
        "sha256",
        "cadena_al_emitir",
    )
    # The kept file is named by its hash (``sha256``, in the link); the content's hash is a key for
    # issuing once (derived from what the link covers), added after the existing rows were chained.
    # The signature's columns fill in later, once, when the issuer signs (after the link is made);
    # the signed file is checked against ``sha256_firmado`` and its signature by pyHanko.
    FUERA_DE_HUELLA = (
        "archivo",
        "sha256_contenido",
        "firmado_en",
        "firmado_por",
        "firmante",
        "firmante_rfc",
        "firmante_curp",
        "sha256_firmado",
        "archivo_firmado",
    )
    MOMENTO = "emitido_en"

    class Meta:
        verbose_name = _("informe emitido")
        verbose_name_plural = _("informes emitidos")
        ordering = ["-emitido_en", "-pk"]
        # Gates every report (convenio, consolidated, commission), so it lives here, not in convenios.
        permissions = [
            ("descargar_informe", _("Puede descargar informes de seguimiento")),
            ("firmar_informe", _("Puede firmar con e.firma los informes emitidos")),
        ]
        constraints = [
            # One folio per person and content: a second identical request gets the first folio.
            models.UniqueConstraint(
                fields=["emitido_por", "sha256_contenido"],
                condition=~models.Q(sha256_contenido=""),
                name="informe_unico_por_emisor_y_contenido",
            )
        ]

    def __str__(self):
        return self.folio

    @property
    def folio(self) -> str:
        """Derived from the primary key and the year, so it exists before the PDF is drawn."""
        return f"IS-{timezone.localtime(self.emitido_en):%Y}-{self.pk:06d}"

    @property
    def firmado(self) -> bool:
        return self.firmado_en is not None

    @property
    def direccion_de_verificacion(self) -> str:
        """The public page that checks this report, printed on it as text and as a QR code."""
        consulta = urlencode({"folio": self.folio, "codigo": self.codigo_legible})
        return f"{settings.URL_BASE}{reverse('reportes:verificar')}?{consulta}"

    @property
    def codigo_legible(self) -> str:
        return f"{self.codigo[:4]}-{self.codigo[4:]}"

    @property
    def objeto(self):
        return self.convenio or self.comision
