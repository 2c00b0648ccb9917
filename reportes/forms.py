import hashlib
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import firma
from .firma import EstadoFirma
from .informes import REPORTES
from .models import InformeEmitido
from .services import ArchivoAlterado, leer_archivado

TAMANO_MAXIMO = 20 * 1024 * 1024
# A SAT .cer or .key weighs 1–2 KB; the request that brings them, at most SUBIDAS_MAXIMAS["reportes:firmar"].
TAMANO_EFIRMA = 16 * 1024


@dataclass
class Resultado:
    autentico: bool
    mensaje: str
    informe: InformeEmitido | None = None
    firma: EstadoFirma | None = None  # pyHanko's verdict on the signed file checked, if signed
    alterado: str = ""  # the kept signed file is missing or altered

    @property
    def titulo(self) -> str:
        return REPORTES[self.informe.tipo].titulo(self.informe.objeto) if self.informe else ""


class VerificarForm(forms.Form):
    folio = forms.CharField(
        label=_("Folio"), max_length=30, required=False, help_text=_("p. ej. IS-2025-000042")
    )
    codigo = forms.CharField(
        label=_("Código de verificación"), max_length=12, required=False, help_text=_("p. ej. 3F9A-07C2")
    )
    archivo = forms.FileField(label=_("o el archivo PDF recibido"), required=False)

    def clean_archivo(self):
        archivo = self.cleaned_data["archivo"]
        if archivo and archivo.size > TAMANO_MAXIMO:
            raise forms.ValidationError(_("El archivo pasa de 20 MB; ningún informe emitido es tan grande."))
        return archivo

    def clean(self):
        datos = super().clean()
        folio, codigo, archivo = datos.get("folio"), datos.get("codigo"), datos.get("archivo")
        if not archivo and not (folio and codigo) and not self.errors:
            raise forms.ValidationError(
                _(
                    "Escriba el folio y el código de verificación impresos en el informe, "
                    "o suba el archivo PDF."
                )
            )
        return datos

    def resultado(self) -> Resultado:
        archivo = self.cleaned_data["archivo"]
        if archivo:
            contenido = b"".join(archivo.chunks())
            suma = hashlib.sha256(contenido).hexdigest()
            informe = (
                InformeEmitido.objects.filter(Q(sha256=suma) | Q(sha256_firmado=suma))
                .select_related("convenio", "comision")
                .first()
            )
            if informe is None:
                return Resultado(
                    False,
                    _(
                        "El archivo no corresponde a ningún informe emitido: no es auténtico "
                        "o fue modificado después de su emisión."
                    ),
                )
            if informe.firmado and suma == informe.sha256:
                mensaje = _(
                    "El archivo es idéntico, byte por byte, al informe emitido antes de firmarlo; "
                    "el informe firmado es otro archivo."
                )
                return Resultado(True, mensaje, informe)
            mensaje = _("El archivo es idéntico, byte por byte, al informe emitido.")
            return Resultado(
                True, mensaje, informe, firma.revisar_firma(contenido) if informe.firmado else None
            )
        informe = InformeEmitido.objects.por_folio(self.cleaned_data["folio"])
        codigo = self.cleaned_data["codigo"].replace("-", "").replace(" ", "").upper()
        if informe is None or informe.codigo != codigo:
            return Resultado(
                False, _("No hay un informe emitido con ese folio y ese código de verificación.")
            )
        resultado = Resultado(True, _("El folio y el código corresponden a un informe emitido."), informe)
        if informe.firmado:
            try:
                resultado.firma = firma.revisar_firma(leer_archivado(informe, firmado=True))
            except ArchivoAlterado as error:
                resultado.alterado = str(error)
        return resultado


class FirmarForm(forms.Form):
    """The issuer's e.firma, read in memory for one request and never kept."""

    cer = forms.FileField(label=_("Certificado (.cer)"))
    key = forms.FileField(label=_("Clave privada (.key)"))
    contrasena = forms.CharField(
        label=_("Contraseña de la clave privada"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def _leer(self, campo: str) -> bytes:
        archivo = self.cleaned_data[campo]
        if archivo.size > TAMANO_EFIRMA:
            raise forms.ValidationError(_("El archivo pasa de 16 KB; no es un archivo de e.firma."))
        return archivo.read()

    def clean_cer(self) -> bytes:
        return self._leer("cer")

    def clean_key(self) -> bytes:
        return self._leer("key")


class BuscarEmitidosForm(forms.Form):
    """The register's search (``reportes:indice``): by folio, convenio or commission, and issuer."""

    folio = forms.CharField(label=_("Folio"), max_length=30, required=False, help_text=_("o su número"))
    objeto = forms.CharField(label=_("Convenio o comisión"), max_length=100, required=False)
    emisor = forms.CharField(label=_("Emitido por"), max_length=100, required=False)

    def filtrar(self, registro):
        if not self.is_valid():
            return registro.none()
        return registro.buscar(**self.cleaned_data)

    @property
    def activa(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())
