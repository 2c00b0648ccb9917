from django.urls import path

from . import views

app_name = "avisos"
urlpatterns = [
    path("seguir/<slug:slug>/", views.SeguirView.as_view(), name="seguir"),
]
