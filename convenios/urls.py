from django.urls import path

from . import views

app_name = "convenios"
urlpatterns = [
    path("", views.ConvenioListView.as_view(), name="lista"),
    path("compromiso/<int:pk>/actualizar/", views.ActualizarView.as_view(), name="actualizar"),
    path("compromiso/<int:pk>/historial/", views.HistorialView.as_view(), name="historial"),
    path("compromiso/<int:pk>/fila/", views.FilaView.as_view(), name="fila"),
    path("evidencia/<int:pk>/", views.EvidenciaView.as_view(), name="evidencia"),
    path("<slug:slug>/", views.ConvenioDetailView.as_view(), name="detalle"),
]
