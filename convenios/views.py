from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from seguimiento.models import Estatus

from . import tables
from .filters import ORDEN_INICIAL, CompromisoFilterSet, compromisos_base
from .models import Compromiso, Convenio, Parte, bloques_por_encabezado


class ConvenioListView(PermissionRequiredMixin, ListView):
    permission_required = Convenio.permiso_lectura()
    template_name = "convenios/lista.html"
    context_object_name = "convenios"

    def get_queryset(self):
        convenios = Convenio.objects.annotate(
            num_compromisos=Count("compromisos", distinct=True),
            fecha_actualizacion=Max("compromisos__fecha_vigente"),
        ).prefetch_related(Prefetch("partes", queryset=Parte.objects.select_related("dependencia")))
        self.busqueda = self.request.GET.get("q", "").strip()[:200]
        if self.busqueda:
            convenios = convenios.filter(
                Q(nombre__icontains=self.busqueda) | Q(nota__icontains=self.busqueda)
            )
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

    queryset = Convenio.objects.all()

    def get_context_data(self, **kwargs):
        contexto = super().get_context_data(**kwargs)
        compromisos = Compromiso.objects.de_convenio(self.object).para_fila().por_parte()
        contexto["bloques"] = bloques_por_encabezado(compromisos)
        contexto["celebran"] = self.object.celebran()
        contexto.update(Compromiso.contexto_de_filas(self.request.user))
        return contexto


class CompromisoListView(PermissionRequiredMixin, View):
    """Commitments across all convenios: one filtered queryset becomes the page, the CSV or the XLSX."""

    permission_required = Compromiso.permiso_lectura()
    template_name = "convenios/compromisos.html"
    formatos = {"csv": tables.respuesta_csv, "xlsx": tables.respuesta_xlsx}

    def get(self, request):
        filtro = CompromisoFilterSet(request.GET, queryset=compromisos_base())
        formato = request.GET.get("formato", "")
        if formato in self.formatos and filtro.is_valid():
            if not request.user.has_perm(Convenio.permiso("exportar_compromisos")):
                raise PermissionDenied
            return self.formatos[formato](filtro.qs, timezone.localdate())
        avisos = []
        if formato and formato not in self.formatos:
            avisos.append(_("El formato «%(f)s» no existe; use csv o xlsx.") % {"f": formato[:20]})

        conteo = filtro.conteo_por_estatus()
        paginador = Paginator(filtro.qs, tables.TAMANO_PAGINA)
        paginador.count = sum(n for _, n in conteo)  # already counted by status: spare a COUNT query
        pedida = request.GET.get("pagina", "1")
        pagina = paginador.get_page(pedida)
        for compromiso in pagina.object_list:
            compromiso.resumen = tables.resumen(compromiso.texto)
        if str(pagina.number) != pedida.strip() and paginador.count:
            avisos.append(
                _("La página «%(pedida)s» no existe; se muestra la página %(n)s de %(total)s.")
                % {"pedida": pedida[:20], "n": pagina.number, "total": paginador.num_pages},
            )
        contexto = {
            "filtro": filtro,
            "avisos": avisos,
            "conteo": conteo,
            "pagina": pagina,
            "columnas": self.columnas(request, filtro),
            "consulta": self.consulta(request, quitar=("pagina", "formato")),
            "hoy": timezone.localdate(),
            "prefijo_convenio": reverse("convenios:lista"),  # once, not once per row
        }
        return render(request, self.template_name, contexto, status=200 if filtro.is_valid() else 400)

    @staticmethod
    def consulta(request, quitar=(), **poner) -> str:
        """The query string without ``quitar`` and with ``poner``: links that keep the filter."""
        datos = request.GET.copy()
        for clave in (*quitar, *poner):
            datos.pop(clave, None)
        datos.update(poner)
        return datos.urlencode()

    def columnas(self, request, filtro):
        actual = (filtro.form.cleaned_data.get("orden") if filtro.is_valid() else None) or ORDEN_INICIAL
        resultado = []
        for columna in tables.COLUMNAS_PAGINA:
            enlace = estado = None
            if columna.orden:
                estado = {columna.orden: "ascending", f"-{columna.orden}": "descending"}.get(actual)
                siguiente = f"-{columna.orden}" if estado == "ascending" else columna.orden
                enlace = "?" + self.consulta(request, quitar=("pagina", "formato"), orden=siguiente)
            resultado.append({"encabezado": columna.encabezado, "enlace": enlace, "estado": estado})
        return resultado
