from django.urls import path

from seguimiento.urls import rutas_de_seguimiento

from . import views, views_importacion, views_prorrogas
from .models import Compromiso

app_name = "convenios"
urlpatterns = [
    path("", views.ConvenioListView.as_view(), name="lista"),
    # convenios:actualizar, :historial, :fila (compromiso/<pk>/…) and :evidencia (evidencia/<pk>/).
    *rutas_de_seguimiento(Compromiso, "compromiso"),
    path("compromiso/<int:pk>/prorrogar/", views_prorrogas.ProrrogarView.as_view(), name="prorrogar"),
    path("prorrogas/", views_prorrogas.ProrrogasView.as_view(), name="prorrogas"),
    path(
        "prorroga/<int:pk>/decidir/",
        views_prorrogas.DecidirProrrogaView.as_view(),
        name="decidir_prorroga",
    ),
    # Import/export paths come before the <slug> pattern so they are never read as a convenio.
    path("importacion/", views_importacion.ImportarView.as_view(), name="importar"),
    path(
        "importacion/plantilla.xlsx",
        views_importacion.PlantillaView.as_view(),
        name="plantilla_importacion",
    ),
    path(
        "importacion/plantilla.ods",
        views_importacion.PlantillaView.as_view(formato="ods"),
        name="plantilla_importacion_ods",
    ),
    path("importacion/exportar.xlsx", views_importacion.ExportarView.as_view(), name="exportar"),
    # Before the detail pattern, which would otherwise take "compromisos" for a convenio's slug.
    path("compromisos/", views.CompromisoListView.as_view(), name="compromisos"),
    path("<slug:slug>/", views.ConvenioDetailView.as_view(), name="detalle"),
]
