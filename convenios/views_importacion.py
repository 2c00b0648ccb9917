"""Import and export pages: the template, the export download and the two-step import."""

import datetime
import uuid
from pathlib import Path, PurePosixPath

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core import signing
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from seguimiento.almacen import almacen_privado

from .importacion import ArchivoInvalido, como_ods, como_xlsx, comprobar_tamano, exportar, importar, leer
from .models import Convenio
from .plantilla import HOJAS_EJEMPLO, INSTRUCCIONES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
CARPETA_PENDIENTES = "importaciones"
VIGENCIA_REVISION = 3600  # seconds a reviewed file waits for its confirmation; then it is deleted


def descarga(contenido: bytes, nombre: str, tipo: str = XLSX) -> HttpResponse:
    respuesta = HttpResponse(contenido, content_type=tipo)
    respuesta["Content-Disposition"] = content_disposition_header(True, nombre)
    return respuesta


class PlantillaView(PermissionRequiredMixin, View):
    """The template as .xlsx or, for LibreOffice, as .ods (``formato``)."""

    permission_required = Convenio.permiso_lectura()
    formato = "xlsx"

    def get(self, request):
        if self.formato == "ods":
            return descarga(como_ods(HOJAS_EJEMPLO, INSTRUCCIONES), "plantilla-importacion.ods", ODS)
        return descarga(como_xlsx(HOJAS_EJEMPLO, INSTRUCCIONES), "plantilla-importacion.xlsx")


def pendiente(nombre: str) -> str:
    """The private-storage name of a reviewed upload waiting for its confirmation."""
    return f"{CARPETA_PENDIENTES}/{Path(nombre).name}"


def borrar_vencidos() -> None:
    """Delete the reviewed files nobody confirmed in time: a review keeps no upload for longer."""
    almacen = almacen_privado()
    limite = timezone.now() - datetime.timedelta(seconds=VIGENCIA_REVISION)
    try:
        _, nombres = almacen.listdir(CARPETA_PENDIENTES)
    except FileNotFoundError:
        return
    for nombre in nombres:
        try:
            if almacen.get_modified_time(pendiente(nombre)) < limite:
                almacen.delete(pendiente(nombre))
        except FileNotFoundError:  # another server deleted it meanwhile
            continue


class ExportarView(PermissionRequiredMixin, View):
    permission_required = Convenio.permiso("exportar_compromisos")

    def get(self, request):
        return descarga(como_xlsx(exportar()), "seguimiento-exportacion.xlsx")


class ImportarView(PermissionRequiredMixin, View):
    """Step 1 checks the file (a dry run) and shows what would happen; step 2 imports it for real."""

    permission_required = Convenio.permiso("importar_datos")
    template_name = "convenios/importar.html"

    def get(self, request):
        return render(request, self.template_name, {})

    def post(self, request):
        borrar_vencidos()
        if "confirmar" in request.POST:
            return self.confirmar(request)
        archivo = request.FILES.get("archivo")
        if archivo is None:
            return self.mostrar(request, error=_("Elija un archivo."), status=400)
        nombre = Path(archivo.name).name
        try:
            comprobar_tamano(archivo.size)  # before reading: a huge upload is never loaded
            datos = archivo.read()
            informe = importar(leer(datos, nombre), usuario=request.user, dry_run=True)
        except ArchivoInvalido as e:
            return self.mostrar(request, error=str(e), status=400)
        contexto = {"informe": informe, "nombre": nombre}
        if not informe.errores:
            guardado = almacen_privado().save(
                pendiente(f"{uuid.uuid4().hex}{Path(nombre).suffix.lower()}"), ContentFile(datos)
            )
            contexto["ficha"] = signing.dumps(
                {"archivo": PurePosixPath(guardado).name, "usuario": request.user.pk, "nombre": nombre}
            )
        return self.mostrar(request, status=200 if not informe.errores else 400, **contexto)

    def confirmar(self, request):
        try:
            ficha = signing.loads(request.POST["confirmar"], max_age=VIGENCIA_REVISION)
        except signing.BadSignature:
            return self.mostrar(
                request, error=_("La revisión caducó; vuelva a subir el archivo."), status=400
            )
        almacen = almacen_privado()
        ruta = pendiente(ficha["archivo"])
        if ficha["usuario"] != request.user.pk or not almacen.exists(ruta):
            return self.mostrar(
                request, error=_("La revisión caducó; vuelva a subir el archivo."), status=400
            )
        try:
            with almacen.open(ruta, "rb") as archivo:
                datos = archivo.read()
        finally:
            almacen.delete(ruta)  # used once, whatever the outcome: a new try uploads it again
        try:
            informe = importar(leer(datos, ficha["nombre"]), usuario=request.user)
        except ArchivoInvalido as e:
            return self.mostrar(request, error=str(e), status=400)
        if informe.errores:
            return self.mostrar(request, informe=informe, nombre=ficha["nombre"], status=400)
        messages.success(
            request,
            _("Importación terminada: %(c)d creados, %(a)d actualizados, %(s)d sin cambios.")
            % {"c": informe.creados, "a": informe.actualizados, "s": informe.sin_cambios},
        )
        return redirect("convenios:lista")

    def mostrar(self, request, status=200, **contexto):
        return render(request, self.template_name, contexto, status=status)
