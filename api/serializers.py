"""What the API shows of each thing, and the update it accepts (derived from the page's form)."""

from types import SimpleNamespace

from django import forms
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from comisiones.models import Atribucion, Comision
from convenios.models import Compromiso, Convenio, Parte
from reportes.models import InformeEmitido
from seguimiento.forms import CAMPOS_DEL_MODELO, ActualizacionForm
from seguimiento.models import Estatus


class EstatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = Estatus
        fields = ["slug", "nombre", "categoria", "orden", "descripcion", "retirado"]


class EstatusBreveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Estatus
        fields = ["slug", "nombre", "categoria"]


class ParteSerializer(serializers.ModelSerializer):
    dependencia = serializers.CharField(source="dependencia.nombre", help_text="Nombre de la dependencia.")
    dependencia_id = serializers.IntegerField(
        help_text="Identificador de la dependencia (el valor de `responsable=` en los compromisos)."
    )
    siglas = serializers.CharField(source="dependencia.siglas")

    class Meta:
        model = Parte
        fields = ["dependencia_id", "dependencia", "siglas", "rol", "etiqueta", "orden"]


class ConvenioSerializer(serializers.ModelSerializer):
    partes = ParteSerializer(many=True, read_only=True)

    class Meta:
        model = Convenio
        fields = [
            "slug",
            "nombre",
            "nota",
            "objeto",
            "fecha_inicio",
            "fecha_fin",
            "contacto_unidad",
            "contacto_institucion",
            "contacto_telefono",
            "contacto_extension",
            "creado_en",
            "partes",
        ]


class ActualizacionSerializer(serializers.Serializer):
    # The docstring is the schema's description of this object, so it is in Spanish.
    """Una entrada del historial de un compromiso o una atribución (nunca cambia ni se borra)."""

    id = serializers.IntegerField()
    estatus = EstatusBreveSerializer()
    estatus_anterior = serializers.CharField(
        source="estatus_anterior.slug", allow_null=True, help_text="Clave del estatus que tenía antes."
    )
    fecha_efectiva = serializers.DateField()
    nota = serializers.CharField()
    nota_publica = serializers.BooleanField(
        help_text="Si la nota se publica en el tablero público y los datos abiertos (/datos/)."
    )
    enlace = serializers.CharField(help_text="Evidencia en línea (vacío si no hay).")
    evidencia = serializers.SerializerMethodField(
        help_text="Dirección de descarga del archivo de evidencia (con sesión o token); null si no hay."
    )
    registrado_por = serializers.SerializerMethodField(
        help_text="Usuario que la registró; null: carga inicial."
    )
    registrado_en = serializers.DateTimeField()
    capturado_por_declarado = serializers.CharField()
    capturado_en_declarado = serializers.DateTimeField(allow_null=True)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_evidencia(self, actualizacion) -> str | None:
        if not actualizacion.evidencia:
            return None
        elemento = actualizacion.modelo_elemento()._meta.model_name
        return reverse(f"api:{elemento}-evidencia", args=[actualizacion.pk])

    @extend_schema_field({"type": "string", "nullable": True})
    def get_registrado_por(self, actualizacion) -> str | None:
        usuario = actualizacion.registrado_por
        return usuario.get_username() if usuario else None


class VigenteSerializer(serializers.Serializer):
    # The docstring is the schema's description of this object, so it is in Spanish.
    """La actualización en vigor: la del estatus actual o, con `?fecha=`, la vigente ese día."""

    id = serializers.IntegerField()
    estatus = EstatusBreveSerializer()
    fecha_efectiva = serializers.DateField()
    nota = serializers.CharField()
    registrado_en = serializers.DateTimeField()


# One instance for every row: building a serializer per row (copying its fields) cost more than the query.
VIGENTE = VigenteSerializer()


class SeguibleSerializer(serializers.ModelSerializer):
    vigente = serializers.SerializerMethodField(
        help_text="La actualización en vigor (estatus actual, o a la fecha de `?fecha=`); null: sin estatus."
    )

    @extend_schema_field(VigenteSerializer(allow_null=True))
    def get_vigente(self, elemento) -> dict | None:
        vigentes = self.context.get("vigentes")
        if vigentes is not None:
            actualizacion = vigentes.get(elemento.actualizacion_al_id)
            return VIGENTE.to_representation(actualizacion) if actualizacion else None
        if elemento.ultima_actualizacion_id is None:
            return None
        # The item's own copies of its current status; the pointer only for the update's id and time.
        actual = SimpleNamespace(
            id=elemento.ultima_actualizacion_id,
            estatus=elemento.estatus_vigente,
            fecha_efectiva=elemento.fecha_vigente,
            nota=elemento.nota_vigente,
            registrado_en=elemento.ultima_actualizacion.registrado_en,
        )
        return VIGENTE.to_representation(actual)


class ResponsableSerializer(serializers.Serializer):
    dependencia_id = serializers.IntegerField()
    dependencia = serializers.CharField(source="dependencia.nombre")
    etiqueta = serializers.CharField()


class CompromisoSerializer(SeguibleSerializer):
    convenio = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    responsable = ResponsableSerializer(
        allow_null=True, help_text="La parte responsable; null: compromiso de «LAS PARTES»."
    )

    class Meta:
        model = Compromiso
        fields = ["id", "convenio", "numero", "texto", "responsable", "fecha_limite", "version", "vigente"]


class ComisionSerializer(serializers.ModelSerializer):
    sistema = serializers.StringRelatedField()
    tipo = serializers.StringRelatedField()
    objetivos = serializers.SlugRelatedField(slug_field="texto", many=True, read_only=True)
    colabora_con = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Comision
        fields = [
            "slug",
            "nombre",
            "sistema",
            "tipo",
            "titulo_ficha",
            "descripcion",
            "objetivos",
            "colabora_con",
        ]


class AtribucionSerializer(SeguibleSerializer):
    comision = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Atribucion
        fields = ["id", "comision", "materia", "numero", "texto", "version", "vigente"]


class InformeEmitidoSerializer(serializers.ModelSerializer):
    folio = serializers.CharField()
    convenio = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    comision = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    emitido_por = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = InformeEmitido
        fields = ["folio", "tipo", "convenio", "comision", "fecha", "emitido_en", "emitido_por", "sha256"]


# The page's form field → the serializer field that documents it. The form validates; this only describes.
DESDE_EL_FORMULARIO = (
    (forms.URLField, serializers.URLField),
    (forms.CharField, serializers.CharField),
    (forms.DateField, serializers.DateField),
    (forms.IntegerField, serializers.IntegerField),
    (forms.FileField, serializers.FileField),
    (forms.BooleanField, serializers.BooleanField),
    (forms.ChoiceField, serializers.CharField),
)


def nombre_en_api(campo_del_formulario: str) -> str:
    """The API names fields as the model does (``fecha_efectiva``), the page's form as its POST does."""
    return CAMPOS_DEL_MODELO.get(campo_del_formulario, campo_del_formulario)


def _serializer_del_formulario(formulario: type[forms.Form]) -> type[serializers.Serializer]:
    campos = {}
    for nombre, campo in formulario.base_fields.items():
        tipo = next(s for f, s in DESDE_EL_FORMULARIO if isinstance(campo, f))
        ayuda = ". ".join(str(t) for t in (campo.label, campo.help_text) if t)
        opciones = {"required": campo.required, "help_text": ayuda or None}
        texto = tipo in (serializers.CharField, serializers.URLField)
        if texto and getattr(campo, "max_length", None):
            opciones["max_length"] = campo.max_length
        if texto and not campo.required:
            opciones["allow_blank"] = True
        if getattr(campo, "min_value", None) is not None:
            opciones["min_value"] = campo.min_value
        if not campo.required:  # the API reads null as absent (``datos_del_formulario``); say so
            opciones["allow_null"] = True
        if isinstance(campo, forms.ChoiceField):
            # The choices the form offers when it is built (active statuses), read when the schema is.
            tipo = type(f"Opciones_{nombre}", (tipo,), {"opciones_del_formulario": (formulario, nombre)})
        campos[nombre_en_api(nombre)] = tipo(**opciones)
    return type("ActualizacionEntradaSerializer", (serializers.Serializer,), campos)


# Fields added to the page's form (e.g. a public note) appear here, and in the schema, by themselves.
ActualizacionEntradaSerializer = _serializer_del_formulario(ActualizacionForm)
ActualizacionEntradaSerializer.__doc__ = (
    "Una actualización de estatus. `estatus`: clave del catálogo (`/api/v1/estatus/`), no retirado; "
    "`version`: la versión del elemento en la que se basa; `evidencia`: archivo, solo en multipart/form-data."
)


class ActualizacionRegistradaSerializer(serializers.Serializer):
    actualizacion = ActualizacionSerializer()
    version = serializers.IntegerField(help_text="La nueva versión del elemento.")


class ConflictoSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version_actual = serializers.IntegerField()
    version_enviada = serializers.IntegerField(allow_null=True)
    registradas_despues = ActualizacionSerializer(
        many=True, help_text="Lo que cambió: las actualizaciones registradas desde la versión enviada."
    )


class DecisionSerializer(serializers.Serializer):
    """La decisión sobre una propuesta (una sola; nunca cambia)."""

    tipo = serializers.ChoiceField(choices=["aceptada", "devuelta"])
    observaciones = serializers.CharField()
    decidido_por = serializers.CharField(source="decidido_por.username")
    registrado_en = serializers.DateTimeField()


class PropuestaSerializer(serializers.Serializer):
    """Una propuesta de actualización de un enlace: no está en vigor hasta que se acepta."""

    id = serializers.SerializerMethodField(
        help_text="`compromiso-<n>` o `atribucion-<n>`: el tipo de elemento y el número de la propuesta."
    )
    elemento = serializers.IntegerField(source="elemento.pk", help_text="id del compromiso o la atribución.")
    estatus = serializers.CharField(source="estatus.slug")
    estatus_anterior = serializers.CharField(source="estatus_anterior.slug", allow_null=True)
    fecha_efectiva = serializers.DateField()
    nota = serializers.CharField()
    nota_publica = serializers.BooleanField()
    enlace = serializers.CharField()
    tiene_evidencia = serializers.SerializerMethodField()
    version = serializers.IntegerField(help_text="La versión del elemento de la que partió.")
    propuesto_por = serializers.CharField(source="propuesto_por.username")
    dependencia = serializers.CharField(source="dependencia.nombre", allow_null=True)
    registrado_en = serializers.DateTimeField()
    estado = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()

    def get_id(self, propuesta) -> str:
        return f"{propuesta.modelo_elemento()._meta.model_name}-{propuesta.pk}"

    def get_tiene_evidencia(self, propuesta) -> bool:
        return bool(propuesta.evidencia)

    @extend_schema_field({"type": "string", "enum": ["pendiente", "aceptada", "devuelta"]})
    def get_estado(self, propuesta) -> str:
        decision = propuesta.decision_o_none()
        return decision.tipo if decision else "pendiente"

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, propuesta) -> dict | None:
        decision = propuesta.decision_o_none()
        return DecisionSerializer(decision).data if decision else None


class DecisionEntradaSerializer(serializers.Serializer):
    """Aceptar (comentario opcional) o devolver (observaciones obligatorias) una propuesta pendiente."""

    decision = serializers.ChoiceField(choices=["aceptar", "devolver"])
    observaciones = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text=(
            "La versión del elemento que vio quien decide; sin ella, aquella de la que partió la propuesta."
        ),
    )


class DecisionProrrogaSerializer(serializers.Serializer):
    """La decisión sobre una solicitud de prórroga (una sola; nunca cambia)."""

    tipo = serializers.ChoiceField(choices=["aprobada", "rechazada"])
    comentario = serializers.CharField()
    fecha_anterior = serializers.DateField(
        allow_null=True, help_text="La fecha límite que la aprobación reemplazó (null si se rechazó)."
    )
    decidido_por = serializers.CharField(source="decidido_por.username")
    registrado_en = serializers.DateTimeField()


class ProrrogaSerializer(serializers.Serializer):
    """Una solicitud de prórroga de la fecha límite de un compromiso: la fecha no cambia hasta que se
    aprueba."""

    id = serializers.IntegerField()
    compromiso = serializers.IntegerField(source="compromiso_id", help_text="id del compromiso.")
    fecha_anterior = serializers.DateField(allow_null=True, help_text="La fecha límite al solicitarla.")
    fecha_nueva = serializers.DateField()
    justificacion = serializers.CharField()
    solicitado_por = serializers.CharField(source="solicitado_por.username")
    dependencia = serializers.CharField(source="dependencia.nombre", allow_null=True)
    registrado_en = serializers.DateTimeField()
    estado = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "enum": ["pendiente", "aprobada", "rechazada"]})
    def get_estado(self, solicitud) -> str:
        decision = solicitud.decision_o_none()
        return decision.tipo if decision else "pendiente"

    @extend_schema_field(DecisionProrrogaSerializer(allow_null=True))
    def get_decision(self, solicitud) -> dict | None:
        decision = solicitud.decision_o_none()
        return DecisionProrrogaSerializer(decision).data if decision else None


class ProrrogaEntradaSerializer(serializers.Serializer):
    """Pedir que se mueva la fecha límite (las reglas del formulario de la página)."""

    fecha_nueva = serializers.DateField(help_text="AAAA-MM-DD: posterior a la vigente y no en el pasado.")
    justificacion = serializers.CharField(help_text="Obligatoria.")


class DecisionProrrogaEntradaSerializer(serializers.Serializer):
    """Aprobar (comentario opcional) o rechazar (comentario obligatorio) una solicitud pendiente."""

    decision = serializers.ChoiceField(choices=["aprobar", "rechazar"])
    comentario = serializers.CharField(required=False, allow_blank=True)
