"""The daily digest: what each follower of a convenio should hear about, and sending it once.

The alerts come from the rules on ``SeguibleQuerySet`` (``vencidos``, ``por_vencer``,
``sin_actualizar_pendientes``), the same ones the pages use. An item gets one alert, the most urgent
that applies
(overdue, then due soon, then stale); each user hears about it once per state (``AvisoEnviado``).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from convenios.models import Compromiso, Convenio

from . import validacion
from .models import AvisoDeValidacion, AvisoEnviado, Suscripcion, destinatarios, enlaces

Tipo = AvisoEnviado.Tipo
# Most urgent first: an item that is overdue and stale is reported as overdue.
ORDEN_DE_TIPOS = [Tipo.VENCIDO, Tipo.POR_VENCER, Tipo.SIN_ACTUALIZAR]
# What an Enlace hears of its institutions' commitments (besides the proposals returned to it).
TIPOS_DEL_ENLACE = {Tipo.VENCIDO, Tipo.POR_VENCER}


def avisos_vigentes(hoy: datetime.date) -> dict[str, "list[Compromiso]"]:
    """Every commitment that calls for an alert today, by kind (three queries)."""
    base = Compromiso.objects.para_fila().order_by("convenio__nombre", "numero")
    por_tipo = {
        Tipo.VENCIDO: base.vencidos(hoy),
        Tipo.POR_VENCER: base.por_vencer(hoy),
        Tipo.SIN_ACTUALIZAR: base.sin_actualizar_pendientes(hoy),
    }
    vistos: set[int] = set()
    resultado = {}
    for tipo in ORDEN_DE_TIPOS:
        resultado[tipo] = [c for c in por_tipo[tipo] if c.pk not in vistos]
        vistos.update(c.pk for c in resultado[tipo])
    return resultado


@dataclass
class SeccionConvenio:
    convenio: Convenio
    por_tipo: dict[str, list[Compromiso]] = field(default_factory=dict)

    def secciones(self) -> list[tuple[str, list[Compromiso]]]:
        titulos = {
            Tipo.VENCIDO: _("Vencidos"),
            Tipo.POR_VENCER: _("Vencen en los próximos %(dias)s días") % {"dias": settings.DIAS_POR_VENCER},
            Tipo.SIN_ACTUALIZAR: _("Sin actualizar en los últimos %(dias)s días")
            % {"dias": settings.DIAS_SIN_ACTUALIZAR},
        }
        return [(titulos[t], self.por_tipo[t]) for t in ORDEN_DE_TIPOS if self.por_tipo.get(t)]


@dataclass
class Resumen:
    """One user's digest: the new alerts, grouped by convenio (in name order)."""

    usuario: object
    hoy: datetime.date
    convenios: list[SeccionConvenio]
    # The validation loop (``avisos.validacion``): proposals returned to an Enlace, and what has waited
    # more than DIAS_PARA_VALIDAR days for a validator.
    devueltas: list = field(default_factory=list)
    esperas: list = field(default_factory=list)

    @property
    def avisos(self) -> list[tuple[str, Compromiso]]:
        return [(t, c) for s in self.convenios for t, lista in s.por_tipo.items() for c in lista]

    def asunto(self) -> str:
        n = len(self.avisos)
        if not n:
            return _("Seguimiento: propuestas y prórrogas que requieren atención")
        return ngettext(
            "Seguimiento: %(n)s compromiso requiere atención",
            "Seguimiento: %(n)s compromisos requieren atención",
            n,
        ) % {"n": n}

    def correo(self) -> EmailMultiAlternatives:
        contexto = {
            "resumen": self,
            "usuario": self.usuario,
            "url_base": settings.URL_BASE,
            "dias_para_validar": settings.DIAS_PARA_VALIDAR,
        }
        mensaje = EmailMultiAlternatives(
            self.asunto(),
            render_to_string("avisos/recordatorio.txt", contexto),
            to=[self.usuario.email],
        )
        mensaje.attach_alternative(render_to_string("avisos/recordatorio.html", contexto), "text/html")
        return mensaje


def resumenes(hoy: datetime.date) -> list[Resumen]:
    """Each recipient's digest of alerts not yet sent for the items' current state; none if empty."""
    vigentes = avisos_vigentes(hoy)
    todos = [c for lista in vigentes.values() for c in lista]
    usuarios = list(destinatarios().order_by("username"))
    seguidos = Suscripcion.objects.seguidos_por_usuario(usuarios, {c.convenio_id for c in todos})
    enviados = set(
        AvisoEnviado.objects.filter(
            usuario__in=usuarios, compromiso_id__in=[c.pk for c in todos]
        ).values_list("usuario_id", "compromiso_id", "tipo", "estado")
    )
    # An Enlace hears only of the convenios it may read, whatever it chose to follow before.
    # (``enlaces()``: one query for all, not one per recipient).
    ids_de_enlaces = set(enlaces().filter(pk__in=[u.pk for u in usuarios]).values_list("pk", flat=True))
    # An Enlace hears of its institutions' commitments (``proponibles_para``: the ones it answers for),
    # overdue and due soon, whatever it follows; of nothing else (issue 21).
    propios = {
        usuario.pk: set(
            Compromiso.objects.proponibles_para(usuario)
            .filter(pk__in=[c.pk for c in todos])
            .values_list("pk", flat=True)
        )
        for usuario in usuarios
        if usuario.pk in ids_de_enlaces and todos
    }
    # One digest per user: the validation loop's alerts go in the same e-mail.
    de_validacion = validacion.avisos_de_validacion(hoy, usuarios)
    resultado = []
    for usuario in usuarios:
        secciones: dict[int, SeccionConvenio] = {}
        for tipo, lista in vigentes.items():
            if usuario.pk in ids_de_enlaces and tipo not in TIPOS_DEL_ENLACE:
                continue
            for compromiso in lista:
                if usuario.pk in ids_de_enlaces:
                    if compromiso.pk not in propios.get(usuario.pk, ()):
                        continue
                elif compromiso.convenio_id not in seguidos[usuario.pk]:
                    continue
                estado = AvisoEnviado.clave_estado(
                    compromiso.ultima_actualizacion_id, compromiso.fecha_limite
                )
                if (usuario.pk, compromiso.pk, tipo, estado) in enviados:
                    continue
                seccion = secciones.setdefault(compromiso.convenio_id, SeccionConvenio(compromiso.convenio))
                seccion.por_tipo.setdefault(tipo, []).append(compromiso)
        ordenadas = sorted(secciones.values(), key=lambda s: (s.convenio.nombre, s.convenio.pk))
        devueltas, esperas = de_validacion.get(usuario.pk, ([], []))
        if ordenadas or devueltas or esperas:
            resultado.append(Resumen(usuario, hoy, ordenadas, devueltas, esperas))
    return resultado


def enviar_resumen(resumen: Resumen) -> None:
    """Record the alerts and send the e-mail in one transaction: if sending fails nothing is recorded
    (tomorrow's run tries again); if another run already recorded them, the unique index stops this one."""
    with transaction.atomic():
        AvisoEnviado.objects.bulk_create(
            [AvisoEnviado.para(resumen.usuario, compromiso, tipo) for tipo, compromiso in resumen.avisos]
        )
        AvisoDeValidacion.objects.bulk_create(
            validacion.registros(resumen.usuario, resumen.devueltas, resumen.esperas)
        )
        resumen.correo().send()
