"""One set of views for every followed-up item: ``as_view(modelo=Compromiso)`` or ``Atribucion``.

Reading an item needs ``<app>.view_<item>``; recording an update needs ``<app>.add_<update>``
(``Seguible.permiso_lectura`` / ``permiso_escritura``).
"""

from typing import cast

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.middleware import HtmxDetails

from .evidencias import (
    EvidenciaRetenida,
    EvidenciaRetenidaInvalida,
    abrir_retenida,
    descarga_de_evidencia,
    descartar_retenida,
    retener_evidencia,
    soltar_retenida,
)
from .forms import ActualizacionForm
from .models import Seguible, VersionTexto
from .services import VersionObsoletaError, registrar_actualizacion

# The form's names for the held evidence: not fields of ``ActualizacionForm``, which the API shares.
CAMPO_RETENIDA = "evidencia_retenida"
CAMPO_QUITAR = "quitar_evidencia"


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it."""

    htmx: HtmxDetails


class ElementoMixin(PermissionRequiredMixin):
    modelo: type[Seguible] = None  # type: ignore[assignment]  # always given: as_view(modelo=...)
    escribe = False
    request: HttpRequest

    def get_permission_required(self):
        return [self.modelo.permiso_escritura() if self.escribe else self.modelo.permiso_lectura()]

    def elemento(self, pk) -> Seguible:
        return get_object_or_404(self.modelo.objects.para_fila(), pk=pk)

    def migas(self, elemento: Seguible) -> list[tuple[str, str]]:
        """The breadcrumbs above an item's own pages: home, its container's list, its container."""
        contenedor = elemento.contenedor
        lista = reverse(f"{elemento._meta.app_label}:lista")
        return [
            (reverse("inicio"), _("Inicio")),
            (lista, str(capfirst(cast(Model, contenedor)._meta.verbose_name_plural))),
            (contenedor.get_absolute_url(), str(contenedor)),
        ]

    def fila(self, elemento: Seguible, **extra) -> dict:
        return {**self.modelo.contexto_de_filas(self.request.user), "elementos": [elemento], **extra}


class FilaView(ElementoMixin, View):
    """One item's row as its page shows it (htmx uses it to cancel an edit)."""

    def get(self, request, pk):
        return render(request, "seguimiento/_filas.html", self.fila(self.elemento(pk)))


class ActualizarView(ElementoMixin, View):
    """Record a status update: inline with htmx, or as a plain form page without JavaScript."""

    escribe = True

    def get(self, request, pk):
        elemento = self.elemento(pk)
        return self.formulario(
            elemento, ActualizacionForm(initial={"version": elemento.version}, elemento=elemento)
        )

    def post(self, request: HtmxHttpRequest, pk):
        elemento = self.elemento(pk)
        token = request.POST.get(CAMPO_RETENIDA, "")
        archivos: dict = request.FILES.copy()
        perdida = False
        if token and ("evidencia" in archivos or request.POST.get(CAMPO_QUITAR)):
            soltar_retenida(token, request.user, elemento)  # a new file replaces it; «Quitar» drops it
            token = ""
        elif token:
            try:
                archivos["evidencia"] = abrir_retenida(token, request.user, elemento)
            except EvidenciaRetenidaInvalida:
                token, perdida = "", True
        form = ActualizacionForm(request.POST, archivos, elemento=elemento)
        valido = form.is_valid()
        if perdida:
            form.add_error("evidencia", str(EvidenciaRetenidaInvalida.mensaje))
            valido = False
        if not valido:
            return self.formulario(elemento, form, status=400, evidencia_retenida=self.retener(form, token))
        try:
            registrar_actualizacion(elemento, usuario=request.user, **form.para_servicio())
        except VersionObsoletaError as conflicto:
            return self.conflicto(conflicto, form, self.retener(form, token))
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.formulario(elemento, form, status=400, evidencia_retenida=self.retener(form, token))
        if token:
            descartar_retenida(token)  # used (the service has committed): one time only
        elemento = self.elemento(pk)
        if request.htmx:
            return render(request, "seguimiento/_filas.html", self.fila(elemento, recien_actualizado=True))
        messages.success(
            request,
            _("Estatus %(de)s actualizado: %(estatus)s.")
            % {"de": elemento.de_elemento, "estatus": elemento.estatus_actual},
        )
        return redirect(elemento.get_absolute_url())

    def retener(self, form: ActualizacionForm, token: str) -> EvidenciaRetenida | None:
        """The evidence a returned form keeps: the held file it came with, or the accepted new upload."""
        archivo = form.cleaned_data.get("evidencia")
        if not archivo:
            if token:  # refused on a second look (the rules changed): not kept
                descartar_retenida(token)
            return None
        if token:
            return EvidenciaRetenida(token, archivo.name)
        return retener_evidencia(archivo, self.request.user, form.elemento)

    def conflicto(
        self, conflicto: VersionObsoletaError, form: ActualizacionForm, retenida: EvidenciaRetenida | None
    ):
        """Keep what the user typed (the file too), show what others recorded meanwhile, and rebase on
        the new version."""
        elemento = self.elemento(conflicto.elemento.pk)
        datos = cast(QueryDict, form.data).copy()
        datos["version"] = str(elemento.version)
        return self.formulario(
            elemento,
            ActualizacionForm(datos, elemento=elemento),
            status=409,
            intermedias=conflicto.registradas_despues(),
            evidencia_retenida=retenida,
        )

    def formulario(self, elemento, form, status=200, **extra):
        en_linea = cast(HtmxHttpRequest, self.request).htmx
        if en_linea:
            plantilla = "seguimiento/_fila_form.html"
        else:
            plantilla, extra["migas"] = "seguimiento/actualizar.html", self.migas(elemento)
        return render(self.request, plantilla, {"elemento": elemento, "form": form, **extra}, status=status)


class HistorialView(ElementoMixin, View):
    """The item's record: status updates and text edits in one list, latest recorded first (the one
    order both share), in three queries however long the record."""

    def get(self, request, pk):
        elemento = self.elemento(pk)
        cambios = [
            *elemento.actualizaciones.para_historial(),
            *VersionTexto.objects.de([elemento]).para_historial(),
        ]
        cambios.sort(key=lambda c: (c.registrado_en, isinstance(c, VersionTexto), c.pk), reverse=True)
        contexto = {"elemento": elemento, "cambios": cambios, "migas": self.migas(elemento)}
        return render(request, "seguimiento/historial.html", contexto)


class EvidenciaView(ElementoMixin, View):
    """Evidence is private: served only here (and by the API), to users allowed to see the item."""

    def get(self, request, pk):
        return descarga_de_evidencia(self.modelo.modelo_actualizacion(), pk)
