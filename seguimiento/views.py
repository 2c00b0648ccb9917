"""One set of views for every followed-up item: ``as_view(modelo=Compromiso)`` or ``Atribucion``.

Reading an item needs ``<app>.view_<item>``; recording an update needs ``<app>.add_<update>``
(``Seguible.permiso_lectura`` / ``permiso_escritura``).
"""

from typing import cast

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_htmx.middleware import HtmxDetails

from . import validacion
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
from .listas import ListaView
from .models import Seguible, VersionTexto
from .services import (
    PropuestaDecididaError,
    PropuestaPendienteError,
    VersionObsoletaError,
    aceptar_propuesta,
    devolver_propuesta,
    proponer,
    registrar_actualizacion,
)

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

    def dispatch(self, request, *args, **kwargs):
        # An item its reader may not see (an Enlace's other institutions) is 404 before any 403, on
        # the update page too: the answer never tells that it exists.
        if request.user.has_perm(self.modelo.permiso_lectura()):
            self.existe_para_el_usuario(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def existe_para_el_usuario(self, pk) -> None:
        if not self.modelo.objects.visibles_para(self.request.user).filter(pk=pk).exists():
            raise Http404

    def elemento(self, pk) -> Seguible:
        return get_object_or_404(self.modelo.objects.visibles_para(self.request.user).para_fila(), pk=pk)

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
        return {
            **self.modelo.contexto_de_filas(self.request.user, [elemento]),
            "elementos": [elemento],
            **extra,
        }


class FilaView(ElementoMixin, View):
    """One item's row as its page shows it (htmx uses it to cancel an edit)."""

    def get(self, request, pk):
        return render(request, "seguimiento/_filas.html", self.fila(self.elemento(pk)))


class EnvioDeEstatusView(ElementoMixin, View):
    """The form of a status change, inline with htmx or as a plain page without JavaScript: the same
    ``ActualizacionForm``, evidence checks and held evidence whether it records an update
    (``ActualizarView``) or proposes one (``ProponerView``). A subclass says what saving is."""

    titulo: str | Promise = ""
    boton: str | Promise = ""
    ruta = ""  # the item's URL this form posts to, after ``Seguible.prefijo_url()`` and the pk

    def guardar(self, elemento: Seguible, form: ActualizacionForm):
        raise NotImplementedError

    def exito(self, elemento: Seguible, guardado):
        raise NotImplementedError

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
            guardado = self.guardar(elemento, form)
        except VersionObsoletaError as conflicto:
            return self.conflicto(conflicto, form, self.retener(form, token))
        except PropuestaPendienteError as pendiente:
            form.add_error(None, str(pendiente))
            return self.formulario(elemento, form, status=409, evidencia_retenida=self.retener(form, token))
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.formulario(elemento, form, status=400, evidencia_retenida=self.retener(form, token))
        if token:
            descartar_retenida(token)  # used (the service has committed): one time only
        return self.exito(self.elemento(pk), guardado)

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
        contexto = {
            "elemento": elemento,
            "form": form,
            "titulo": self.titulo,
            "boton": self.boton,
            "url_envio": f"{elemento.prefijo_url()}{elemento.pk}/{self.ruta}/",
            **extra,
        }
        return render(self.request, plantilla, contexto, status=status)


class ActualizarView(EnvioDeEstatusView):
    """Record a status update."""

    escribe = True
    titulo = gettext_lazy("Actualizar estatus")
    boton = gettext_lazy("Guardar")
    ruta = "actualizar"

    def guardar(self, elemento, form):
        return registrar_actualizacion(elemento, usuario=self.request.user, **form.para_servicio())

    def exito(self, elemento, guardado):
        if cast(HtmxHttpRequest, self.request).htmx:
            return render(
                self.request, "seguimiento/_filas.html", self.fila(elemento, recien_actualizado=True)
            )
        messages.success(
            self.request,
            _("Estatus %(de)s actualizado: %(estatus)s.")
            % {"de": elemento.de_elemento, "estatus": elemento.estatus_actual},
        )
        return redirect(elemento.get_absolute_url())


class ProponerView(EnvioDeEstatusView):
    """Propose a status update (an institution's liaison): kept pending, not in effect, until a
    validator accepts or returns it. Only items in ``proponibles_para(usuario)``; any other is 404."""

    titulo = gettext_lazy("Proponer actualización")
    boton = gettext_lazy("Enviar propuesta")
    ruta = "proponer"

    def get_permission_required(self):
        return [self.modelo.permiso_proponer()]

    def elemento(self, pk) -> Seguible:
        return get_object_or_404(self.modelo.objects.proponibles_para(self.request.user).para_fila(), pk=pk)

    def guardar(self, elemento, form):
        return proponer(elemento, usuario=self.request.user, **form.para_servicio())

    def formulario(self, elemento, form, status=200, **extra):
        extra.setdefault("pendiente", self.pendiente(elemento))
        return super().formulario(elemento, form, status, **extra)

    def pendiente(self, elemento):
        modelo = self.modelo.modelo_propuesta()
        return (
            modelo.objects.pendientes()
            .filter(**{modelo.CAMPO_ELEMENTO: elemento})
            .select_related("estatus", "propuesto_por")
            .first()
        )

    def exito(self, elemento, guardado):
        if cast(HtmxHttpRequest, self.request).htmx:
            return render(self.request, "seguimiento/_filas.html", self.fila(elemento, recien_propuesto=True))
        messages.success(
            self.request,
            _("Propuesta %(de)s enviada: «%(estatus)s». Queda pendiente hasta que la Contraloría la valide.")
            % {"de": elemento.de_elemento, "estatus": guardado.estatus},
        )
        return redirect(elemento.get_absolute_url())


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
        if request.user.has_perm(self.modelo.permiso_ver_propuestas()):
            contexto["propuestas"] = (
                self.modelo.modelo_propuesta()
                .objects.filter(**{self.modelo.modelo_propuesta().CAMPO_ELEMENTO: elemento})
                .para_historial()
            )
        contexto.update(elemento.historial_adicional(request.user))
        return render(request, "seguimiento/historial.html", contexto)


class EvidenciaView(ElementoMixin, View):
    """Evidence is private: served only here (and by the API), to users allowed to see the item."""

    def existe_para_el_usuario(self, pk) -> None:
        """``pk`` is the update's: ``descarga_de_evidencia`` asks about its item."""

    def get(self, request, pk):
        return descarga_de_evidencia(self.modelo.modelo_actualizacion(), pk, request.user)


class EvidenciaPropuestaView(ElementoMixin, View):
    """A proposal's evidence, to whoever sees proposals and may read its item (404 otherwise)."""

    def get_permission_required(self):
        return [self.modelo.permiso_ver_propuestas()]

    def existe_para_el_usuario(self, pk) -> None:
        """``pk`` is the proposal's: ``descarga_de_evidencia`` asks about its item."""

    def get(self, request, pk):
        return descarga_de_evidencia(self.modelo.modelo_propuesta(), pk, request.user)


class PorValidarView(PermissionRequiredMixin, View):
    """The validation queue (``seguimiento:por_validar``): pending proposals of every kind the user
    may record updates of, oldest first; each is accepted or returned from here (``<app>:decidir``)."""

    def has_permission(self):
        return bool(validacion.tipos_que_valida(self.request.user))

    def get(self, request):
        return self.pagina()

    def pagina(self, status: int = 200, error: str = ""):
        filtros = {clave: str(valor).strip()[:100] for clave, valor in self.request.GET.items()}
        if not filtros.get("dependencia", "").isdigit():
            filtros.pop("dependencia", None)
        cola = validacion.cola(self.request.user, filtros, self.request.GET.get("pagina", "1"))
        self.request.propuestas_pendientes = cola.pendientes  # type: ignore[attr-defined]  # the badge
        contexto = {
            "cola": cola,
            "filtros": filtros,
            "error": error,
            "consulta": ListaView.consulta(self.request, quitar=("pagina",)),
        }
        return render(self.request, "seguimiento/por_validar.html", contexto, status=status)


class DecidirView(ElementoMixin, View):
    """Accept (optionally with a comment) or return (with required observations) one proposal. Any
    refusal (409: decided by someone else, or the item changed; 400: the data) leaves it pending."""

    escribe = True

    def existe_para_el_usuario(self, pk) -> None:
        """``pk`` is the proposal's; whoever may decide reads every item of its kind."""

    def post(self, request, pk):
        modelo = self.modelo.modelo_propuesta()
        propuesta = get_object_or_404(modelo.objects.select_related(modelo.CAMPO_ELEMENTO), pk=pk)
        decision = str(request.POST.get("decision", ""))
        observaciones = str(request.POST.get("observaciones", ""))
        version = str(request.POST.get("version", "")).strip()
        try:
            if decision == "aceptar":
                if version and not version.isdigit():
                    raise ValidationError(_("La versión del formulario no es válida; recargue la página."))
                aceptar_propuesta(
                    propuesta,
                    usuario=request.user,
                    version=int(version) if version else None,
                    comentario=observaciones,
                )
                mensaje = _("Propuesta %(de)s aceptada: el estatus es ahora «%(estatus)s».")
            elif decision == "devolver":
                devolver_propuesta(propuesta, usuario=request.user, observaciones=observaciones)
                mensaje = _("Propuesta %(de)s devuelta con observaciones.")
            else:
                raise ValidationError(_("Elija aceptar o devolver la propuesta."))
        except VersionObsoletaError as conflicto:
            texto = _(
                "No se aceptó la propuesta %(de)s: el elemento recibió otra actualización mientras tanto "
                "(versión %(actual)s). La propuesta sigue pendiente, con su evidencia; revísela de nuevo."
            ) % {"de": propuesta.elemento.de_elemento, "actual": conflicto.elemento.version}
            return self.cola(409, texto)
        except PropuestaDecididaError as decidida:
            return self.cola(409, str(decidida))
        except ValidationError as error:
            texto = _("No se decidió la propuesta %(de)s: %(errores)s La propuesta sigue pendiente.") % {
                "de": propuesta.elemento.de_elemento,
                "errores": " ".join(error.messages),
            }
            return self.cola(400, texto)
        messages.success(
            request, mensaje % {"de": propuesta.elemento.de_elemento, "estatus": propuesta.estatus}
        )
        return redirect(reverse("seguimiento:por_validar"))

    def cola(self, status: int, error: str):
        vista = PorValidarView()
        vista.setup(self.request)
        return vista.pagina(status=status, error=error)
