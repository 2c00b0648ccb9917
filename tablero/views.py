from django.utils import timezone
from django.views.generic import TemplateView

from .pendientes import pendientes


class InicioView(TemplateView):
    """«Pendientes»: what needs attention, for every logged-in user (``LoginRequiredMiddleware``),
    showing only the kinds of item the user may read."""

    template_name = "tablero/inicio.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **pendientes(self.request.user, timezone.localdate())}
