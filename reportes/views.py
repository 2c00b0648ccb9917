from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import FormView

from comisiones.models import Comision
from convenios.models import Convenio

from .forms import VerificarForm
from .informes import REPORTES, FechaInvalida, emitido, leer_fecha, tipos_legibles
from .models import InformeEmitido
from .services import ArchivoAlterado, comprobar, emitir_informe, html_del_informe


def respuesta_pdf(pdf: bytes, nombre: str) -> HttpResponse:
    respuesta = HttpResponse(pdf, content_type="application/pdf")
    respuesta["Content-Disposition"] = content_disposition_header(True, nombre)
    return respuesta


class ReporteView(PermissionRequiredMixin, View):
    """One view for every report and format: ``tipo`` picks the report, ``pdf`` the format."""

    permission_required = InformeEmitido.permiso("descargar_informe")
    tipo = InformeEmitido.Tipo.CONVENIO
    pdf = False

    def get_permission_required(self):
        return (*super().get_permission_required(), REPORTES[self.tipo].lectura)

    def get(self, request, slug=None):
        reporte = REPORTES[self.tipo]
        objeto = reporte.obtener(slug, request.user)
        try:
            fecha = leer_fecha(request.GET.get("fecha"), reporte.inicio(objeto))
        except FechaInvalida as error:
            contexto = {"mensaje": str(error), "reporte": reporte, "objeto": objeto}
            return render(request, "reportes/error_fecha.html", contexto, status=400)
        if self.pdf:
            _informe, pdf = emitir_informe(self.tipo, objeto, fecha, request.user)
            return respuesta_pdf(pdf, reporte.nombre_archivo(objeto, fecha))
        html = html_del_informe(reporte, objeto, reporte.contexto(objeto, fecha), request=request)
        return HttpResponse(html)


class IndiceView(PermissionRequiredMixin, View):
    """Every report the user may open, as of one date, and the register of issued reports (all of it
    for those who may view the register, their own for everyone else), paginated."""

    permission_required = InformeEmitido.permiso("descargar_informe")
    por_pagina = 20

    def get(self, request):
        error = None
        try:
            fecha = leer_fecha(request.GET.get("fecha"))
        except FechaInvalida as problema:
            error, fecha = str(problema), timezone.localdate()
        tipos = tipos_legibles(request.user)
        Tipo = InformeEmitido.Tipo
        registro = InformeEmitido.objects.visibles_para(request.user, tipos)
        contexto = {
            "fecha": fecha,
            "error_fecha": error,
            "consolidado": Tipo.CONSOLIDADO in tipos,
            "convenios": Convenio.objects.visibles_para(request.user).only("nombre", "slug", "fecha_inicio")
            if Tipo.CONVENIO in tipos
            else [],
            "comisiones": Comision.objects.visibles_para(request.user).only("nombre", "slug")
            if Tipo.COMISION in tipos
            else [],
            "registro": Paginator(registro, self.por_pagina).get_page(request.GET.get("pagina")),
            "registro_completo": request.user.has_perm(InformeEmitido.permiso_lectura()),
        }
        return render(request, "reportes/indice.html", contexto, status=400 if error else 200)


@method_decorator(login_not_required, name="dispatch")
class VerificarView(FormView):
    """Anyone, even without an account, may check a folio and code, or a PDF file, against the
    register: whoever holds a printed copy can tell whether it is authentic. The page tells them
    only what the copy itself says (report, date, folio); who issued it, its hash and the way to
    regenerate it are for those who may download reports (see the template)."""

    form_class = VerificarForm
    template_name = "reportes/verificar.html"

    def form_valid(self, form):
        return self.render_to_response(self.get_context_data(form=form, resultado=form.resultado()))


class RegenerarView(PermissionRequiredMixin, View):
    """The issued PDF as it was handed out (its kept file, hash-checked), and in
    ``X-Coincide-Con-Emitido`` whether today's history still draws it byte for byte."""

    permission_required = InformeEmitido.permiso("descargar_informe")

    def get(self, request, folio):
        informe = emitido(folio, request.user)
        try:
            comprobacion = comprobar(informe)
        except ArchivoAlterado as error:
            contexto = {"informe": informe, "alterado": str(error)}
            return render(request, "reportes/emitido.html", contexto, status=409)
        respuesta = respuesta_pdf(
            comprobacion.pdf, REPORTES[informe.tipo].nombre_archivo(informe.objeto, informe.fecha)
        )
        respuesta["X-Coincide-Con-Emitido"] = "si" if comprobacion.coincide else "no"
        return respuesta


class EmitidoView(PermissionRequiredMixin, View):
    """One issued report: its register entry, whether its kept file is intact and whether today's
    history still draws it byte for byte, with the link to download it."""

    permission_required = InformeEmitido.permiso("descargar_informe")

    def get(self, request, folio):
        informe = emitido(folio, request.user)
        contexto = {"informe": informe}
        try:
            contexto["comprobacion"] = comprobar(informe)
        except ArchivoAlterado as error:
            contexto["alterado"] = str(error)
        return render(
            request, "reportes/emitido.html", contexto, status=409 if "alterado" in contexto else 200
        )
