from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import DetailView, ListView

from .models import Atribucion, Comision, agrupar_por_materia


class ComisionListView(PermissionRequiredMixin, ListView):
    permission_required = Comision.permiso_lectura()
    template_name = "comisiones/lista.html"
    context_object_name = "comisiones"
    queryset = Comision.objects.select_related("sistema", "tipo")


class ComisionDetailView(PermissionRequiredMixin, DetailView):
    permission_required = Comision.permiso_lectura()
    template_name = "comisiones/detalle.html"
    context_object_name = "comision"
    queryset = Comision.objects.select_related("sistema", "tipo").prefetch_related(
        "objetivos", "colabora_con"
    )

    def get_context_data(self, **kwargs):
        contexto = super().get_context_data(**kwargs)
        atribuciones = Atribucion.objects.filter(comision=self.object).para_fila().order_by("numero")
        contexto["materias"] = agrupar_por_materia(atribuciones)
        contexto.update(Atribucion.contexto_de_filas(self.request.user))
        return contexto
