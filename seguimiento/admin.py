"""Admin pieces every followed-up item uses: history is shown read-only and added through the service."""

from pathlib import PurePath

from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import RECIENTES_PRIMERO, Estatus, VersionTexto
from .services import registrar_actualizacion


@admin.register(Estatus)
class EstatusAdmin(admin.ModelAdmin):
    list_display = ["nombre", "slug", "categoria", "orden", "retirado"]
    list_filter = ["categoria", "retirado"]
    search_fields = ["nombre", "slug"]

    def get_readonly_fields(self, request, obj=None):
        # A status used in history keeps the category and key past reports were drawn with.
        return list(Estatus.FIJOS_EN_USO) if obj is not None and obj.en_uso() else ["slug"]

    def has_delete_permission(self, request, obj=None):
        # History refers to statuses; one that should no longer be used is retired, never deleted.
        return False


class DescargaEvidenciaMixin:
    """The evidence file as a link to ``<app>:evidencia``, the download that checks permissions: the
    private storage has no public URL, so the admin's own file widget cannot show it."""

    @admin.display(description=_("evidencia (archivo)"))
    def descarga_evidencia(self, obj):
        if not obj or not obj.evidencia:
            return None
        return format_html('<a href="{}">{}</a>', obj.url_evidencia, PurePath(obj.evidencia.name).name)


class HistorialInline(DescargaEvidenciaMixin, admin.TabularInline):
    """The status history, read-only: updates are added through the service, never edited."""

    extra = 0
    can_delete = False
    show_change_link = False
    readonly_fields = (
        "fecha_efectiva",
        "estatus_anterior",
        "estatus",
        "nota",
        "nota_publica",
        "descarga_evidencia",
        "enlace",
        "registrado_por",
        "registrado_en",
        "capturado_por_declarado",
        "capturado_en_declarado",
    )
    fields = readonly_fields
    ordering = RECIENTES_PRIMERO

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActualizacionAdminBase(DescargaEvidenciaMixin, admin.ModelAdmin):
    """Updates can be added (through the service, so the rules hold) but never changed or deleted."""

    list_display = ["elemento_corto", "estatus", "fecha_efectiva", "registrado_por", "registrado_en"]
    list_filter = ["estatus", "fecha_efectiva"]
    date_hierarchy = "fecha_efectiva"
    readonly_fields = [
        "estatus_anterior",
        "registrado_por",
        "registrado_en",
        "capturado_por_declarado",
        "capturado_en_declarado",
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fields(self, request, obj=None):
        # A recorded update is only viewed: its file is shown as the download link, not the widget.
        campos = super().get_fields(request, obj)
        if obj is None:
            return campos
        campos = [c for c in campos if c != "descarga_evidencia"]
        return ["descarga_evidencia" if c == "evidencia" else c for c in campos]

    def get_readonly_fields(self, request, obj=None):
        campos = super().get_readonly_fields(request, obj)
        return [*campos, "descarga_evidencia"] if obj is not None else campos

    @admin.display(description=_("elemento"))
    def elemento_corto(self, obj):
        return str(obj.elemento)[:80]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "estatus":
            kwargs["queryset"] = Estatus.objects.vigentes()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        nueva = registrar_actualizacion(
            obj.elemento,
            estatus=obj.estatus,
            fecha_efectiva=obj.fecha_efectiva,
            nota=obj.nota,
            nota_publica=obj.nota_publica,
            usuario=request.user,
            evidencia=form.cleaned_data.get("evidencia") or None,
            enlace=obj.enlace,
        )
        obj.pk = nueva.pk
        obj._state.adding = False


class SeguibleAdminMixin:
    """The current status columns of a followed-up item's list, read from its copies."""

    @admin.display(description=_("estatus actual"), ordering="estatus_vigente__orden")
    def estatus_actual(self, obj):
        return obj.estatus_vigente or _("Sin estatus")

    @admin.display(description=_("fecha efectiva"), ordering="fecha_vigente")
    def fecha_estatus(self, obj):
        return obj.fecha_vigente


@admin.register(VersionTexto)
class VersionTextoAdmin(admin.ModelAdmin):
    """Text versions, view only: the models write them (``ConVersiones``), nobody edits them."""

    list_display = ["registrado_en", "modelo", "objeto_id", "campo", "registrado_por"]
    list_filter = ["modelo", "campo"]
    list_select_related = ["registrado_por"]
    search_fields = ["anterior", "nuevo"]
    date_hierarchy = "registrado_en"
    fields = readonly_fields = (
        "modelo",
        "objeto_id",
        "campo",
        "anterior",
        "nuevo",
        "registrado_por",
        "registrado_en",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
