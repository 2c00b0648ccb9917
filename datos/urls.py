from django.urls import path

from . import views

app_name = "datos"
urlpatterns = [
    path("", views.PortalView.as_view(), name="portal"),
    path("convenios/<slug:slug>/", views.ConvenioView.as_view(), name="convenio"),
    path("comisiones/<slug:slug>/", views.ComisionView.as_view(), name="comision"),
    path("archivos/<slug:nombre>.<str:formato>", views.ArchivoView.as_view(), name="archivo"),
    path("archivos/excel/<slug:nombre>.csv", views.ArchivoExcelView.as_view(), name="archivo_excel"),
    path("diccionarios/<slug:nombre>.csv", views.DiccionarioView.as_view(), name="diccionario"),
    path("datapackage.json", views.PaqueteView.as_view(), name="paquete"),
    path("catalogo.jsonld", views.CatalogoView.as_view(), name="catalogo"),
    path("catalogo.ttl", views.CatalogoTurtleView.as_view(), name="catalogo_turtle"),
    path("integridad.json", views.IntegridadView.as_view(), name="integridad"),
]
