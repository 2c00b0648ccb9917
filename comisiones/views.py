from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Prefetch
from django.urls import reverse
from django.views.generic import DetailView, ListView

from seguimiento.listas import ListaView

from . import tables
from .filters import AtribucionFilterSet, atribuciones_base
from .models import Atribucion, Comision, agrupar_por_materia


class ComisionListView(PermissionRequiredMixin, ListView):
    permission_required = Comision.permiso_lectura()
    template_name = "comisiones/lista.html"
    context_object_name = "comisiones"

    def get_queryset(self):
        return Comision.objects.visibles_para(self.request.user).select_related("sistema", "tipo")


class ComisionDetailView(PermissionRequiredMixin, DetailView):
    permission_required = Comision.permiso_lectura()
    template_name = "comisiones/detalle.html"
    context_object_name = "comision"

    def get_queryset(self):
        visibles = Comision.objects.visibles_para(self.request.user)
        return visibles.select_related("sistema", "tipo").prefetch_related(
            "objetivos", Prefetch("colabora_con", queryset=visibles)
        )

    def get_context_data(self, **kwargs):
        contexto = super().get_context_data(**kwargs)
        atribuciones = list(Atribucion.objects.filter(comision=self.object).para_fila().order_by("numero"))
        contexto["materias"] = agrupar_por_materia(atribuciones)
        contexto.update(Atribucion.contexto_de_filas(self.request.user, atribuciones))
        return contexto


class AtribucionListView(ListaView):
    """Duties across all commissions, as the commitments page lists commitments: one filtered queryset
    becomes the page, the CSV or the XLSX. Whoever reads the commissions may export what they read."""

    permission_required = Atribucion.permiso_lectura()
    filterset_class = AtribucionFilterSet
    tabla = tables.TABLA
    template_name = "comisiones/atribuciones.html"

    def elementos(self):
        return atribuciones_base()

    def contexto(self) -> dict:
        return {"prefijo_comision": reverse("comisiones:lista")}  # once, not once per row
