from django.urls import path

from . import views

app_name = "convenios"
urlpatterns = [
    path("", views.ConvenioListView.as_view(), name="lista"),
    # Before the detail pattern, which would otherwise take "compromisos" for a convenio's slug.
    path("compromisos/", views.CompromisoListView.as_view(), name="compromisos"),
    path("<slug:slug>/", views.ConvenioDetailView.as_view(), name="detalle"),
]
