"""Extensions (prórrogas): a liaison asks (``convenios:prorrogar``), a validator lists them
(``convenios:prorrogas``) and approves or rejects one (``convenios:decidir_prorroga``). The writes are
``convenios.services``'."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from seguimiento.templatetags.fechas import fecha_en_palabras

from .forms import ProrrogaForm
from .models import Compromiso, DecisionProrroga, SolicitudProrroga
from .services import ProrrogaDecididaError, ProrrogaPendienteError, decidir_prorroga, solicitar_prorroga

POR_PAGINA = 50
DECISIONES = DecisionProrroga.DECISIONES


class ProrrogarView(PermissionRequiredMixin, View):
    """Ask to move a commitment's due date: only commitments in ``proponibles_para(usuario)``; any
    other answers 404."""

    permission_required = SolicitudProrroga.permiso("add")

    def compromiso(self, pk) -> Compromiso:
        visibles = Compromiso.objects.proponibles_para(self.request.user)
        return get_object_or_404(visibles.select_related("convenio", "responsable__dependencia"), pk=pk)

    def get(self, request, pk):
        return self.formulario(self.compromiso(pk), ProrrogaForm())

    def post(self, request, pk):
        compromiso = self.compromiso(pk)
        form = ProrrogaForm(request.POST)
        if not form.is_valid():
            return self.formulario(compromiso, form, status=400)
        try:
            solicitud = solicitar_prorroga(compromiso, usuario=request.user, **form.cleaned_data)
        except ProrrogaPendienteError as pendiente:
            form.add_error(None, str(pendiente))
            return self.formulario(compromiso, form, status=409)
        except ValidationError as error:
            for campo, errores in error.message_dict.items():
                form.add_error(campo if campo in form.fields else None, errores)
            return self.formulario(compromiso, form, status=400)
        messages.success(
            request,
            _(
                "Solicitud de prórroga %(de)s enviada: al %(fecha)s. La fecha límite no cambia hasta que "
                "la Contraloría la apruebe."
            )
            % {"de": compromiso.de_elemento, "fecha": fecha_en_palabras(solicitud.fecha_nueva)},
        )
        return redirect(compromiso.get_absolute_url())

    def formulario(self, compromiso, form, status=200):
        contexto = {
            "compromiso": compromiso,
            "form": form,
            "pendiente": SolicitudProrroga.objects.pendientes()
            .filter(compromiso=compromiso)
            .select_related("solicitado_por")
            .first(),
            "migas": [
                (reverse("inicio"), _("Inicio")),
                (reverse("convenios:lista"), _("Convenios")),
                (compromiso.convenio.get_absolute_url(), str(compromiso.convenio)),
            ],
        }
        return render(self.request, "convenios/prorrogar.html", contexto, status=status)


class ProrrogasView(PermissionRequiredMixin, View):
    """The validators' list: pending requests first, oldest first, then the decided ones."""

    permission_required = DecisionProrroga.permiso("add")

    def get(self, request):
        return self.pagina()

    def pagina(self, status: int = 200, error: str = ""):
        solicitudes = SolicitudProrroga.objects.para_lista()
        pagina = Paginator(solicitudes, POR_PAGINA).get_page(self.request.GET.get("pagina"))
        pendientes = SolicitudProrroga.objects.pendientes().count()
        self.request.prorrogas_pendientes = pendientes  # type: ignore[attr-defined]  # the menu's badge
        contexto = {
            "pagina": pagina,
            "pendientes": pendientes,
            "error": error,
        }
        return render(self.request, "convenios/prorrogas.html", contexto, status=status)


class DecidirProrrogaView(PermissionRequiredMixin, View):
    """Approve or reject (with a required comment) one request. Any refusal (409: decided by someone
    else; 400: the data) changes nothing."""

    permission_required = DecisionProrroga.permiso("add")

    def dispatch(self, request, *args, **kwargs):
        # A request about a commitment its reader may not see is 404 before any 403 (as for items).
        visibles = Compromiso.objects.visibles_para(request.user).values("pk")
        if request.user.has_perm(Compromiso.permiso_lectura()) and not (
            SolicitudProrroga.objects.filter(pk=kwargs["pk"], compromiso__in=visibles).exists()
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        solicitud = get_object_or_404(SolicitudProrroga.objects.select_related("compromiso"), pk=pk)
        de = solicitud.compromiso.de_elemento
        try:
            tipo = DECISIONES.get(request.POST.get("decision", ""))
            if tipo is None:
                raise ValidationError(_("Elija aprobar o rechazar la solicitud."))
            decidir_prorroga(
                solicitud, tipo=tipo, usuario=request.user, comentario=request.POST.get("comentario", "")
            )
        except ProrrogaDecididaError as decidida:
            return self.lista(409, str(decidida))
        except ValidationError as error:
            texto = _("No se decidió la solicitud de prórroga %(de)s: %(errores)s Sigue pendiente.") % {
                "de": de,
                "errores": " ".join(error.messages),
            }
            return self.lista(400, texto)
        if tipo == DecisionProrroga.Tipo.APROBADA:
            mensaje = _("Prórroga %(de)s aprobada: la fecha límite es ahora el %(fecha)s.") % {
                "de": de,
                "fecha": fecha_en_palabras(solicitud.fecha_nueva),
            }
        else:
            mensaje = _("Prórroga %(de)s rechazada.") % {"de": de}
        messages.success(request, mensaje)
        return redirect(reverse("convenios:prorrogas"))

    def lista(self, status: int, error: str):
        vista = ProrrogasView()
        vista.setup(self.request)
        return vista.pagina(status=status, error=error)
