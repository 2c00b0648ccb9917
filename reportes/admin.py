from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import InformeEmitido


@admin.register(InformeEmitido)
class InformeEmitidoAdmin(admin.ModelAdmin):
    """The register is read-only: a row is written only when a PDF is issued."""

    list_display = ["folio", "tipo", "objeto", "fecha", "emitido_en", "emitido_por"]
    list_filter = ["tipo"]
    list_select_related = ["convenio", "comision", "emitido_por"]
    search_fields = ["sha256", "codigo", "convenio__nombre", "comision__nombre"]
    readonly_fields = ["emitido_en", "sha256", "sha256_contenido", "pdf_emitido"]

    @admin.display(description=_("PDF emitido"))
    def pdf_emitido(self, obj):
        # The file is private (its storage has no URL): link to the page that checks and serves it.
        return format_html('<a href="{}">{}</a>', reverse("reportes:emitido", args=[obj.folio]), obj.folio)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
