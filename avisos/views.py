from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from convenios.models import Convenio

from .forms import SeguirForm
from .models import Suscripcion


class SeguirView(PermissionRequiredMixin, View):
    """POST only: follow or stop following a convenio. With htmx the control is redrawn in place;
    without JavaScript, back to the convenio page with a message."""

    permission_required = Convenio.permiso_lectura()
    http_method_names = ["post"]

    def post(self, request, slug):
        convenio = get_object_or_404(Convenio.objects.visibles_para(request.user), slug=slug)
        form = SeguirForm(request.POST)
        if not form.is_valid():
            error = _("Indique si sigue o deja de seguir el convenio.")
            if request.htmx:  # redraw the control as it stands, with the reason
                contexto = {"convenio": convenio, "sigue": Suscripcion.objects.sigue(request.user, convenio)}
                return render(request, "avisos/_seguir.html", {**contexto, "error": error}, status=400)
            return HttpResponseBadRequest(error)
        sigue = form.cleaned_data["sigue"]
        Suscripcion.objects.elegir(request.user, convenio, sigue)
        if request.htmx:
            return render(request, "avisos/_seguir.html", {"convenio": convenio, "sigue": sigue})
        if sigue:
            messages.success(request, _("Ahora sigue este convenio: recibirá sus avisos por correo."))
        else:
            messages.success(request, _("Dejó de seguir este convenio: ya no recibirá sus avisos."))
        return redirect(convenio)
