"""The extension request's form (the decision is two buttons and a comment: ``prorrogas.html``)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ProrrogaForm(forms.Form):
    fecha_nueva = forms.DateField(
        label=_("Nueva fecha límite"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    justificacion = forms.CharField(
        label=_("Justificación"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Por qué la institución necesita más tiempo; la Contraloría la leerá para decidir."),
        error_messages={"required": _("Escriba la justificación de la prórroga.")},
    )
