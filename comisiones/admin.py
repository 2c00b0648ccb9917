from django.contrib import admin

from seguimiento.admin import ActualizacionAdminBase, HistorialInline, SeguibleAdminMixin

from .models import (
    ActualizacionAtribucion,
    Atribucion,
    Comision,
    EnlaceComision,
    Objetivo,
    Sistema,
    TipoComision,
)


@admin.register(Sistema)
class SistemaAdmin(admin.ModelAdmin):
    list_display = ["nombre", "siglas"]
    search_fields = ["nombre", "siglas"]


@admin.register(TipoComision)
class TipoComisionAdmin(admin.ModelAdmin):
    list_display = ["nombre"]
    search_fields = ["nombre", "descripcion"]


class AtribucionInline(admin.TabularInline):
    model = Atribucion
    extra = 0
    fields = ["numero", "materia", "texto"]
    show_change_link = True


class ObjetivoInline(admin.TabularInline):
    model = Objetivo
    extra = 0


class EnlaceComisionInline(admin.TabularInline):
    """The Enlaces (users with the Enlace role) who report for this commission."""

    model = EnlaceComision
    extra = 0
    fields = ["usuario", "creado_en"]
    readonly_fields = ["creado_en"]


@admin.register(EnlaceComision)
class EnlaceComisionAdmin(admin.ModelAdmin):
    list_display = ["usuario", "comision", "creado_en"]
    list_filter = ["comision"]
    search_fields = ["usuario__username", "comision__nombre"]
    list_select_related = ["usuario", "comision"]


@admin.register(Comision)
class ComisionAdmin(admin.ModelAdmin):
    list_display = ["nombre", "tipo", "sistema", "publicado"]
    list_filter = ["publicado", "tipo", "sistema"]
    search_fields = ["nombre", "descripcion"]
    prepopulated_fields = {"slug": ["nombre"]}
    filter_horizontal = ["colabora_con"]
    inlines = [AtribucionInline, ObjetivoInline, EnlaceComisionInline]


class ActualizacionAtribucionInline(HistorialInline):
    model = ActualizacionAtribucion
    fk_name = "atribucion"


@admin.register(Atribucion)
class AtribucionAdmin(SeguibleAdminMixin, admin.ModelAdmin):
    list_display = ["numero", "texto", "comision", "materia", "estatus_actual"]
    list_filter = ["comision", "materia", ("estatus_vigente", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["texto"]
    list_select_related = ["comision", "estatus_vigente"]
    readonly_fields = ["version"]
    inlines = [ActualizacionAtribucionInline]


@admin.register(ActualizacionAtribucion)
class ActualizacionAtribucionAdmin(ActualizacionAdminBase):
    list_filter = [*ActualizacionAdminBase.list_filter, "atribucion__comision"]
    search_fields = ["atribucion__texto", "nota"]
    list_select_related = ["atribucion", "estatus", "registrado_por"]
    autocomplete_fields = ["atribucion"]


@admin.register(Objetivo)
class ObjetivoAdmin(admin.ModelAdmin):
    list_display = ["numero", "texto", "comision"]
    list_filter = ["comision"]
    search_fields = ["texto"]
