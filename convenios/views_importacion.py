"""Import and export pages: the template, the export download and the two-step import."""

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

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


def carpeta_pendientes() -> Path:
    return Path(settings.MEDIA_ROOT) / CARPETA_PENDIENTES


def borrar_vencidos() -> None:
    """Delete the reviewed files nobody confirmed in time: a review keeps no upload for longer."""
    limite = time.time() - VIGENCIA_REVISION
    if carpeta_pendientes().is_dir():
        for ruta in carpeta_pendientes().iterdir():
            if ruta.is_file() and ruta.stat().st_mtime < limite:
                ruta.unlink(missing_ok=True)


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
            pendiente = f"{uuid.uuid4().hex}{Path(nombre).suffix.lower()}"
            carpeta = carpeta_pendientes()
            carpeta.mkdir(parents=True, exist_ok=True)
            (carpeta / pendiente).write_bytes(datos)
            contexto["ficha"] = signing.dumps(
                {"archivo": pendiente, "usuario": request.user.pk, "nombre": nombre}
            )
        return self.mostrar(request, status=200 if not informe.errores else 400, **contexto)

    def confirmar(self, request):
        try:
            ficha = signing.loads(request.POST["confirmar"], max_age=VIGENCIA_REVISION)
        except signing.BadSignature:
            return self.mostrar(
                request, error=_("La revisión caducó; vuelva a subir el archivo."), status=400
            )
        ruta = carpeta_pendientes() / Path(ficha["archivo"]).name
        if ficha["usuario"] != request.user.pk or not ruta.exists():
            return self.mostrar(
                request, error=_("La revisión caducó; vuelva a subir el archivo."), status=400
            )
        try:
            datos = ruta.read_bytes()
        finally:
            ruta.unlink(missing_ok=True)  # used once, whatever the outcome: a new try uploads it again
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
