"""ONE list page for every kind of followed-up item (commitments, commission duties): a FilterSet of
``seguimiento.filters`` and a ``seguimiento.tables.Tabla`` make the page, its counts by status and its
CSV or XLSX file from the same filtered queryset."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from . import tables
from .models import es_enlace

FORMATOS = {"csv": tables.respuesta_csv, "xlsx": tables.respuesta_xlsx}


class ListaView(PermissionRequiredMixin, View):
    """A subclass sets ``permission_required``, ``permiso_exportar`` (None: whoever reads may export),
    ``filterset_class``, ``tabla``, ``template_name`` and ``elementos()`` (the unfiltered queryset;
    the page, its counts and its files show only what the user may read: ``visibles_para``)."""

    permiso_exportar: str | None = None
    filterset_class: type
    tabla: tables.Tabla
    template_name: str

    def elementos(self):
        raise NotImplementedError

    def contexto(self) -> dict:
        """What the page's template needs besides the list (computed once, not per row)."""
        return {}

    def puede_exportar(self) -> bool:
        return self.permiso_exportar is None or self.request.user.has_perm(self.permiso_exportar)

    def get(self, request):
        visibles = self.elementos().visibles_para(request.user)
        filtro = self.filterset_class(request.GET, queryset=visibles, request=request)
        formato = request.GET.get("formato", "")
        hoy = timezone.localdate()
        if formato in FORMATOS and filtro.is_valid():
            if not self.puede_exportar():
                raise PermissionDenied
            archivo = tables.nombre_archivo(self.tabla.nombre, filtro.filtros_aplicados(), hoy, formato)
            return FORMATOS[formato](self.tabla, filtro.qs, hoy, archivo)
        avisos = []
        if formato and formato not in FORMATOS:
            avisos.append(_("El formato «%(f)s» no existe; use csv o xlsx.") % {"f": formato[:20]})

        conteo = filtro.conteo_por_estatus()
        paginador = Paginator(filtro.qs, tables.TAMANO_PAGINA)
        paginador.count = sum(n for _, n in conteo)  # already counted by status: spare a COUNT query
        pedida = request.GET.get("pagina", "1")
        pagina = paginador.get_page(pedida)
        for elemento in pagina.object_list:
            elemento.resumen = tables.resumen(elemento.texto)
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
            "hoy": hoy,
            "puede_exportar": self.puede_exportar(),
            "solo_lo_vinculado": es_enlace(request.user),  # the intro says «sus», not «todos»
            "tabla": self.tabla,
            **self.contexto(),
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
        actual = (
            filtro.form.cleaned_data.get("orden") if filtro.is_valid() else None
        ) or filtro.ORDEN_INICIAL
        resultado = []
        for columna in self.tabla.columnas_pagina:
            enlace = estado = None
            if columna.orden:
                estado = {columna.orden: "ascending", f"-{columna.orden}": "descending"}.get(actual)
                siguiente = f"-{columna.orden}" if estado == "ascending" else columna.orden
                enlace = "?" + self.consulta(request, quitar=("pagina", "formato"), orden=siguiente)
            resultado.append({"encabezado": columna.encabezado, "enlace": enlace, "estado": estado})
        return resultado
