from django.urls import path

from . import views
from .models import InformeEmitido

Tipo = InformeEmitido.Tipo
Reporte = views.ReporteView.as_view

app_name = "reportes"
urlpatterns = [
    path("", views.IndiceView.as_view(), name="indice"),
    path("informe/<slug:slug>/", Reporte(tipo=Tipo.CONVENIO), name="informe"),
    path("informe/<slug:slug>/pdf/", Reporte(tipo=Tipo.CONVENIO, pdf=True), name="informe_pdf"),
    path("consolidado/", Reporte(tipo=Tipo.CONSOLIDADO), name="consolidado"),
    path("consolidado/pdf/", Reporte(tipo=Tipo.CONSOLIDADO, pdf=True), name="consolidado_pdf"),
    path("comision/<slug:slug>/", Reporte(tipo=Tipo.COMISION), name="comision"),
    path("comision/<slug:slug>/pdf/", Reporte(tipo=Tipo.COMISION, pdf=True), name="comision_pdf"),
    path("verificar/", views.VerificarView.as_view(), name="verificar"),
    path("emitidos/<str:folio>/", views.EmitidoView.as_view(), name="emitido"),
    path("emitidos/<str:folio>/pdf/", views.RegenerarView.as_view(), name="regenerar"),
    path("emitidos/<str:folio>/firmar/", views.FirmarView.as_view(), name="firmar"),
]
