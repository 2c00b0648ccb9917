from django.urls import path

from . import views

app_name = "convenios"
urlpatterns = [
    path("", views.ConvenioListView.as_view(), name="lista"),
    path("<slug:slug>/", views.ConvenioDetailView.as_view(), name="detalle"),
]
