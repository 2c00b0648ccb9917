from django.contrib import admin
from django.urls import include, path

from config.views import favicon, salud
from tablero.views import GraficasView, InicioView

admin.site.site_header = "Seguimiento — Contraloría Gubernamental"
admin.site.site_title = "Seguimiento"
admin.site.index_title = "Administración"

urlpatterns = [
    path("", InicioView.as_view(), name="inicio"),
    path("graficas/", GraficasView.as_view(), name="graficas"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("convenios/", include("convenios.urls")),
    path("comisiones/", include("comisiones.urls")),
    path("seguimiento/", include("seguimiento.urls")),
    path("reportes/", include("reportes.urls")),
    path("avisos/", include("avisos.urls")),
    path("datos/", include("datos.urls")),
    path("salud/", salud, name="salud"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/v1/", include("api.urls")),
]

handler500 = "config.views.error_del_servidor"
