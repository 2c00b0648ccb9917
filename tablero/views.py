from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from convenios.models import Compromiso

from .pendientes import graficas, pendientes


class InicioView(TemplateView):
    """«Pendientes»: what needs attention, for every logged-in user (``LoginRequiredMiddleware``),
    showing only the kinds of item the user may read."""

    template_name = "tablero/inicio.html"

    def get_context_data(self, **kwargs):
        contexto = pendientes(self.request.user, timezone.localdate())
        # The menu's badges read the counts «Por validar» has just made (no query of their own).
        esperas = contexto["por_validar"]
        self.request.prorrogas_pendientes = sum(  # type: ignore[attr-defined]
            e.total for e in esperas if e.clave == "prorrogas"
        )
        self.request.propuestas_pendientes = sum(  # type: ignore[attr-defined]
            e.total for e in esperas if e.clave.startswith("propuestas-")
        )
        return {**super().get_context_data(**kwargs), **contexto}


class GraficasView(PermissionRequiredMixin, TemplateView):
    """The commitments' charts: the home page loads them with htmx once it is shown (the fragment);
    without JavaScript its link opens them as a page of their own."""

    permission_required = Compromiso.permiso_lectura()

    def get_template_names(self):
        return ["reportes/_graficas.html" if self.request.htmx else "tablero/graficas.html"]

    def get_context_data(self, **kwargs):
        hoy = timezone.localdate()
        return {
            **super().get_context_data(**kwargs),
            "hoy": hoy,
            "graficas": graficas(hoy, self.request.user),
        }
