from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from seguimiento.admin import ActualizacionAdminBase, HistorialInline, SeguibleAdminMixin

from .importacion import FORMATOS_EXPORTACION, FORMATOS_IMPORTACION, ArchivoInvalido, comprobar_subida
from .models import Actualizacion, Compromiso, Convenio, Dependencia, EnlaceDependencia, Parte
from .resources import ActualizacionResource, CompromisoResource, ConvenioResource, ParteResource


class ImportacionForm(ImportForm):
    def clean_import_file(self):
        archivo = self.cleaned_data["import_file"]
        try:
            comprobar_subida(archivo)
        except ArchivoInvalido as e:
            raise ValidationError(str(e)) from e
        return archivo


class ImportacionAdminMixin(ImportExportMixin):
    """Import (with the library's preview) for the Importador role and superusers; export for
    whoever may export. A file with any rejected row writes nothing (see ``convenios.resources``)."""

    import_form_class = ImportacionForm  # refuses an oversized file or zip before the library stores it
    import_formats = FORMATOS_IMPORTACION
    export_formats = FORMATOS_EXPORTACION
    import_error_display = ("message", "row")

    def has_import_permission(self, request):
        return request.user.has_perm(Convenio.permiso("importar_datos"))

    def has_export_permission(self, request):
        return request.user.has_perm(Convenio.permiso("exportar_compromisos"))

    def get_import_resource_classes(self, request):
        # The preview shows each row's values, which needs the library's diff (off for speed elsewhere).
        return [clase.con_vista_previa() for clase in super().get_import_resource_classes(request)]

    def get_import_data_kwargs(self, **kwargs):
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ArchivoInvalido):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file", _("No se pudo leer el archivo: revise que el formato elegido sea el suyo.")
            )


class EnlaceDependenciaInline(admin.TabularInline):
    """The Enlaces (users with the Enlace role) who speak for this institution."""

    model = EnlaceDependencia
    extra = 0
    fields = ["usuario", "creado_en"]
    readonly_fields = ["creado_en"]


@admin.register(Dependencia)
class DependenciaAdmin(admin.ModelAdmin):
    list_display = ["nombre", "siglas", "padre"]
    list_filter = [("padre", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["nombre", "siglas"]
    autocomplete_fields = ["padre"]
    inlines = [EnlaceDependenciaInline]


@admin.register(EnlaceDependencia)
class EnlaceDependenciaAdmin(admin.ModelAdmin):
    list_display = ["usuario", "dependencia", "creado_en"]
    list_filter = [("dependencia", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["usuario__username", "dependencia__nombre", "dependencia__siglas"]
    autocomplete_fields = ["dependencia"]
    list_select_related = ["usuario", "dependencia"]


class ParteInline(admin.TabularInline):
    model = Parte
    extra = 0
    autocomplete_fields = ["dependencia"]


class CompromisoInline(admin.StackedInline):
    model = Compromiso
    extra = 0
    fields = ["numero", "responsable", "texto", "fecha_limite"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responsable":
            convenio_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Parte.objects.filter(convenio_id=convenio_id).select_related("dependencia")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Convenio)
class ConvenioAdmin(ImportacionAdminMixin, admin.ModelAdmin):
    resource_classes = [ConvenioResource]
    list_display = ["nombre", "slug", "fecha_inicio", "fecha_fin", "publicado"]
    search_fields = ["nombre", "slug", "objeto"]
    list_filter = ["publicado", "fecha_inicio", ("dependencias", admin.RelatedOnlyFieldListFilter)]
    prepopulated_fields = {"slug": ["nombre"]}
    inlines = [ParteInline, CompromisoInline]


@admin.register(Parte)
class ParteAdmin(ImportacionAdminMixin, admin.ModelAdmin):
    resource_classes = [ParteResource]
    list_display = ["dependencia", "convenio", "rol", "etiqueta", "orden"]
    list_filter = ["convenio"]
    search_fields = ["dependencia__nombre", "rol", "etiqueta", "convenio__nombre"]
    list_select_related = ["dependencia", "convenio"]


class ActualizacionInline(HistorialInline):
    model = Actualizacion
    fk_name = "compromiso"


@admin.register(Compromiso)
class CompromisoAdmin(ImportacionAdminMixin, SeguibleAdminMixin, admin.ModelAdmin):
    resource_classes = [CompromisoResource]
    list_display = [
        "numero",
        "texto_corto",
        "convenio",
        "responsable",
        "estatus_actual",
        "fecha_estatus",
        "fecha_limite",
    ]
    list_display_links = ["numero", "texto_corto"]
    list_filter = [
        ("estatus_vigente", admin.RelatedOnlyFieldListFilter),
        "convenio",
        ("responsable__dependencia", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["texto", "convenio__nombre"]
    list_select_related = ["convenio", "responsable__dependencia", "estatus_vigente"]
    readonly_fields = ["version", "estatus_actual", "fecha_estatus"]
    inlines = [ActualizacionInline]

    @admin.display(description=_("texto"))
    def texto_corto(self, obj):
        return obj.texto[:90] + ("…" if len(obj.texto) > 90 else "")


@admin.register(Actualizacion)
class ActualizacionAdmin(ImportacionAdminMixin, ActualizacionAdminBase):
    """View-only plus add-through-the-service; import only ever appends (see ActualizacionResource)."""

    resource_classes = [ActualizacionResource]
    list_filter = [*ActualizacionAdminBase.list_filter, "compromiso__convenio"]
    search_fields = ["compromiso__texto", "nota"]
    list_select_related = ["compromiso", "estatus", "registrado_por"]
    autocomplete_fields = ["compromiso"]
