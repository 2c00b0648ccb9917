from django.urls import path

from . import views
from .models import Seguible


def rutas_de_seguimiento(modelo: type[Seguible], prefijo: str) -> list:
    """The follow-up URLs of one kind of item, to include in its app's ``urlpatterns``.

    Every app names them alike (``actualizar``, ``historial``, ``fila``, ``evidencia``, ``proponer``,
    ``decidir``, ``evidencia_propuesta``) so that ``Seguible`` reverses them from its app label.
    """
    return [
        path(
            f"{prefijo}/<int:pk>/actualizar/", views.ActualizarView.as_view(modelo=modelo), name="actualizar"
        ),
        path(f"{prefijo}/<int:pk>/historial/", views.HistorialView.as_view(modelo=modelo), name="historial"),
        path(f"{prefijo}/<int:pk>/fila/", views.FilaView.as_view(modelo=modelo), name="fila"),
        path("evidencia/<int:pk>/", views.EvidenciaView.as_view(modelo=modelo), name="evidencia"),
        path(f"{prefijo}/<int:pk>/proponer/", views.ProponerView.as_view(modelo=modelo), name="proponer"),
        path("propuesta/<int:pk>/decidir/", views.DecidirView.as_view(modelo=modelo), name="decidir"),
        path(
            "propuesta/<int:pk>/evidencia/",
            views.EvidenciaPropuestaView.as_view(modelo=modelo),
            name="evidencia_propuesta",
        ),
    ]


# The shared pages, under /seguimiento/ (config/urls.py).
app_name = "seguimiento"
urlpatterns = [path("por-validar/", views.PorValidarView.as_view(), name="por_validar")]
