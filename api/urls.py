from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("convenios", views.ConvenioViewSet, basename="convenio")
router.register("compromisos", views.CompromisoViewSet, basename="compromiso")
router.register("comisiones", views.ComisionViewSet, basename="comision")
router.register("atribuciones", views.AtribucionViewSet, basename="atribucion")
router.register("estatus", views.EstatusViewSet, basename="estatus")
router.register("informes", views.InformeViewSet, basename="informe")
router.register("propuestas", views.PropuestaViewSet, basename="propuesta")
router.register("prorrogas", views.ProrrogaViewSet, basename="prorroga")

documentacion = SpectacularSwaggerSplitView.as_view(
    url_name="api:esquema", template_name="api/swagger_ui.html"
)
# A page for people: without a session, the login page (as every other page), not a 401.
documentacion.login_required = True

urlpatterns = [
    path("esquema/", SpectacularAPIView.as_view(), name="esquema"),
    path("docs/", documentacion, name="docs"),
    *router.urls,
]
