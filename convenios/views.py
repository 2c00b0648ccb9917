from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, Max, Prefetch
from django.urls import reverse
from django.views.generic import DetailView, ListView

from seguimiento.busqueda import buscar
from seguimiento.listas import ListaView
from seguimiento.models import Estatus

from . import tables
from .filters import CompromisoFilterSet, compromisos_base
from .models import Compromiso, Convenio, Parte, bloques_por_encabezado


class ConvenioListView(PermissionRequiredMixin, ListView):
    permission_required = Convenio.permiso_lectura()
    template_name = "convenios/lista.html"
    context_object_name = "convenios"

    def get_queryset(self):
        convenios = (
            Convenio.objects.visibles_para(self.request.user)
            .annotate(
                num_compromisos=Count("compromisos", distinct=True),
                fecha_actualizacion=Max("compromisos__fecha_vigente"),
            )
            .prefetch_related(Prefetch("partes", queryset=Parte.objects.select_related("dependencia")))
        )
        self.busqueda = self.request.GET.get("q", "").strip()[:200]
        if self.busqueda:
            convenios = buscar(convenios, ["nombre", "nota"], self.busqueda)
        return convenios

    def get_context_data(self, **kwargs):
        contexto = super().get_context_data(**kwargs)
        conteos = (
            Compromiso.objects.filter(convenio__in=[c.pk for c in contexto["convenios"]])
            .values_list("convenio_id", "estatus_vigente_id")
            .annotate(n=Count("pk"))
        )
        estatus = Estatus.objects.por_id()
        desglose = {}
        for convenio_id, estatus_id, n in conteos:
            desglose.setdefault(convenio_id, []).append((estatus.get(estatus_id), n))
        for convenio in contexto["convenios"]:
            orden = sorted(desglose.get(convenio.pk, []), key=lambda par: par[0].orden if par[0] else 999)
            convenio.desglose = orden
            convenio.texto_partes = convenio.celebran(convenio.partes.all())
        contexto["busqueda"] = self.busqueda
        return contexto


class ConvenioDetailView(PermissionRequiredMixin, DetailView):
    permission_required = Convenio.permiso_lectura()
    template_name = "convenios/detalle.html"
    context_object_name = "convenio"

    def get_queryset(self):
        return Convenio.objects.visibles_para(self.request.user)

    def get_context_data(self, **kwargs):
        contexto = super().get_context_data(**kwargs)
        compromisos = list(Compromiso.objects.de_convenio(self.object).para_fila().por_parte())
        contexto["bloques"] = bloques_por_encabezado(compromisos)
        contexto["celebran"] = self.object.celebran()
        contexto.update(Compromiso.contexto_de_filas(self.request.user, compromisos))
        return contexto


class CompromisoListView(ListaView):
    """Commitments across all convenios: one filtered queryset becomes the page, the CSV or the XLSX."""

    permission_required = Compromiso.permiso_lectura()
    permiso_exportar = Convenio.permiso("exportar_compromisos")
    filterset_class = CompromisoFilterSet
    tabla = tables.TABLA
    template_name = "convenios/compromisos.html"

    def elementos(self):
        return compromisos_base()

    def contexto(self) -> dict:
        return {"prefijo_convenio": reverse("convenios:lista")}  # once, not once per row
