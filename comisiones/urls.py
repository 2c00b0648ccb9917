from django.urls import path

from seguimiento.urls import rutas_de_seguimiento

from . import views
from .models import Atribucion

app_name = "comisiones"
urlpatterns = [
    path("", views.ComisionListView.as_view(), name="lista"),
    path("atribuciones/", views.AtribucionListView.as_view(), name="atribuciones"),
    # comisiones:actualizar, :historial, :fila (atribucion/<pk>/…) and :evidencia (evidencia/<pk>/).
    *rutas_de_seguimiento(Atribucion, "atribucion"),
    path("<slug:slug>/", views.ComisionDetailView.as_view(), name="detalle"),
]
