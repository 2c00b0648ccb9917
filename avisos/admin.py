from django.contrib import admin

from .models import AvisoEnviado, Suscripcion


@admin.register(Suscripcion)
class SuscripcionAdmin(admin.ModelAdmin):
    list_display = ["usuario", "convenio", "sigue", "cambiado_en"]
    list_filter = ["sigue"]
    list_select_related = ["usuario", "convenio"]
    search_fields = ["usuario__username", "convenio__nombre"]


@admin.register(AvisoEnviado)
class AvisoEnviadoAdmin(admin.ModelAdmin):
    """What was e-mailed to whom; written only by ``enviar_recordatorios``."""

    list_display = ["enviado_en", "usuario", "tipo", "compromiso", "fecha_limite"]
    list_filter = ["tipo"]
    list_select_related = ["usuario", "compromiso__convenio"]
    search_fields = ["usuario__username", "compromiso__convenio__nombre"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
