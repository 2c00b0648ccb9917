from django.urls import path

from . import views, views_importacion

app_name = "convenios"
urlpatterns = [
    path("", views.ConvenioListView.as_view(), name="lista"),
    path("compromiso/<int:pk>/actualizar/", views.ActualizarView.as_view(), name="actualizar"),
    path("compromiso/<int:pk>/historial/", views.HistorialView.as_view(), name="historial"),
    path("compromiso/<int:pk>/fila/", views.FilaView.as_view(), name="fila"),
    path("evidencia/<int:pk>/", views.EvidenciaView.as_view(), name="evidencia"),
    # Import/export paths come before the <slug> pattern so they are never read as a convenio.
    path("importacion/", views_importacion.ImportarView.as_view(), name="importar"),
    path(
        "importacion/plantilla.xlsx",
        views_importacion.PlantillaView.as_view(),
        name="plantilla_importacion",
    ),
    path("importacion/exportar.xlsx", views_importacion.ExportarView.as_view(), name="exportar"),
    # Before the detail pattern, which would otherwise take "compromisos" for a convenio's slug.
    path("compromisos/", views.CompromisoListView.as_view(), name="compromisos"),
    path("<slug:slug>/", views.ConvenioDetailView.as_view(), name="detalle"),
]
