from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .evidencias import TAMANO_MAXIMO, TIPOS
from .models import ActualizacionBase, Estatus, Seguible

# Form field → model field, where the names differ (the POST contract says ``fecha``).
CAMPOS_DEL_MODELO = {"fecha": "fecha_efectiva"}


class ActualizacionForm(forms.Form):
    """A status update as staff submit it: it builds the update and lets the model's ``clean()``
    decide (date not in the future, a note for an unfavourable status, evidence content)."""

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
    nota_publica = forms.BooleanField(
        label=_("Nota pública"),
        required=False,
        help_text=_("Márquela para publicar la nota en el tablero público y los datos abiertos."),
    )
    evidencia = forms.FileField(
        label=_("Evidencia (archivo)"),
        required=False,
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

    def __init__(self, *args, elemento: Seguible, catalogo: list[Estatus] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.elemento = elemento
        if catalogo is None:
            catalogo = Estatus.objects.vigentes()
        self.catalogo = {e.slug: e for e in catalogo}
        cast(forms.ChoiceField, self.fields["estatus"]).choices = [("", _("— Elija —"))] + [
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

    def actualizacion(self) -> ActualizacionBase:
        """The unsaved update this form describes (the service fills in who, when and the previous status)."""
        datos = self.cleaned_data
        modelo = type(self.elemento).modelo_actualizacion()
        # Called by ``_post_clean`` too, when a field may have failed: its value is then None.
        campos: dict[str, object] = {
            modelo.CAMPO_ELEMENTO: self.elemento,
            "estatus": datos.get("estatus"),
            "fecha_efectiva": datos.get("fecha"),
            "nota": datos.get("nota", "").strip(),
            "nota_publica": datos.get("nota_publica", False),
            "evidencia": datos.get("evidencia") or "",
            "enlace": datos.get("enlace", ""),
        }
        return modelo(**campos)

    def _post_clean(self):
        """The model's rules, reported on this form's fields (as ``ModelForm`` does)."""
        # The status comes from the catalogue already read: no need to query it again.
        validables = {"fecha", "nota", "evidencia", "enlace"} & set(self.cleaned_data)
        excluir = {c.name for c in type(self.elemento).modelo_actualizacion()._meta.fields} - {
            CAMPOS_DEL_MODELO.get(c, c) for c in validables
        }
        try:
            self.actualizacion().full_clean(
                exclude=excluir, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            hacia_el_form = {v: k for k, v in CAMPOS_DEL_MODELO.items()}
            for campo, mensajes in error.message_dict.items():
                campo = hacia_el_form.get(campo, campo)
                self.add_error(campo if campo in self.fields else None, mensajes)

    def full_clean(self):
        """Point each field with an error at its message, so a screen reader says why, not only "invalid"."""
        super().full_clean()
        for nombre in self.errors:
            if nombre in self.fields:
                campo = self[nombre]
                descritos = [f"{campo.auto_id}_error"] + (
                    [f"{campo.auto_id}_helptext"] if campo.help_text else []
                )
                campo.field.widget.attrs["aria-describedby"] = " ".join(descritos)

    def para_servicio(self) -> dict:
        datos = self.cleaned_data
        return {
            "estatus": datos["estatus"],
            "fecha_efectiva": datos["fecha"],
            "nota": datos.get("nota", ""),
            "nota_publica": datos.get("nota_publica", False),
            "evidencia": datos.get("evidencia"),
            "enlace": datos.get("enlace", ""),
            "version": datos["version"],
        }
