from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .evidencias import TAMANO_MAXIMO, TIPOS, validar_evidencia
from .models import Estatus


class ActualizacionForm(forms.Form):
    """A status update as staff submit it. The service re-checks the rules; this gives the messages."""

    estatus = forms.ChoiceField(label=_("Nuevo estatus"))
    fecha = forms.DateField(
        label=_("Fecha efectiva"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Escriba la fecha como AAAA-MM-DD.")},
    )
    nota = forms.CharField(
        label=_("Nota"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoria cuando el estatus es desfavorable (p. ej. Incumplido)."),
    )
    evidencia = forms.FileField(
        label=_("Evidencia (archivo)"),
        required=False,
        validators=[validar_evidencia],
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(TIPOS))}),
        help_text=_("PDF, imagen o documento de Office; %(mb)s MB como máximo.")
        % {"mb": TAMANO_MAXIMO // 2**20},
    )
    enlace = forms.URLField(
        label=_("Evidencia (enlace)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Escriba una dirección web válida, p. ej. https://ejemplo.gob.mx/doc")},
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, catalogo: list[Estatus] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogo = {e.slug: e for e in (catalogo if catalogo is not None else Estatus.objects.all())}
        self.fields["estatus"].choices = [("", _("— Elija —"))] + [
            (s, e.nombre) for s, e in self.catalogo.items()
        ]
        hoy = timezone.localdate()
        self.fields["fecha"].initial = hoy
        self.fields["fecha"].widget.attrs["max"] = hoy.isoformat()
        self.fields["version"].error_messages["required"] = _(
            "Falta la versión del formulario; recargue la página."
        )

    def clean_estatus(self) -> Estatus:
        return self.catalogo[self.cleaned_data["estatus"]]

    def clean_fecha(self):
        fecha = self.cleaned_data["fecha"]
        if fecha > timezone.localdate():
            raise forms.ValidationError(_("La fecha efectiva no puede estar en el futuro."))
        return fecha

    def clean(self):
        datos = super().clean()
        estatus = datos.get("estatus")
        if estatus and estatus.es_desfavorable and not datos.get("nota", "").strip():
            self.add_error(
                "nota", _("Escriba una nota que explique por qué el estatus pasa a «%(e)s».") % {"e": estatus}
            )
        return datos

    def para_servicio(self) -> dict:
        datos = self.cleaned_data
        return {
            "estatus": datos["estatus"],
            "fecha_efectiva": datos["fecha"],
            "nota": datos.get("nota", ""),
            "evidencia": datos.get("evidencia"),
            "enlace": datos.get("enlace", ""),
            "version": datos["version"],
        }
