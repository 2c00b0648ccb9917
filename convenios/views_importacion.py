"""Import and export pages: the template, the export download and the two-step import."""

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

from .importacion import ArchivoInvalido, como_xlsx, comprobar_tamano, exportar, importar, leer
from .models import Convenio
from .plantilla import HOJAS_EJEMPLO, INSTRUCCIONES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CARPETA_PENDIENTES = "importaciones"


def descarga(contenido: bytes, nombre: str) -> HttpResponse:
    respuesta = HttpResponse(contenido, content_type=XLSX)
    respuesta["Content-Disposition"] = content_disposition_header(True, nombre)
    return respuesta


class PlantillaView(PermissionRequiredMixin, View):
    permission_required = Convenio.permiso_lectura()

    def get(self, request):
        return descarga(como_xlsx(HOJAS_EJEMPLO, INSTRUCCIONES), "plantilla-importacion.xlsx")


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
            carpeta = Path(settings.MEDIA_ROOT) / CARPETA_PENDIENTES
            carpeta.mkdir(parents=True, exist_ok=True)
            (carpeta / pendiente).write_bytes(datos)
            contexto["ficha"] = signing.dumps(
                {"archivo": pendiente, "usuario": request.user.pk, "nombre": nombre}
            )
        return self.mostrar(request, status=200 if not informe.errores else 400, **contexto)

    def confirmar(self, request):
        try:
            ficha = signing.loads(request.POST["confirmar"], max_age=3600)
        except signing.BadSignature:
            return self.mostrar(
                request, error=_("La revisión caducó; vuelva a subir el archivo."), status=400
            )
        ruta = Path(settings.MEDIA_ROOT) / CARPETA_PENDIENTES / Path(ficha["archivo"]).name
        if ficha["usuario"] != request.user.pk or not ruta.exists():
            return self.mostrar(
                request, error=_("La revisión caducó; vuelva a subir el archivo."), status=400
            )
        try:
            informe = importar(leer(ruta.read_bytes(), ficha["nombre"]), usuario=request.user)
        except ArchivoInvalido as e:
            return self.mostrar(request, error=str(e), status=400)
        if informe.errores:
            return self.mostrar(request, informe=informe, nombre=ficha["nombre"], status=400)
        ruta.unlink()
        messages.success(
            request,
            _("Importación terminada: %(c)d creados, %(a)d actualizados, %(s)d sin cambios.")
            % {"c": informe.creados, "a": informe.actualizados, "s": informe.sin_cambios},
        )
        return redirect("convenios:lista")

    def mostrar(self, request, status=200, **contexto):
        return render(request, self.template_name, contexto, status=status)
