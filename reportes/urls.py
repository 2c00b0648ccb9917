from django.urls import path

from . import views

app_name = "reportes"
urlpatterns = [
    path("informe/<slug:slug>/", views.InformeView.as_view(), name="informe"),
]
