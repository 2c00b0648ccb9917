"""Extensions (prórrogas) of a commitment's due date: asked by a liaison, decided by a validator. The
due date changes only here (``decidir_prorroga``), in the transaction that records the decision."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seguimiento.templatetags.fechas import fecha_en_palabras

from .models import Compromiso, DecisionProrroga, SolicitudProrroga


class ProrrogaPendienteError(Exception):
    """The commitment already has a request awaiting a decision: one at a time."""

    def __init__(self, pendiente: SolicitudProrroga):
        self.pendiente = pendiente
        super().__init__(
            _(
                "Ya hay una solicitud de prórroga pendiente %(de)s (al %(fecha)s, de %(quien)s, del "
                "%(cuando)s). Espere a que se apruebe o se rechace antes de pedir otra."
            )
            % {
                "de": pendiente.compromiso.de_elemento,
                "fecha": fecha_en_palabras(pendiente.fecha_nueva),
                "quien": pendiente.solicitado_por_nombre,
                "cuando": timezone.localtime(pendiente.registrado_en).strftime("%d/%m/%Y %H:%M"),
            }
        )


class ProrrogaDecididaError(Exception):
    """Someone decided on this request first."""

    def __init__(self, decision: DecisionProrroga):
        self.decision = decision
        super().__init__(
            _("Esta solicitud de prórroga ya fue %(decision)s por %(quien)s; no se puede decidir dos veces.")
            % {"decision": decision.get_tipo_display().lower(), "quien": decision.decidido_por_nombre}
        )


@transaction.atomic
def solicitar_prorroga(
    compromiso: Compromiso, *, fecha_nueva: datetime.date, justificacion: str, usuario
) -> SolicitudProrroga:
    """Keep a request to move ``compromiso``'s due date; nothing of the commitment changes yet. The
    commitment's row is locked, so two requests serialise and the second finds the first pending
    (``ProrrogaPendienteError``). Raises ``ValidationError`` (in Spanish) for invalid data."""
    bloqueado = Compromiso.objects.select_for_update(of=("self",)).get(pk=compromiso.pk)
    pendiente = (
        SolicitudProrroga.objects.pendientes()
        .filter(compromiso=bloqueado)
        .select_related("compromiso", "solicitado_por")
        .first()
    )
    if pendiente is not None:
        raise ProrrogaPendienteError(pendiente)
    solicitud = SolicitudProrroga(
        compromiso=bloqueado,
        fecha_anterior=bloqueado.fecha_limite,
        fecha_nueva=fecha_nueva,
        justificacion=(justificacion or "").strip(),
        solicitado_por=usuario,
        dependencia=bloqueado.dependencia_que_propone(usuario),
        registrado_en=timezone.now(),
    )
    solicitud.full_clean()
    solicitud.save()
    return solicitud


@transaction.atomic
def decidir_prorroga(
    solicitud: SolicitudProrroga, *, tipo: str, usuario, comentario: str = ""
) -> DecisionProrroga:
    """Approve (the due date becomes the requested one) or reject (``comentario`` required) one
    request, with its decision row, in one transaction. The request's row is locked: of two
    validators, the second waits and then finds the first's decision (``ProrrogaDecididaError``)."""
    bloqueada = SolicitudProrroga.objects.select_for_update(of=("self",)).get(pk=solicitud.pk)
    anterior = DecisionProrroga.objects.filter(solicitud=bloqueada).select_related("decidido_por").first()
    if anterior is not None:
        raise ProrrogaDecididaError(anterior)
    compromiso = Compromiso.objects.select_for_update(of=("self",)).get(pk=bloqueada.compromiso_id)
    decision = DecisionProrroga(
        solicitud=bloqueada,
        tipo=tipo,
        comentario=(comentario or "").strip(),
        fecha_anterior=compromiso.fecha_limite if tipo == DecisionProrroga.Tipo.APROBADA else None,
        decidido_por=usuario,
        registrado_en=timezone.now(),
    )
    decision.full_clean(exclude=["solicitud"])
    decision.save()
    if decision.aprobada:
        Compromiso.objects.filter(pk=compromiso.pk).update(fecha_limite=bloqueada.fecha_nueva)
    return decision
