from django.urls import path

from . import views

app_name = "comisiones"
urlpatterns = [
    path("", views.ComisionListView.as_view(), name="lista"),
    path("<slug:slug>/", views.ComisionDetailView.as_view(), name="detalle"),
]
