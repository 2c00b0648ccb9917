from django.urls import path

from . import views
from .models import Seguible


def rutas_de_seguimiento(modelo: type[Seguible], prefijo: str) -> list:
    """The follow-up URLs of one kind of item, to include in its app's ``urlpatterns``.

    Every app names them alike (``actualizar``, ``historial``, ``fila``, ``evidencia``) so that
    ``Seguible`` reverses them from its app label.
    """
    return [
        path(
            f"{prefijo}/<int:pk>/actualizar/", views.ActualizarView.as_view(modelo=modelo), name="actualizar"
        ),
        path(f"{prefijo}/<int:pk>/historial/", views.HistorialView.as_view(modelo=modelo), name="historial"),
        path(f"{prefijo}/<int:pk>/fila/", views.FilaView.as_view(modelo=modelo), name="fila"),
        path("evidencia/<int:pk>/", views.EvidenciaView.as_view(modelo=modelo), name="evidencia"),
    ]
