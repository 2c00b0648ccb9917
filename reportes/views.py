import math

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.generic import FormView

from comisiones.models import Comision
from convenios.models import Convenio
from seguimiento.limites import EmisionPorUsuario, PorDireccion
from seguimiento.models import FechaInvalida, es_enlace, leer_fecha

from . import firma
from .forms import BuscarEmitidosForm, FirmarForm, VerificarForm
from .informes import REPORTES, emitido, puede_ver, tipos_legibles
from .models import InformeEmitido
from .services import ArchivoAlterado, YaFirmado, comprobar, emitir_informe, firmar_informe, html_del_informe

PERIODOS = {1: "segundo", 60: "minuto", 3600: "hora", 86400: "día"}


def respuesta_pdf(pdf: bytes, nombre: str) -> HttpResponse:
    respuesta = HttpResponse(pdf, content_type="application/pdf")
    respuesta["Content-Disposition"] = content_disposition_header(True, nombre)
    return respuesta


class ReporteView(PermissionRequiredMixin, View):
    """One view for every report and format: ``tipo`` picks the report, ``pdf`` the format.

    The PDF is issued only by a POST (with the CSRF token; ``EMITIR_LIMITE`` per user): its GET shows
    the form that issues it, for the date asked, so neither a link from elsewhere nor a stale date on
    the report page issues anything in the user's name."""

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
            return fecha_invalida(request, reporte, objeto, error)
        if self.pdf:
            contexto = {
                "reporte": reporte,
                "objeto": objeto,
                "fecha": fecha,
                "titulo": reporte.titulo(objeto),
            }
            return render(request, "reportes/emitir.html", contexto)
        html = html_del_informe(reporte, objeto, reporte.contexto(objeto, fecha), request=request)
        return HttpResponse(html)

    def post(self, request, slug=None):
        if not self.pdf:
            return self.http_method_not_allowed(request)
        limite = EmisionPorUsuario()
        if not limite.allow_request(request, self):
            return demasiadas_emisiones(request, limite)
        reporte = REPORTES[self.tipo]
        objeto = reporte.obtener(slug, request.user)
        try:
            fecha = leer_fecha(request.POST.get("fecha"), reporte.inicio(objeto))
        except FechaInvalida as error:
            return fecha_invalida(request, reporte, objeto, error)
        try:
            informe, pdf = emitir_informe(self.tipo, objeto, fecha, request.user)
        except ArchivoAlterado as error:
            contexto = {"informe": error.informe, "alterado": str(error)}
            return render(request, "reportes/emitido.html", contexto, status=409)
        respuesta = respuesta_pdf(pdf, reporte.nombre_archivo(objeto, fecha))
        respuesta["X-Folio"] = informe.folio
        return respuesta


def fecha_invalida(request, reporte, objeto, error: FechaInvalida) -> HttpResponse:
    contexto = {"mensaje": str(error), "reporte": reporte, "objeto": objeto}
    return render(request, "reportes/error_fecha.html", contexto, status=400)


def demasiadas_emisiones(request, limite: EmisionPorUsuario) -> HttpResponse:
    """429 with a Spanish page saying the limit and how long to wait, in ``Retry-After`` too."""
    segundos = math.ceil(limite.wait() or 1)
    contexto = {
        "limite": limite.num_requests,
        "periodo": PERIODOS.get(limite.duration, f"{limite.duration} segundos"),
        "minutos": math.ceil(segundos / 60),
    }
    respuesta = render(request, "reportes/limite_de_emision.html", contexto, status=429)
    respuesta["Retry-After"] = str(segundos)
    return respuesta


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
        busqueda = BuscarEmitidosForm(request.GET)
        registro = busqueda.filtrar(InformeEmitido.objects.visibles_para(request.user, tipos))
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
            "busqueda": busqueda,
            "consulta_registro": consulta_sin_pagina(request, fecha),
            "registro": Paginator(registro, self.por_pagina).get_page(request.GET.get("pagina")),
            "registro_completo": request.user.has_perm(InformeEmitido.permiso_lectura()),
        }
        return render(request, "reportes/indice.html", contexto, status=400 if error else 200)


def consulta_sin_pagina(request, fecha) -> str:
    """The register's query string (date, search) for its page links, ready for ``pagina=N``."""
    consulta = request.GET.copy()
    consulta.pop("pagina", None)
    consulta["fecha"] = fecha.isoformat()
    return consulta.urlencode() + "&"


@method_decorator(login_not_required, name="dispatch")
class VerificarView(FormView):
    """Anyone, even without an account, may check a folio and code, or a PDF file, against the
    register: whoever holds a printed copy can tell whether it is authentic. The page tells them
    only what the copy itself says (report, date, folio); who issued it, its hash and the way to
    regenerate it are for those the register shows it to: its issuer, Gerente, Auditor, superusers."""

    form_class = VerificarForm
    template_name = "reportes/verificar.html"

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" or "folio" in request.GET:  # a verification, not the empty form
            limite = PorDireccion()
            if not limite.allow_request(request, self):
                espera = math.ceil(limite.wait() or 1)
                contexto = {"form": VerificarForm(), "limite": espera}
                respuesta = render(request, self.template_name, contexto, status=429)
                respuesta["Retry-After"] = str(espera)
                return respuesta
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        """The address printed on a report (and its QR code) carries folio and code: check them."""
        if "folio" in request.GET:
            form = VerificarForm(request.GET)
            return self.form_valid(form) if form.is_valid() else self.form_invalid(form)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        resultado = form.resultado()
        ver_emision = resultado.informe is not None and puede_ver(self.request.user, resultado.informe)
        return self.render_to_response(
            self.get_context_data(form=form, resultado=resultado, ver_emision=ver_emision)
        )


class RegenerarView(PermissionRequiredMixin, View):
    """The issued PDF as it is handed out (its signed file if signed, else its kept file; hash-checked),
    and in ``X-Coincide-Con-Emitido`` whether today's history still draws its content byte for byte
    (the drawing before any signature)."""

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


@method_decorator(sensitive_post_parameters("contrasena"), name="dispatch")
class FirmarView(PermissionRequiredMixin, FormView):
    """Sign an issued report with the issuer's e.firma (``.cer``, ``.key`` and password, kept in
    memory for this request only: SUBIDAS_EN_MEMORIA). Once: a second signature is refused (409)."""

    permission_required = (
        InformeEmitido.permiso("descargar_informe"),
        InformeEmitido.permiso("firmar_informe"),
    )
    form_class = FirmarForm
    template_name = "reportes/firmar.html"

    def dispatch(self, request, *args, **kwargs):
        # An Enlace's report on what it may not read is 404 before any 403, as everywhere.
        if request.user.is_authenticated and es_enlace(request.user):
            informe = InformeEmitido.objects.por_folio(kwargs["folio"])
            if (
                informe is None
                or not InformeEmitido.objects.filter(pk=informe.pk).de_lo_visible_para(request.user).exists()
            ):
                raise Http404(_("No hay un informe emitido con ese folio."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        self.informe = getattr(self, "informe", None) or emitido(self.kwargs["folio"], self.request.user)
        return super().get_context_data(informe=self.informe, **kwargs)

    def post(self, request, *args, **kwargs):
        self.informe = emitido(kwargs["folio"], request.user)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form, status=400):
        return self.render_to_response(self.get_context_data(form=form), status=status)

    @method_decorator(sensitive_variables())  # every local: the form and its data hold the e.firma
    def form_valid(self, form):
        datos = form.cleaned_data
        try:
            firmar_informe(self.informe, self.request.user, datos["cer"], datos["key"], datos["contrasena"])
        except firma.FirmaInvalida as error:
            form.add_error(None, str(error))
            return self.form_invalid(form, status=503 if isinstance(error, firma.SelloNoDisponible) else 400)
        except (YaFirmado, ArchivoAlterado) as error:
            form.add_error(None, str(error))
            return self.form_invalid(form, status=409)
        messages.success(
            self.request, _("El informe %(folio)s quedó firmado.") % {"folio": self.informe.folio}
        )
        return redirect("reportes:emitido", self.informe.folio)
