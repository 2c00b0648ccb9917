from django.contrib import admin

from .models import InformeEmitido


@admin.register(InformeEmitido)
class InformeEmitidoAdmin(admin.ModelAdmin):
    """The register is read-only: a row is written only when a PDF is downloaded."""

    list_display = ["folio", "tipo", "objeto", "fecha", "emitido_en", "emitido_por"]
    list_filter = ["tipo"]
    list_select_related = ["convenio", "comision", "emitido_por"]
    search_fields = ["sha256", "codigo", "convenio__nombre", "comision__nombre"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
