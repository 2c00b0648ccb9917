from django import forms
from django.utils.translation import gettext_lazy as _


class SeguirForm(forms.Form):
    sigue = forms.TypedChoiceField(
        label=_("Seguir este convenio"),
        choices=[("1", _("Seguir")), ("0", _("Dejar de seguir"))],
        coerce=lambda valor: valor == "1",
    )
