"""Import and export of convenios, parties, commitments and status updates (django-import-export).

Every row names other records by natural keys (convenio slug, dependencia name, commitment number,
status slug or name), never by database id. Lookups are loaded once into dicts and rows are written in
bulk; status updates are appended through ``seguimiento.services.registrar_actualizaciones``.
"""

import copy
import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from seguimiento.models import Estatus
from seguimiento.services import registrar_actualizaciones

from .models import Actualizacion, Compromiso, Convenio, Dependencia, Parte

FORMATOS_FECHA = ["%Y-%m-%d", "%d/%m/%Y"]


def texto(valor) -> str:
    """A cell as text: None is empty, 3.0 (a number typed in a spreadsheet) is "3"."""
    if valor is None:
        return ""
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)
    return str(valor).strip()


class TextoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return texto(value)

    def render(self, value, obj=None, **kwargs):
        return texto(value)


class NumeroWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        valor = texto(value)
        if not valor:
            return None
        if not valor.isdigit():
            raise ValueError(_("«%(valor)s» no es un número entero positivo.") % {"valor": valor})
        return int(valor)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class FechaWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        valor = texto(value)
        if not valor:
            return None
        for formato in FORMATOS_FECHA:
            try:
                return datetime.datetime.strptime(valor, formato).date()
            except ValueError:
                continue
        raise ValueError(
            _("Fecha no válida: «%(valor)s». Escríbala como AAAA-MM-DD.") % {"valor": valor[:40]}
        )

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class MomentoWidget(widgets.Widget):
    """A moment with its UTC offset and microseconds, so an export re-imports exactly; a date alone
    is its first minute, local time."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            momento = value
        elif isinstance(value, datetime.date):
            momento = datetime.datetime.combine(value, datetime.time())
        else:
            valor = texto(value)
            if not valor:
                return None
            try:
                momento = datetime.datetime.fromisoformat(valor)
            except ValueError:
                try:
                    momento = datetime.datetime.combine(FechaWidget().clean(valor), datetime.time())
                except ValueError:
                    raise ValueError(
                        _(
                            "Fecha y hora no válidas: «%(valor)s». "
                            "Escríbalas como AAAA-MM-DD o AAAA-MM-DD HH:MM."
                        )
                        % {"valor": valor[:40]}
                    ) from None
        if timezone.is_naive(momento):
            momento = timezone.make_aware(momento)
        return momento

    def render(self, value, obj=None, **kwargs):
        return timezone.localtime(value).isoformat() if value else ""


class ClaveWidget(widgets.Widget):
    """A foreign key written as a natural key; ``resource.buscar_<indice>`` resolves it."""

    def __init__(self, indice: str, obligatorio: bool = True, exportar=str):
        super().__init__()
        self.indice = indice
        self.obligatorio = obligatorio
        self.exportar = exportar
        self.resource = None

    def clean(self, value, row=None, **kwargs):
        clave = texto(value)
        if not clave:
            if self.obligatorio:
                raise ValueError(_("Este dato es obligatorio."))
            return None
        return getattr(self.resource, f"buscar_{self.indice}")(clave, row)

    def render(self, value, obj=None, **kwargs):
        return self.exportar(value) if value is not None else ""


class BaseResource(resources.ModelResource):
    """Shared behaviour: natural keys, duplicate detection, "unchanged" rows, written in bulk."""

    # Foreign keys whose existence the lookups already proved; full_clean need not query them again.
    claves_foraneas: tuple[str, ...] = ()

    class Meta:
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        clean_model_instances = True
        report_skipped = True

    @classmethod
    def con_vista_previa(cls):
        """The same resource computing the per-row diff the admin's preview displays."""

        class Meta(cls.Meta):
            skip_diff = False

        return type(cls.__name__, (cls,), {"Meta": Meta, "__module__": __name__})

    def __init__(self, progreso=None, numeros: list[int] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.progreso = progreso
        self.renombradas = {}  # column read under its current name: the name the file gave it
        self._ultima_clave = (None, None)
        self.numeros = numeros
        for campo in self.fields.values():
            if isinstance(campo.widget, ClaveWidget):
                campo.widget.resource = self

    # --- natural keys ---------------------------------------------------------------------------
    def clave(self, row) -> tuple | None:
        """The row's natural key, or None when it cannot be read (the field error explains why)."""
        if self._ultima_clave[0] is not row:  # asked twice per row: compute it once
            self._ultima_clave = (row, self.calcular_clave(row))
        return self._ultima_clave[1]

    def calcular_clave(self, row) -> tuple | None:
        try:
            valores = tuple(self.fields[n].clean(row) for n in self.get_import_id_fields())
        except (ValueError, KeyError):
            return None
        return valores if all(v not in (None, "") for v in valores) else None

    def clave_de(self, instancia) -> tuple:
        return tuple(self.fields[n].get_value(instancia) for n in self.get_import_id_fields())

    def existentes(self):
        return self.get_queryset()

    def before_import(self, dataset, **kwargs):
        self.vistas = {}
        self.cache = {}
        faltan = [c for c in self.columnas_obligatorias() if c not in (dataset.headers or [])]
        if faltan:
            raise ValueError(_("Faltan las columnas: %(c)s.") % {"c": ", ".join(faltan)})
        self.cargar_existentes()

    def columnas_obligatorias(self) -> list[str]:
        return [self.fields[n].column_name for n in self.get_import_id_fields()]

    def cargar_existentes(self):
        self.indice_existentes = {self.clave_de(o): o for o in self.existentes()}

    def get_instance(self, instance_loader, row):
        clave = self.clave(row)
        return None if clave is None else self.indice_existentes.get(clave)

    def before_import_row(self, row, **kwargs):
        clave = self.clave(row)
        if clave is None:
            return
        fila = self.fila_del_archivo(kwargs.get("row_number"))
        if clave in self.vistas:
            raise ValidationError(
                {self.get_import_id_fields()[-1]: self.mensaje_duplicado() % {"fila": self.vistas[clave]}}
            )
        self.vistas[clave] = fila

    def fila_del_archivo(self, numero: int) -> int:
        """The row number the user sees: the sheet's (set by ``importacion``) or the admin's count."""
        return self.numeros[numero - 1] if self.numeros else numero

    def mensaje_duplicado(self) -> str:
        return _("Repite la clave de la fila %(fila)s.")

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            instance._antes = {n: f.get_value(instance) for n, f in self.fields.items() if f.attribute}

    def skip_row(self, instance, original, row, import_validation_errors=None):
        antes = getattr(instance, "_antes", None)
        if antes is None or import_validation_errors:
            return False
        return all(
            self.fields[n].get_value(instance) == valor
            for n, valor in antes.items()
            if self.fields[n].column_name in row and not self.fields[n].readonly
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errores = dict(import_validation_errors or {})
        try:
            # Natural keys were checked against the file and the database already.
            instance.full_clean(
                exclude=[*errores, *self.claves_foraneas], validate_unique=False, validate_constraints=False
            )
        except ValidationError as e:
            errores = e.update_error_dict(errores)
        if errores:
            raise ValidationError(errores)

    def after_import_row(self, row, row_result, **kwargs):
        if self.progreso:
            self.progreso(1)

    def buscar(self, nombre: str, clave, cargar):
        """Look ``clave`` up in a dict loaded once per import (``cargar``)."""
        if nombre not in self.cache:
            self.cache[nombre] = cargar()
        return self.cache[nombre].get(clave)


def slug_o_nombre(convenios) -> dict:
    indice = {}
    for c in convenios:
        indice.setdefault(c.nombre.casefold(), c)
        indice[c.slug] = c
    return indice


class ConResponsableMixin:
    """Resolve convenios by slug (or name) for resources whose rows belong to a convenio."""

    def buscar_convenio(self, clave, row):
        convenio = self.buscar("convenio", clave, lambda: slug_o_nombre(Convenio.objects.all()))
        if convenio is None:
            convenio = self.cache["convenio"].get(clave.casefold())
        if convenio is None:
            raise ValueError(_("No existe un convenio con clave o nombre «%(c)s».") % {"c": clave[:80]})
        return convenio


class ConvenioResource(BaseResource):
    convenio = fields.Field("slug", "convenio", widget=TextoWidget())
    nombre = fields.Field("nombre", "nombre", widget=TextoWidget())
    nota = fields.Field("nota", "nota", widget=TextoWidget())
    fecha_inicio = fields.Field("fecha_inicio", "fecha_inicio", widget=FechaWidget())
    fecha_fin = fields.Field("fecha_fin", "fecha_fin", widget=FechaWidget(), saves_null_values=True)
    objeto = fields.Field("objeto", "objeto", widget=TextoWidget())
    contacto_unidad = fields.Field("contacto_unidad", "contacto_unidad", widget=TextoWidget())
    contacto_institucion = fields.Field("contacto_institucion", "contacto_institucion", widget=TextoWidget())
    contacto_telefono = fields.Field("contacto_telefono", "contacto_telefono", widget=TextoWidget())
    contacto_extension = fields.Field("contacto_extension", "contacto_extension", widget=TextoWidget())

    class Meta(BaseResource.Meta):
        model = Convenio
        name = _("Convenios")
        fields = [
            "convenio",
            "nombre",
            "nota",
            "fecha_inicio",
            "fecha_fin",
            "objeto",
            "contacto_unidad",
            "contacto_institucion",
            "contacto_telefono",
            "contacto_extension",
        ]
        import_id_fields = ["convenio"]

    def mensaje_duplicado(self):
        return _("La clave del convenio se repite (ya está en la fila %(fila)s).")


class ParteResource(ConResponsableMixin, BaseResource):
    """A party; its dependencia is named, created when new, and nested under ``pertenece_a``."""

    convenio = fields.Field("convenio", "convenio", widget=ClaveWidget("convenio", exportar=lambda c: c.slug))
    dependencia = fields.Field("dependencia", "dependencia", widget=ClaveWidget("dependencia"))
    siglas = fields.Field("dependencia__siglas", "siglas", widget=TextoWidget(), readonly=True)
    pertenece_a = fields.Field(
        "dependencia__padre", "pertenece_a", widget=ClaveWidget("padre", obligatorio=False), readonly=True
    )
    rol = fields.Field("rol", "rol", widget=TextoWidget())
    etiqueta = fields.Field("etiqueta", "etiqueta", widget=TextoWidget())
    orden = fields.Field("orden", "orden", widget=NumeroWidget())

    claves_foraneas = ("convenio", "dependencia")

    class Meta(BaseResource.Meta):
        model = Parte
        name = _("Partes")
        fields = ["convenio", "dependencia", "siglas", "pertenece_a", "rol", "etiqueta", "orden"]
        import_id_fields = ["convenio", "dependencia"]

    def get_queryset(self):
        return Parte.objects.select_related("convenio", "dependencia__padre")

    def mensaje_duplicado(self):
        return _("Esta dependencia ya es parte del convenio en la fila %(fila)s.")

    def before_import(self, dataset, **kwargs):
        """Create the dependencias the file names for the first time (one query each way)."""
        existentes = {d.nombre: d for d in Dependencia.objects.all()}
        nuevas = {}
        columnas = dataset.headers or []
        if "dependencia" in columnas:
            for fila in dataset.dict:
                nombre = texto(fila.get("dependencia"))[:255]
                if nombre and nombre not in existentes and nombre not in nuevas:
                    nuevas[nombre] = Dependencia(nombre=nombre, siglas=texto(fila.get("siglas"))[:30])
        if nuevas:
            Dependencia.objects.bulk_create(nuevas.values(), batch_size=1000)
        self.dependencias = {
            **existentes,
            **{d.nombre: d for d in Dependencia.objects.filter(nombre__in=nuevas)},
        }
        self.dependencias_cambiadas = {}
        super().before_import(dataset, **kwargs)

    def buscar_dependencia(self, clave, row):
        dependencia = self.dependencias.get(clave)
        if dependencia is None:
            raise ValueError(_("Falta el nombre de la dependencia."))
        return dependencia

    def buscar_padre(self, clave, row):
        padre = self.dependencias.get(clave)
        if padre is None:
            raise ValueError(
                _("«%(d)s» no es una dependencia conocida ni aparece en la columna «dependencia».")
                % {"d": clave[:80]}
            )
        return padre

    def import_instance(self, instance, row, **kwargs):
        """Besides the party, keep its dependencia's acronym and parent as the file says."""
        errores = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errores = e.update_error_dict(errores)
        dependencia = instance.dependencia if instance.dependencia_id else None
        if dependencia is None:
            if errores:
                raise ValidationError(errores)
            return
        cambios = {}
        if "siglas" in row:
            cambios["siglas"] = texto(row["siglas"])
        if "pertenece_a" in row:
            try:
                cambios["padre"] = self.fields["pertenece_a"].clean(row)
            except ValueError as e:
                errores["pertenece_a"] = [str(e)]
        if cambios and "pertenece_a" not in errores:
            # The model decides (field limits, no circular parent); a copy, so a rejected row changes nothing.
            propuesta = copy.copy(dependencia)
            for k, v in cambios.items():
                setattr(propuesta, k, v)
            try:
                propuesta.clean_fields(
                    exclude=[f.name for f in Dependencia._meta.fields if f.name not in cambios]
                )
                propuesta.clean()
            except ValidationError as e:
                for campo, mensajes in e.message_dict.items():
                    errores.setdefault({"padre": "pertenece_a"}.get(campo, campo), []).extend(mensajes)
        if errores:
            raise ValidationError(errores)
        if any(getattr(dependencia, k) != v for k, v in cambios.items()):
            for k, v in cambios.items():
                setattr(dependencia, k, v)
            self.dependencias_cambiadas[dependencia.pk] = dependencia
            instance._antes = None  # the row changes something even if the party itself is the same

    def after_import(self, dataset, result, **kwargs):
        if self.dependencias_cambiadas:
            Dependencia.objects.bulk_update(self.dependencias_cambiadas.values(), ["siglas", "padre"])
        super().after_import(dataset, result, **kwargs)


def nombre_de_parte(parte: Parte) -> str:
    return parte.etiqueta or parte.dependencia.nombre


class CompromisoResource(ConResponsableMixin, BaseResource):
    convenio = fields.Field("convenio", "convenio", widget=ClaveWidget("convenio", exportar=lambda c: c.slug))
    numero = fields.Field("numero", "numero", widget=NumeroWidget())
    responsable = fields.Field(
        "responsable",
        "responsable",
        widget=ClaveWidget("responsable", obligatorio=False, exportar=nombre_de_parte),
        saves_null_values=True,
    )
    texto = fields.Field("texto", "texto", widget=TextoWidget())
    fecha_limite = fields.Field("fecha_limite", "fecha_limite", widget=FechaWidget(), saves_null_values=True)

    claves_foraneas = ("convenio", "responsable")

    class Meta(BaseResource.Meta):
        model = Compromiso
        name = _("Compromisos")
        fields = ["convenio", "numero", "responsable", "texto", "fecha_limite"]
        import_id_fields = ["convenio", "numero"]

    def get_queryset(self):
        return Compromiso.objects.select_related("convenio", "responsable__dependencia")

    def mensaje_duplicado(self):
        return _("Número de compromiso duplicado en el convenio (ya está en la fila %(fila)s).")

    def buscar_responsable(self, clave, row):
        """A party named by its report label or its dependencia's name; empty means «LAS PARTES»."""
        try:
            convenio = self.fields["convenio"].clean(row)
        except ValueError:
            return None
        if clave.casefold() in ("las partes", 'compromisos de "las partes"'):
            return None

        def cargar():
            indice = {}
            for p in Parte.objects.select_related("dependencia"):
                indice.setdefault((p.convenio_id, p.dependencia.nombre.casefold()), p)
                if p.etiqueta:
                    indice[(p.convenio_id, p.etiqueta.casefold())] = p
            return indice

        parte = self.buscar("responsable", (convenio.pk, clave.casefold()), cargar)
        if parte is None:
            raise ValueError(
                _("«%(r)s» no es parte del convenio «%(c)s» (escriba su etiqueta o su dependencia).")
                % {"r": clave[:80], "c": convenio.slug}
            )
        return parte


class CompromisoWidget(ClaveWidget):
    """The commitment an update belongs to: the row's ``convenio`` plus this cell's number."""

    def __init__(self):
        super().__init__("compromiso", exportar=lambda c: str(c.numero))


# The system's record of an update (who recorded it, when), as exports write it. On import a file's
# word on them is only a claim: read as the declared capture where the row declares none, never as
# the record (earlier exports had only these columns).
COLUMNAS_REGISTRO = {
    "registrado_por": "capturado_por_declarado",
    "registrado_en": "capturado_en_declarado",
}


def captura_exportada(
    por_declarado: str, en_declarado: datetime.datetime | None, usuario: str | None, registrado_en
) -> tuple[str, datetime.datetime | None]:
    """Who captured an update and when, as a re-import of its export reads it: what a file declared
    when it was imported, otherwise the system's own record (then a claim of the file)."""
    if por_declarado or en_declarado:
        return por_declarado, en_declarado
    return usuario or "", registrado_en


class ActualizacionResource(ConResponsableMixin, BaseResource):
    """Status updates are only ever appended, through the same service as the browser.

    The importing user and the moment of import are recorded as who and when; what the file says
    about the original capture goes, labelled as declared, in ``capturado_*_declarado``. Exports keep
    the two apart: ``registrado_por``/``registrado_en`` carry only the system's record, the declared
    columns only what a file declared.
    """

    convenio = fields.Field("compromiso__convenio__slug", "convenio", widget=TextoWidget(), readonly=True)
    numero = fields.Field("compromiso", "numero", widget=CompromisoWidget())
    estatus = fields.Field("estatus", "estatus", widget=ClaveWidget("estatus", exportar=lambda e: e.slug))
    fecha_efectiva = fields.Field("fecha_efectiva", "fecha_efectiva", widget=FechaWidget())
    nota = fields.Field("nota", "nota", widget=TextoWidget())
    enlace = fields.Field("enlace", "enlace", widget=TextoWidget())
    registrado_por = fields.Field(column_name="registrado_por", readonly=True)
    registrado_en = fields.Field(column_name="registrado_en", readonly=True)
    capturado_por_declarado = fields.Field(
        "capturado_por_declarado", "capturado_por_declarado", widget=TextoWidget()
    )
    capturado_en_declarado = fields.Field(
        "capturado_en_declarado", "capturado_en_declarado", widget=MomentoWidget()
    )

    claves_foraneas = ("compromiso", "estatus", "estatus_anterior", "registrado_por")

    class Meta(BaseResource.Meta):
        model = Actualizacion
        name = _("Actualizaciones de estatus")
        fields = [
            "convenio",
            "numero",
            "estatus",
            "fecha_efectiva",
            "nota",
            "enlace",
            "registrado_por",
            "registrado_en",
            "capturado_por_declarado",
            "capturado_en_declarado",
        ]
        import_id_fields = ["numero"]

    def __init__(self, usuario=None, **kwargs):
        super().__init__(**kwargs)
        self.usuario = usuario

    def get_queryset(self):
        return Actualizacion.objects.select_related("compromiso__convenio", "estatus", "registrado_por")

    def columnas_obligatorias(self):
        return ["convenio", "numero", "estatus", "fecha_efectiva"]

    # --- export: the system's record and the declared capture, each in its own columns ------------
    def dehydrate_registrado_por(self, actualizacion):
        usuario = actualizacion.registrado_por if actualizacion.pk else None  # a preview: not recorded
        return usuario.get_username() if usuario else ""

    def dehydrate_registrado_en(self, actualizacion):
        return MomentoWidget().render(actualizacion.registrado_en if actualizacion.pk else None)

    def dehydrate_capturado_en_declarado(self, actualizacion):
        return MomentoWidget().render(actualizacion.capturado_en_declarado)

    # --- import -----------------------------------------------------------------------------------
    def before_import(self, dataset, **kwargs):
        columnas = list(dataset.headers or [])
        # An export (record and declared columns side by side): the record stands in for the declared
        # capture in rows declaring none. A file with only the record's columns: read as declared.
        self.registro_como_declarado = any(c in columnas for c in COLUMNAS_REGISTRO) and any(
            c in columnas for c in COLUMNAS_REGISTRO.values()
        )
        if not self.registro_como_declarado:
            for anterior, actual in COLUMNAS_REGISTRO.items():
                if anterior in columnas:
                    columnas[columnas.index(anterior)] = actual
                    self.renombradas[actual] = anterior
        if columnas:
            dataset.headers = columnas
        super().before_import(dataset, **kwargs)
        self.usuario = self.usuario or kwargs.get("user")
        if self.usuario is None or not self.usuario.is_authenticated:
            raise ValueError(_("Falta quién importa: las actualizaciones quedan registradas a su nombre."))

    def cargar_existentes(self):
        """Recorded updates by commitment, status, effective date and note, with their capture."""
        self.indice_existentes = {}
        usuario = f"registrado_por__{get_user_model().USERNAME_FIELD}"
        for *nucleo, por, en, nombre, registrado_en, pk in Actualizacion.objects.values_list(
            "compromiso_id",
            "estatus_id",
            "fecha_efectiva",
            "nota",
            "capturado_por_declarado",
            "capturado_en_declarado",
            usuario,
            "registrado_en",
            "pk",
        ):
            captura = captura_exportada(por, en, nombre, registrado_en)
            self.indice_existentes.setdefault(tuple(nucleo), []).append((*captura, pk))

    def import_row(self, row, instance_loader, **kwargs):
        """Where a row of an export declares no capture, its record becomes the declared one (a claim
        of the file); the record itself is always the importer's, now."""
        if self.registro_como_declarado and not any(texto(row.get(c)) for c in COLUMNAS_REGISTRO.values()):
            for registrado, declarado in COLUMNAS_REGISTRO.items():
                if registrado in row:
                    row[declarado] = row[registrado]
        return super().import_row(row, instance_loader, **kwargs)

    def calcular_clave(self, row):
        """commitment + status + effective date + note + declared capture (who, when)."""
        try:
            compromiso = self.fields["numero"].clean(row)
            estatus = self.fields["estatus"].clean(row)
            fecha = self.fields["fecha_efectiva"].clean(row)
            por = texto(row.get("capturado_por_declarado"))
            en = self.fields["capturado_en_declarado"].clean(row) if "capturado_en_declarado" in row else None
        except (ValueError, KeyError):
            return None
        if fecha is None:
            return None
        return (compromiso.pk, estatus.pk, fecha, texto(row.get("nota")), por, en)

    def get_instance(self, instance_loader, row):
        """The recorded update this row repeats: same commitment, status, effective date and note,
        and the same capture where the row declares one (an empty capture column matches any)."""
        clave = self.clave(row)
        if clave is None:
            return None
        compromiso, estatus, fecha, nota, por, en = clave
        candidatas = self.indice_existentes.get((compromiso, estatus, fecha, nota), ())
        pk = next(
            (pk for p, e, pk in candidatas if (not por or por == p) and (en is None or en == e)),
            None,
        )
        if pk is None:
            return None
        # Only its identity is needed: a recorded update is never changed.
        existente = Actualizacion(
            pk=pk, compromiso_id=compromiso, estatus=self.fields["estatus"].clean(row), fecha_efectiva=fecha
        )
        existente._state.adding = False
        return existente

    def mensaje_duplicado(self):
        return _("Esta actualización repite la de la fila %(fila)s.")

    def before_import_row(self, row, **kwargs):
        clave = self.clave(row)
        if clave is None:
            return
        if clave in self.vistas:
            raise ValidationError({"nota": self.mensaje_duplicado() % {"fila": self.vistas[clave]}})
        self.vistas[clave] = self.fila_del_archivo(kwargs.get("row_number"))

    def after_init_instance(self, instance, new, row, **kwargs):
        pass

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # An update already recorded is "unchanged": history is appended to, never rewritten.
        return not instance._state.adding and not import_validation_errors

    def import_instance(self, instance, row, **kwargs):
        if not instance._state.adding:
            return
        super().import_instance(instance, row, **kwargs)

    def buscar_compromiso(self, clave, row):
        convenio = (
            self.buscar_convenio(texto(row.get("convenio")), row) if texto(row.get("convenio")) else None
        )
        if convenio is None:
            raise ValueError(_("Falta la clave del convenio en la columna «convenio»."))
        numero = NumeroWidget().clean(clave)
        compromiso = self.buscar(
            "compromiso",
            (convenio.pk, numero),
            lambda: {(c.convenio_id, c.numero): c for c in Compromiso.objects.all()},
        )
        if compromiso is None:
            raise ValueError(
                _("El convenio «%(c)s» no tiene compromiso número %(n)s.") % {"c": convenio.slug, "n": numero}
            )
        return compromiso

    def buscar_estatus(self, clave, row):
        def cargar():
            indice = {}
            for e in Estatus.objects.all():
                indice[e.nombre.casefold()] = e
                indice[e.slug] = e
            return indice

        estatus = self.buscar("estatus", clave.casefold(), cargar)
        if estatus is None:
            raise ValueError(_("No existe el estatus «%(e)s».") % {"e": clave[:60]})
        return estatus

    def save_instance(self, instance, is_create, row, **kwargs):
        if not is_create:
            raise ValidationError(_("El historial de estatus solo admite actualizaciones nuevas."))
        super().save_instance(instance, is_create, row, **kwargs)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and (using_transactions or not dry_run):
            try:
                registrar_actualizaciones(self.create_instances, usuario=self.usuario)
            except ValidationError as e:
                self.handle_import_error(result, e, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, *args, **kwargs):
        self.update_instances.clear()


RESOURCES = {
    "convenio": ConvenioResource,
    "parte": ParteResource,
    "compromiso": CompromisoResource,
    "actualizacion": ActualizacionResource,
}
