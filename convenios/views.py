from itertools import groupby

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, Max, Prefetch
from django.views.generic import DetailView, ListView

from .models import Compromiso, Convenio, Parte


class ConvenioListView(PermissionRequiredMixin, ListView):
    permission_required = "convenios.view_convenio"
    template_name = "convenios/lista.html"
    context_object_name = "convenios"

    def get_queryset(self):
        return Convenio.objects.annotate(
            num_compromisos=Count("compromisos", distinct=True),
            fecha_actualizacion=Max("compromisos__ultima_actualizacion__fecha_efectiva"),
        ).prefetch_related(Prefetch("partes", queryset=Parte.objects.select_related("dependencia")))


class ConvenioDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "convenios.view_convenio"
    template_name = "convenios/detalle.html"
    context_object_name = "convenio"

    def get_queryset(self):
        return Convenio.objects.prefetch_related(
            Prefetch("partes", queryset=Parte.objects.select_related("dependencia"))
        )

    def get_context_data(self, **kwargs):
        contexto = super().get_context_data(**kwargs)
        compromisos = Compromiso.objects.de_convenio(self.object).con_estatus_actual().order_by("numero")
        contexto["bloques"] = [
            (encabezado, list(filas))
            for encabezado, filas in groupby(compromisos, key=lambda c: c.encabezado)
        ]
        contexto["celebran"] = self.object.celebran(self.object.partes.all())
        return contexto
