import datetime
from itertools import groupby

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from convenios.models import Compromiso, Convenio, Estatus


class FechaInvalida(ValueError):
    pass


def leer_fecha(valor: str | None, convenio: Convenio) -> datetime.date:
    """The report date from ``?fecha=YYYY-MM-DD``; today when absent."""
    hoy = timezone.localdate()
    if not valor:
        return hoy
    try:
        fecha = datetime.date.fromisoformat(valor)
    except ValueError:
        raise FechaInvalida(
            _("La fecha «%(valor)s» no es válida; use el formato AAAA-MM-DD.") % {"valor": valor[:40]}
        ) from None
    if fecha > hoy:
        raise FechaInvalida(_("La fecha %(fecha)s está en el futuro.") % {"fecha": fecha.isoformat()})
    if fecha < convenio.fecha_inicio:
        raise FechaInvalida(
            _("El convenio inició el %(inicio)s; no hay informe para una fecha anterior.")
            % {"inicio": convenio.fecha_inicio.isoformat()}
        )
    return fecha


def contexto_informe(convenio: Convenio, fecha: datetime.date, conocido_al=None) -> dict:
    """Everything the report shows, as the stored history stood on ``fecha``."""
    compromisos = list(
        Compromiso.objects.de_convenio(convenio).con_estatus_al(fecha, conocido_al).order_by("numero")
    )
    estatus = Estatus.objects.por_id()
    for compromiso in compromisos:
        compromiso.estatus_al = estatus.get(compromiso.estatus_al_id)
    fechas = [c.fecha_estatus_al for c in compromisos if c.fecha_estatus_al]
    partes = list(convenio.partes.select_related("dependencia"))
    return {
        "convenio": convenio,
        "fecha": fecha,
        "fecha_actualizacion": max(fechas) if fechas else None,
        "celebran": convenio.celebran(partes),
        "bloques": [(enc, list(filas)) for enc, filas in groupby(compromisos, key=lambda c: c.encabezado)],
    }


class InformeView(PermissionRequiredMixin, View):
    permission_required = "convenios.descargar_informe"

    def get(self, request, slug):
        convenio = get_object_or_404(Convenio, slug=slug)
        try:
            fecha = leer_fecha(request.GET.get("fecha"), convenio)
        except FechaInvalida as error:
            return render(
                request,
                "reportes/error_fecha.html",
                {"convenio": convenio, "mensaje": str(error)},
                status=400,
            )
        return render(request, "reportes/informe.html", contexto_informe(convenio, fecha))
