"""API keys in the admin: listed with their first characters, issue date, expiry and last use; issued
here (the key is shown once, on the page that follows) and revoked by deleting them."""

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from rest_framework.authtoken.models import TokenProxy

from .models import ClaveDeAPI

# DRF's own token admin would create keys stored in clear; every key is a ClaveDeAPI now.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


class EmitirClaveForm(forms.ModelForm):
    class Meta:
        model = ClaveDeAPI
        fields = ["usuario"]

    def validate_unique(self):
        """A user who has a key gets a new one, which replaces it (as ``crear_token`` does)."""


@admin.register(ClaveDeAPI)
class ClaveDeAPIAdmin(admin.ModelAdmin):
    form = EmitirClaveForm
    list_display = ["usuario", "prefijo", "creada", "vence", "ultimo_uso"]
    fields = ["usuario"]
    readonly_fields = ["prefijo", "creada", "vence", "ultimo_uso"]
    search_fields = ["usuario__username"]
    ordering = ["usuario__username"]
    list_select_related = ["usuario"]

    def get_fields(self, request, obj=None):
        return ["usuario"] if obj is None else ["usuario", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["usuario", *self.readonly_fields]

    def has_change_permission(self, request, obj=None):
        return False  # a key is issued or revoked, never edited

    def save_model(self, request, obj, form, change):
        fila, request.clave_emitida = ClaveDeAPI.objects.emitir(form.cleaned_data["usuario"])
        for campo in fila._meta.concrete_fields:
            setattr(obj, campo.attname, getattr(fila, campo.attname))

    def response_add(self, request, obj, post_url_continue=None):
        """The key itself, once: it is not stored, so this page is the only place it is ever shown."""
        contexto = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "clave": request.clave_emitida,
            "fila": ClaveDeAPI.objects.select_related("usuario").get(pk=obj.pk),
            "title": "Clave de la API emitida",
        }
        return TemplateResponse(request, "admin/api/clavedeapi/emitida.html", contexto)
