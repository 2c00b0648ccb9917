from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config.vistas import salud

admin.site.site_header = "Seguimiento — Contraloría Gubernamental"
admin.site.site_title = "Seguimiento"
admin.site.index_title = "Administración"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="convenios:lista", permanent=False), name="inicio"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("convenios/", include("convenios.urls")),
    path("comisiones/", include("comisiones.urls")),
    path("reportes/", include("reportes.urls")),
    path("salud/", salud, name="salud"),
    path("api/v1/", include("api.urls")),
]

handler500 = "config.vistas.error_del_servidor"
