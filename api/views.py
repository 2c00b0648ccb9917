"""The API's views: thin, on the pages' querysets, FilterSet, form and service.

Each view names the Django permission the page for the same data demands (``permisos_requeridos``);
nothing is writable but an item's history, by appending one update through ``registrar_actualizacion``.
"""

import re
from functools import cached_property

from django.core.exceptions import ValidationError as ErrorDelModelo
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from comisiones.models import Atribucion, Comision
from convenios.filters import compromisos_base
from convenios.forms import ProrrogaForm
from convenios.models import Compromiso, Convenio, DecisionProrroga, Parte, SolicitudProrroga
from convenios.services import (
    ProrrogaDecididaError,
    ProrrogaPendienteError,
    decidir_prorroga,
    solicitar_prorroga,
)
from reportes.informes import emitido, tipos_legibles
from reportes.models import InformeEmitido
from seguimiento.evidencias import descarga_de_evidencia
from seguimiento.forms import ActualizacionForm
from seguimiento.models import Estatus, FechaInvalida, Seguible, leer_fecha
from seguimiento.replica import en_replica
from seguimiento.services import (
    PropuestaDecididaError,
    PropuestaPendienteError,
    VersionObsoletaError,
    aceptar_propuesta,
    devolver_propuesta,
    registrar_actualizacion,
)
from seguimiento.services import proponer as servicio_proponer
from seguimiento.validacion import modelos_de_propuesta, tipos_que_valida

from . import serializers as s
from .filters import AtribucionFilterSet, CompromisoFilterSet, FiltroDeFilterSet
from .permissions import PermisoDeLaPagina

FECHA = OpenApiParameter(
    "fecha",
    OpenApiTypes.DATE,
    description=(
        "AAAA-MM-DD: `vigente` muestra el estatus a esa fecha según el historial (como los informes); "
        "sin ella, el actual. No futura. Los filtros se aplican al estatus actual."
    ),
)


def accion_pedida(vista) -> str | None:
    """The view's action, also for a method it does not accept (DRF leaves ``action`` None then): so a
    PUT to an endpoint is refused by that endpoint's permission first (403), then by its method (405)."""
    if vista.action:
        return vista.action
    coincidencia = vista.request.resolver_match
    return coincidencia.url_name.rpartition("-")[2] if coincidencia and coincidencia.url_name else None


class VistaDeLaPagina:
    """Permission: the one the page for the same data demands (``permiso``)."""

    permission_classes = [PermisoDeLaPagina]
    permiso = ""
    # Any segment reaches the view, so even "0.5" gets the API's JSON 404, not the site's HTML page.
    lookup_value_regex = "[^/]+"

    def permisos_requeridos(self) -> list[str]:
        return [self.permiso]

    def initial(self, request, *args, **kwargs):
        """DRF's, with the limit checked before the permissions: those may already answer for one
        object (404 for what an Enlace may not read), and a spent limit is 429 on every route."""
        self.format_kwarg = self.get_format_suffix(**kwargs)  # type: ignore[attr-defined]
        negociado = self.perform_content_negotiation(request)  # type: ignore[attr-defined]
        request.accepted_renderer, request.accepted_media_type = negociado
        request.version, request.versioning_scheme = self.determine_version(request, *args, **kwargs)  # type: ignore[attr-defined]
        self.perform_authentication(request)  # type: ignore[attr-defined]
        self.check_throttles(request)  # type: ignore[attr-defined]
        self.check_permissions(request)  # type: ignore[attr-defined]

    def list(self, request, *args, **kwargs):
        """GET lists tolerate a few seconds of lag: the replica, if any, unless as of a date (``fecha``)."""
        with en_replica("fecha" not in request.query_params):
            return super().list(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="Convenios con sus partes", tags=["convenios"]),
    retrieve=extend_schema(summary="Un convenio, por su clave", tags=["convenios"]),
)
class ConvenioViewSet(VistaDeLaPagina, viewsets.ReadOnlyModelViewSet):
    permiso = Convenio.permiso_lectura()
    serializer_class = s.ConvenioSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return (
            Convenio.objects.visibles_para(self.request.user)
            .prefetch_related(Prefetch("partes", queryset=Parte.objects.select_related("dependencia")))
            .order_by("nombre", "pk")
        )


class ElementoViewSet(VistaDeLaPagina, viewsets.ReadOnlyModelViewSet):
    """Commitments or duties: list, one, its history (GET) and a new update (POST)."""

    modelo: type[Seguible] = None
    filter_backends = [FiltroDeFilterSet]

    def permisos_requeridos(self) -> list[str]:
        if self.action == "actualizaciones" and self.request.method == "POST":
            return [self.modelo.permiso_escritura()]
        if accion_pedida(self) == "propuestas":
            return [self.modelo.permiso_proponer()]
        if accion_pedida(self) == "prorrogas":
            return [SolicitudProrroga.permiso("add")]
        return [self.modelo.permiso_lectura()]

    def base(self):
        raise NotImplementedError

    def check_permissions(self, request):
        # An item its reader may not see (an Enlace's other institutions) is 404 before any 403, for
        # every method: the answer never tells that it exists.
        pk = self.kwargs.get("pk")
        if pk is not None and request.user.has_perm(self.modelo.permiso_lectura()):
            visibles = self.modelo.objects.visibles_para(request.user)
            if not re.fullmatch(r"[0-9]{1,18}", str(pk)) or not visibles.filter(pk=int(pk)).exists():
                raise NotFound
        super().check_permissions(request)

    @cached_property
    def fecha(self):
        valor = self.request.query_params.get("fecha")
        if valor is None:
            return None
        if not valor.strip():
            raise ValidationError({"fecha": [_("Dé un valor o quite el parámetro.")]})
        try:
            return leer_fecha(valor)
        except FechaInvalida as error:
            raise ValidationError({"fecha": [str(error)]}) from None

    def get_queryset(self):
        qs = self.base().visibles_para(self.request.user)
        return qs.con_estatus_al(self.fecha) if self.fecha else qs

    def get_serializer(self, *args, **kwargs):
        """With ``?fecha=``, read the updates in effect on that date for these items in one query."""
        if self.fecha and args:
            elementos = args[0] if kwargs.get("many") else [args[0]]
            ids = [e.actualizacion_al_id for e in elementos if e.actualizacion_al_id]
            vigentes = self.modelo.modelo_actualizacion().objects.select_related("estatus").in_bulk(ids)
            kwargs["context"] = {**self.get_serializer_context(), "vigentes": vigentes}
        return super().get_serializer(*args, **kwargs)

    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def actualizaciones(self, request, pk=None):
        elemento = self.get_object()
        if request.method == "GET":
            historial = elemento.actualizaciones.para_historial()
            return Response(s.ActualizacionSerializer(historial, many=True).data)
        return self.registrar(elemento)

    @action(detail=False, url_path=r"evidencias/(?P<actualizacion>[^/]+)", pagination_class=None)
    def evidencia(self, request, actualizacion=None):
        """The page's private download, reached with a token too (the read permission was checked)."""
        # ASCII digits only ("¹".isdigit() is true, int("¹") fails), and no wider than a bigint.
        if not re.fullmatch(r"[0-9]{1,18}", str(actualizacion)):
            raise NotFound
        return descarga_de_evidencia(self.modelo.modelo_actualizacion(), int(actualizacion), request.user)

    @action(detail=True, methods=["post"], pagination_class=None)
    def propuestas(self, request, pk=None):
        """Propose an update (an Enlace): only for an item of ``proponibles_para``, 404 otherwise."""
        if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
            raise NotFound
        elemento = get_object_or_404(self.modelo.objects.proponibles_para(request.user), pk=int(pk))
        return self.registrar(elemento, proponer=True)

    def registrar(self, elemento: Seguible, proponer: bool = False) -> Response:
        """The page's form validates (one rule), the service records (or keeps the proposal); 201, 400
        or 409."""
        if not isinstance(self.request.data, dict):  # a JSON list, string, number or null
            raise ParseError(_("El cuerpo debe ser un objeto JSON con los campos de la actualización."))
        if errores_de_tipo := self.tipos_json():
            return Response(errores_de_tipo, status=status.HTTP_400_BAD_REQUEST)
        form = ActualizacionForm(self.datos_del_formulario(), self.request.FILES, elemento=elemento)
        if not form.is_valid():
            return Response(self.errores(form), status=status.HTTP_400_BAD_REQUEST)
        try:
            if proponer:
                propuesta = servicio_proponer(elemento, usuario=self.request.user, **form.para_servicio())
                return Response(s.PropuestaSerializer(propuesta).data, status=status.HTTP_201_CREATED)
            actualizacion = registrar_actualizacion(
                elemento, usuario=self.request.user, **form.para_servicio()
            )
        except PropuestaPendienteError as pendiente:
            cuerpo = {"detail": str(pendiente), "pendiente": s.PropuestaSerializer(pendiente.pendiente).data}
            return Response(cuerpo, status=status.HTTP_409_CONFLICT)
        except VersionObsoletaError as conflicto:
            cuerpo = {
                "detail": str(conflicto),
                "version_actual": conflicto.elemento.version,
                "version_enviada": conflicto.version_enviada,
                "registradas_despues": s.ActualizacionSerializer(
                    conflicto.registradas_despues(), many=True
                ).data,
            }
            return Response(cuerpo, status=status.HTTP_409_CONFLICT)
        except ErrorDelModelo as error:
            return Response({api_settings.NON_FIELD_ERRORS_KEY: error.messages}, status=400)
        cuerpo = {"actualizacion": s.ActualizacionSerializer(actualizacion).data, "version": elemento.version}
        return Response(cuerpo, status=status.HTTP_201_CREATED)

    def tipos_json(self) -> dict:
        """In JSON each field has the type the schema says (a form's text cannot be a number or an
        object); null is an absent optional field. Multipart bodies are all text, checked by the form."""
        if not (self.request.content_type or "").startswith("application/json"):
            return {}
        errores = {}
        for nombre, campo in s.ActualizacionEntradaSerializer().fields.items():
            valor = self.request.data.get(nombre)
            if valor is None:
                continue
            if isinstance(campo, serializers.FileField):
                errores[nombre] = [_("El archivo de evidencia se envía en multipart/form-data, no en JSON.")]
            elif isinstance(campo, serializers.BooleanField) and not isinstance(valor, bool):
                errores[nombre] = [_("Escriba true o false.")]
            elif isinstance(campo, serializers.IntegerField) and (
                isinstance(valor, bool) or not isinstance(valor, int)
            ):
                errores[nombre] = [_("Introduzca un número entero.")]
            elif isinstance(campo, serializers.CharField | serializers.DateField) and not isinstance(
                valor, str
            ):
                errores[nombre] = [_("Escriba un texto.")]
        return errores

    def datos_del_formulario(self) -> dict:
        """The body under the form's names; JSON numbers and the like as the text a form would receive."""
        datos = {}
        for nombre in ActualizacionForm.base_fields:
            valor = self.request.data.get(s.nombre_en_api(nombre))
            if valor is None or hasattr(valor, "read"):  # files come from request.FILES
                continue
            if isinstance(valor, bool) or not isinstance(valor, str | int):
                valor = repr(valor)
            datos[nombre] = str(valor)
        return datos

    @staticmethod
    def errores(form) -> dict:
        return {
            api_settings.NON_FIELD_ERRORS_KEY if campo == "__all__" else s.nombre_en_api(campo): list(
                mensajes
            )
            for campo, mensajes in form.errors.items()
        }


def evidencia(tag: str):
    return extend_schema(
        tags=[tag],
        summary="Descargar el archivo de evidencia de una actualización",
        parameters=[
            OpenApiParameter(
                "actualizacion", int, OpenApiParameter.PATH, description="id de la actualización"
            )
        ],
        responses={(200, "*/*"): OpenApiTypes.BINARY},
    )


HISTORIAL = extend_schema(
    methods=["GET"],
    summary="Historial: todas las actualizaciones, de la más reciente a la más antigua",
    responses=s.ActualizacionSerializer(many=True),
)
PROPONER = extend_schema(
    summary="Proponer una actualización de estatus (enlace)",
    description=(
        "Los mismos campos y reglas que registrar una actualización, pero no entra en vigor: queda "
        "pendiente hasta que un Capturista la acepta o la devuelve (`/api/v1/propuestas/`). Solo para "
        "elementos que el enlace puede proponer (404 para cualquier otro). 409 si `version` no es la "
        "actual o si ya hay una propuesta pendiente para el elemento (la nombra)."
    ),
    request={
        "multipart/form-data": s.ActualizacionEntradaSerializer,
        "application/json": s.ActualizacionEntradaSerializer,
    },
    responses={201: s.PropuestaSerializer, 409: s.ConflictoSerializer},
)
PRORROGAR = extend_schema(
    summary="Pedir una prórroga de la fecha límite (enlace)",
    description=(
        "La nueva fecha límite (posterior a la vigente y no en el pasado) y la justificación "
        "(obligatoria). La fecha no cambia hasta que un Capturista la aprueba (`/api/v1/prorrogas/`). "
        "Solo para compromisos de sus instituciones y conjuntos de sus convenios (404 para cualquier "
        "otro); 409 si ya hay una solicitud pendiente para el compromiso (la nombra); 400 con los "
        "errores en español."
    ),
    request=s.ProrrogaEntradaSerializer,
    responses={201: s.ProrrogaSerializer, 409: OpenApiTypes.OBJECT},
    tags=["prorrogas"],
)
REGISTRAR = extend_schema(
    methods=["POST"],
    summary="Registrar una actualización de estatus",
    description=(
        "Las mismas reglas que el formulario de la página: estatus del catálogo y no retirado, fecha "
        "efectiva no futura, nota obligatoria si el estatus es desfavorable, evidencia revisada por su "
        "contenido (PDF, imagen u Office, 10 MB). 201 con la actualización y la nueva versión; 409 si "
        "`version` no es la actual (no se guarda nada; dice qué cambió); 400 con los errores en español; "
        "403 a quien no registra actualizaciones."
    ),
    request={
        "multipart/form-data": s.ActualizacionEntradaSerializer,
        "application/json": s.ActualizacionEntradaSerializer,
    },
    responses={201: s.ActualizacionRegistradaSerializer, 409: s.ConflictoSerializer},
)


@extend_schema_view(
    list=extend_schema(
        summary="Compromisos con su estatus, filtrables como la página de compromisos",
        description=(
            "Los parámetros son los de `/convenios/compromisos/` (el mismo `CompromisoFilterSet`), "
            "salvo `fecha`, que aquí solo cambia `vigente` (los filtros leen el estatus actual). "
            "Un valor inválido da 400 con el motivo, nunca un resultado parcial."
        ),
        parameters=[FECHA],
        tags=["compromisos"],
    ),
    retrieve=extend_schema(summary="Un compromiso", parameters=[FECHA], tags=["compromisos"]),
    actualizaciones=extend_schema(tags=["compromisos"]),
    propuestas=extend_schema(tags=["compromisos"]),
    evidencia=evidencia("compromisos"),
)
class CompromisoViewSet(ElementoViewSet):
    modelo = Compromiso
    serializer_class = s.CompromisoSerializer
    filterset_class = CompromisoFilterSet

    def base(self):
        return compromisos_base()

    @HISTORIAL
    @REGISTRAR
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def actualizaciones(self, request, pk=None):
        return super().actualizaciones(request, pk)

    @PROPONER
    @action(detail=True, methods=["post"], pagination_class=None)
    def propuestas(self, request, pk=None):
        return super().propuestas(request, pk)

    @PRORROGAR
    @action(detail=True, methods=["post"], pagination_class=None)
    def prorrogas(self, request, pk=None):
        """Ask to move the due date (an Enlace): the page's form and service; only a commitment of
        ``proponibles_para``, 404 otherwise; 409 while another request is pending."""
        if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
            raise NotFound
        compromiso = get_object_or_404(Compromiso.objects.proponibles_para(request.user), pk=int(pk))
        if not isinstance(request.data, dict):
            raise ParseError(_("El cuerpo debe ser un objeto JSON con la nueva fecha y la justificación."))
        datos = {
            campo: valor
            for campo in ProrrogaForm.base_fields
            if isinstance(valor := request.data.get(campo), str)
        }
        errores_de_tipo = {
            campo: [_("Escriba un texto.")]
            for campo in ProrrogaForm.base_fields
            if request.data.get(campo) is not None and campo not in datos
        }
        if errores_de_tipo:
            return Response(errores_de_tipo, status=status.HTTP_400_BAD_REQUEST)
        form = ProrrogaForm(datos)
        if not form.is_valid():
            return Response(self.errores(form), status=status.HTTP_400_BAD_REQUEST)
        try:
            solicitud = solicitar_prorroga(compromiso, usuario=request.user, **form.cleaned_data)
        except ProrrogaPendienteError as pendiente:
            return Response({"detail": str(pendiente)}, status=status.HTTP_409_CONFLICT)
        except ErrorDelModelo as error:
            cuerpo = {
                api_settings.NON_FIELD_ERRORS_KEY if campo == "__all__" else campo: mensajes
                for campo, mensajes in error.message_dict.items()
            }
            return Response(cuerpo, status=status.HTTP_400_BAD_REQUEST)
        solicitud = SolicitudProrroga.objects.para_lista().get(pk=solicitud.pk)
        return Response(s.ProrrogaSerializer(solicitud).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Atribuciones de las comisiones con su estatus", parameters=[FECHA], tags=["comisiones"]
    ),
    retrieve=extend_schema(summary="Una atribución", parameters=[FECHA], tags=["comisiones"]),
    actualizaciones=extend_schema(tags=["comisiones"]),
    propuestas=extend_schema(tags=["comisiones"]),
    evidencia=evidencia("comisiones"),
)
class AtribucionViewSet(ElementoViewSet):
    modelo = Atribucion
    serializer_class = s.AtribucionSerializer
    filterset_class = AtribucionFilterSet

    def base(self):
        return (
            Atribucion.objects.con_estatus_actual()
            .select_related("comision", "ultima_actualizacion")
            .order_by("comision__nombre", "numero", "pk")
        )

    @HISTORIAL
    @REGISTRAR
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def actualizaciones(self, request, pk=None):
        return super().actualizaciones(request, pk)

    @PROPONER
    @action(detail=True, methods=["post"], pagination_class=None)
    def propuestas(self, request, pk=None):
        return super().propuestas(request, pk)


@extend_schema_view(
    list=extend_schema(summary="Comisiones del SNT", tags=["comisiones"]),
    retrieve=extend_schema(summary="Una comisión, por su clave", tags=["comisiones"]),
)
class ComisionViewSet(VistaDeLaPagina, viewsets.ReadOnlyModelViewSet):
    permiso = Comision.permiso_lectura()
    serializer_class = s.ComisionSerializer
    lookup_field = "slug"

    def get_queryset(self):
        visibles = Comision.objects.visibles_para(self.request.user)
        return (
            visibles.select_related("sistema", "tipo")
            .prefetch_related("objetivos", Prefetch("colabora_con", queryset=visibles))
            .order_by("nombre", "pk")
        )


@extend_schema_view(list=extend_schema(summary="Catálogo de estatus", tags=["estatus"]))
class EstatusViewSet(VistaDeLaPagina, mixins.ListModelMixin, viewsets.GenericViewSet):
    permiso = Estatus.permiso_lectura()
    serializer_class = s.EstatusSerializer
    pagination_class = None
    queryset = Estatus.objects.order_by("orden", "nombre", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="Informes emitidos (folio, fecha, SHA-256)",
        description=(
            "Los que el usuario emitió (Gerente, Auditor y superusuarios: todos), solo de lo que puede "
            "leer (convenios, comisiones), como en las páginas."
        ),
        tags=["informes"],
    ),
    retrieve=extend_schema(
        summary="Un informe emitido, por su folio",
        parameters=[OpenApiParameter("folio", str, OpenApiParameter.PATH, description="IS-AAAA-NNNNNN")],
        tags=["informes"],
    ),
)
class InformeViewSet(VistaDeLaPagina, viewsets.ReadOnlyModelViewSet):
    permiso = InformeEmitido.permiso("descargar_informe")
    serializer_class = s.InformeEmitidoSerializer
    lookup_field = "folio"

    def get_queryset(self):
        usuario = self.request.user
        return InformeEmitido.objects.visibles_para(usuario, tipos_legibles(usuario)).order_by(
            "-emitido_en", "-pk"
        )

    def get_object(self):
        # The page's rule: 404 for an unknown folio, 403 if the user may not read what it shows.
        return emitido(self.kwargs["folio"], self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="Propuestas de actualización",
        description=(
            "Quien valida (Capturista) ve todas las de los tipos de elemento que registra; un enlace, las "
            "suyas; quien solo lee, las de lo que puede leer. De la más antigua a la más reciente."
        ),
        tags=["propuestas"],
    ),
    decision=extend_schema(
        summary="Aceptar o devolver una propuesta pendiente (Capturista)",
        description=(
            "Aceptar registra la actualización a nombre de quien acepta, ahora, vinculada a la propuesta; "
            "devolver exige `observaciones`. 409 si ya se decidió o si el elemento cambió (la propuesta "
            "sigue pendiente); 400 con los errores en español; 404 si no existe."
        ),
        parameters=[
            OpenApiParameter("id", str, OpenApiParameter.PATH, description="compromiso-<n> o atribucion-<n>")
        ],
        request=s.DecisionEntradaSerializer,
        responses={200: s.PropuestaSerializer},
        tags=["propuestas"],
    ),
)
class PropuestaViewSet(VistaDeLaPagina, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Proposals of both kinds of item, and the decision on one; the pages' services and rules."""

    serializer_class = s.PropuestaSerializer

    def permisos_requeridos(self) -> list[str]:
        """Seeing proposals of some kind (``view``); deciding, recording updates of the proposal's kind
        (asked again in ``decision`` for that kind)."""
        if accion_pedida(self) == "decision":
            candidatos = [m.modelo_elemento().permiso_escritura() for m in modelos_de_propuesta()]
        else:
            candidatos = [m.permiso("view") for m in modelos_de_propuesta()]
        tiene = [p for p in candidatos if self.request.user.has_perm(p)]
        return tiene[:1] or candidatos[:1]

    def get_queryset(self):
        usuario = self.request.user
        validados = tipos_que_valida(usuario)
        propuestas = []
        for modelo in modelos_de_propuesta():
            if not usuario.has_perm(modelo.permiso("view")):
                continue
            qs = modelo.objects.para_historial().select_related(modelo.CAMPO_ELEMENTO)
            if modelo not in validados and usuario.has_perm(modelo.permiso("add")):
                qs = qs.filter(propuesto_por=usuario)  # an Enlace: its own
            elemento = modelo.modelo_elemento()
            qs = qs.filter(**{f"{modelo.CAMPO_ELEMENTO}__in": elemento.objects.visibles_para(usuario)})
            propuestas += list(qs)
        return sorted(propuestas, key=lambda p: (p.registrado_en, p.modelo_elemento()._meta.model_name, p.pk))

    def get_object(self):
        tipo, _guion, numero = str(self.kwargs.get("pk", "")).partition("-")
        por_tipo = {m.modelo_elemento()._meta.model_name: m for m in modelos_de_propuesta()}
        if tipo not in por_tipo or not re.fullmatch(r"[0-9]{1,18}", numero):
            raise NotFound
        return get_object_or_404(
            por_tipo[tipo].objects.select_related(por_tipo[tipo].CAMPO_ELEMENTO), pk=int(numero)
        )

    @action(detail=True, methods=["post"], pagination_class=None)
    def decision(self, request, pk=None):
        propuesta = self.get_object()
        if not request.user.has_perm(propuesta.modelo_elemento().permiso_escritura()):
            raise PermissionDenied
        entrada = s.DecisionEntradaSerializer(data=request.data)
        entrada.is_valid(raise_exception=True)
        datos = entrada.validated_data
        try:
            if datos["decision"] == "aceptar":
                aceptar_propuesta(
                    propuesta,
                    usuario=request.user,
                    version=datos.get("version"),
                    comentario=datos.get("observaciones", ""),
                )
            else:
                devolver_propuesta(
                    propuesta, usuario=request.user, observaciones=datos.get("observaciones", "")
                )
        except VersionObsoletaError as conflicto:
            cuerpo = {
                "detail": str(conflicto) + " " + str(_("La propuesta sigue pendiente.")),
                "version_actual": conflicto.elemento.version,
                "version_enviada": conflicto.version_enviada,
            }
            return Response(cuerpo, status=status.HTTP_409_CONFLICT)
        except PropuestaDecididaError as decidida:
            return Response({"detail": str(decidida)}, status=status.HTTP_409_CONFLICT)
        except ErrorDelModelo as error:
            return Response({api_settings.NON_FIELD_ERRORS_KEY: error.messages}, status=400)
        return Response(
            s.PropuestaSerializer(type(propuesta).objects.para_historial().get(pk=propuesta.pk)).data
        )


@extend_schema_view(
    list=extend_schema(
        summary="Solicitudes de prórroga",
        description=(
            "Quien decide (Capturista) y quien solo lee ven las de los compromisos que puede leer; un "
            "enlace, las suyas. Primero las pendientes (de la más antigua a la más reciente), después "
            "las decididas."
        ),
        tags=["prorrogas"],
    ),
    decision=extend_schema(
        summary="Aprobar o rechazar una solicitud de prórroga pendiente (Capturista)",
        description=(
            "Aprobar mueve la fecha límite a la pedida, en la misma transacción; rechazar exige "
            "`comentario`. 409 si ya se decidió; 400 con los errores en español; 404 si no existe."
        ),
        request=s.DecisionProrrogaEntradaSerializer,
        responses={200: s.ProrrogaSerializer, 409: OpenApiTypes.OBJECT},
        tags=["prorrogas"],
    ),
)
class ProrrogaViewSet(VistaDeLaPagina, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Extension requests, and the decision on one: the pages' services and rules."""

    serializer_class = s.ProrrogaSerializer

    def permisos_requeridos(self) -> list[str]:
        if accion_pedida(self) == "decision":
            return [DecisionProrroga.permiso("add")]
        return [SolicitudProrroga.permiso("view")]

    def get_queryset(self):
        usuario = self.request.user
        visibles = Compromiso.objects.visibles_para(usuario).values("pk")
        solicitudes = SolicitudProrroga.objects.para_lista().filter(compromiso__in=visibles)
        if not usuario.has_perm(DecisionProrroga.permiso("add")) and usuario.has_perm(
            SolicitudProrroga.permiso("add")
        ):
            solicitudes = solicitudes.filter(solicitado_por=usuario)  # an Enlace: its own
        return solicitudes

    def check_permissions(self, request):
        # A request about a commitment its reader may not see is 404 before any 403 (as the page).
        pk = self.kwargs.get("pk")
        if pk is not None and request.user.has_perm(Compromiso.permiso_lectura()):
            self.solicitud()
        super().check_permissions(request)

    def solicitud(self) -> SolicitudProrroga:
        pk = str(self.kwargs.get("pk", ""))
        if not re.fullmatch(r"[0-9]{1,18}", pk):
            raise NotFound
        visibles = Compromiso.objects.visibles_para(self.request.user).values("pk")
        return get_object_or_404(
            SolicitudProrroga.objects.select_related("compromiso").filter(compromiso__in=visibles), pk=int(pk)
        )

    @action(detail=True, methods=["post"], pagination_class=None)
    def decision(self, request, pk=None):
        solicitud = self.solicitud()
        entrada = s.DecisionProrrogaEntradaSerializer(data=request.data)
        entrada.is_valid(raise_exception=True)
        datos = entrada.validated_data
        try:
            decidir_prorroga(
                solicitud,
                tipo=DecisionProrroga.DECISIONES[datos["decision"]],
                usuario=request.user,
                comentario=datos.get("comentario", ""),
            )
        except ProrrogaDecididaError as decidida:
            return Response({"detail": str(decidida)}, status=status.HTTP_409_CONFLICT)
        except ErrorDelModelo as error:
            return Response({api_settings.NON_FIELD_ERRORS_KEY: error.messages}, status=400)
        return Response(
            s.ProrrogaSerializer(SolicitudProrroga.objects.para_lista().get(pk=solicitud.pk)).data
        )
