"""The validation loop's alerts in the daily digest: proposals returned to an Enlace, and what waits
more than ``DIAS_PARA_VALIDAR`` days for a validator. Each row is announced to each user once
(``AvisoDeValidacion``); both kinds of item."""

import datetime

from django.conf import settings
from django.utils import timezone

from comisiones.models import Atribucion
from convenios.models import Compromiso, DecisionProrroga, SolicitudProrroga
from seguimiento import validacion
from seguimiento.models import DecisionBase

from .models import AvisoDeValidacion, enlaces, usuarios_con_permiso

DEVUELTA = "devuelta"
POR_VALIDAR = "por_validar"


def devueltas_para(enlace) -> list:
    """The proposals returned to ``enlace``: the latest proposal of each item it may propose for,
    when it was returned (proposing again takes it off). Two queries per kind of item."""
    propuestas: list = []
    for modelo in (Compromiso, Atribucion):
        if not enlace.has_perm(modelo.permiso_proponer()):
            continue
        ultimas = (
            modelo.objects.proponibles_para(enlace)
            .con_propuesta()
            .filter(propuesta_ultima_decision=DecisionBase.Tipo.DEVUELTA)
            .values("propuesta_ultima_id")
        )
        propuesta = modelo.modelo_propuesta()
        elemento = propuesta.CAMPO_ELEMENTO
        propuestas += propuesta.objects.filter(pk__in=ultimas).select_related(
            elemento, f"{elemento}__{modelo.RELACIONES_PAGINA[0]}", "decision__decidido_por"
        )
    return propuestas


def corte(hoy: datetime.date) -> datetime.datetime:
    """Rows recorded before this moment have waited more than ``DIAS_PARA_VALIDAR`` whole days."""
    dia = hoy - datetime.timedelta(days=settings.DIAS_PARA_VALIDAR)
    return timezone.make_aware(datetime.datetime.combine(dia, datetime.time.min))


def esperas(hoy: datetime.date) -> dict[str, list]:
    """Every proposal (by kind, the permission that decides it) and extension request that has waited
    more than ``DIAS_PARA_VALIDAR`` days, oldest first: one query per kind, whoever asks."""
    antes = corte(hoy)
    resultado: dict[str, list] = {}
    for modelo in validacion.modelos_de_propuesta():
        elemento = modelo.CAMPO_ELEMENTO
        contenedor = modelo.modelo_elemento().RELACIONES_PAGINA[0]
        resultado[modelo.modelo_elemento().permiso_escritura()] = list(
            modelo.objects.pendientes()
            .filter(registrado_en__lt=antes)
            .select_related(elemento, f"{elemento}__{contenedor}", "propuesto_por", "estatus")
            .order_by("registrado_en", "pk")
        )
    resultado[DecisionProrroga.permiso("add")] = list(
        SolicitudProrroga.objects.pendientes()
        .filter(registrado_en__lt=antes)
        .select_related("compromiso__convenio", "solicitado_por")
        .order_by("registrado_en", "pk")
    )
    return resultado


def avisos_de_validacion(hoy: datetime.date, usuarios) -> dict[int, tuple[list, list]]:
    """For each of ``usuarios`` (with an e-mail address): (returned proposals, long waits) not yet
    announced to them; users with neither are left out. The waits cost a fixed number of queries
    (who holds each deciding permission, then each kind's rows); the returned proposals, two
    queries per kind of item for each Enlace."""
    ids_de_enlaces = set(enlaces().values_list("pk", flat=True))
    largas = esperas(hoy)
    deciden = {
        permiso: set(usuarios_con_permiso(permiso).values_list("pk", flat=True)) if filas else set()
        for permiso, filas in largas.items()
    }
    candidatos = [u for u in usuarios if u.email]
    enviados = set(
        AvisoDeValidacion.objects.filter(usuario__in=candidatos).values_list("usuario_id", "clave")
    )
    resultado = {}
    for usuario in candidatos:
        devueltas = devueltas_para(usuario) if usuario.pk in ids_de_enlaces else []
        suyas = [f for permiso, filas in largas.items() if usuario.pk in deciden[permiso] for f in filas]
        devueltas = [p for p in devueltas if (usuario.pk, clave(DEVUELTA, p)) not in enviados]
        suyas = [f for f in suyas if (usuario.pk, clave(POR_VALIDAR, f)) not in enviados]
        if devueltas or suyas:
            resultado[usuario.pk] = (devueltas, sorted(suyas, key=lambda f: (f.registrado_en, f.pk)))
    return resultado


def clave(tipo: str, fila) -> str:
    return AvisoDeValidacion.clave_de(tipo, fila)


def registros(usuario, devueltas: list, esperas: list) -> list[AvisoDeValidacion]:
    return [AvisoDeValidacion(usuario=usuario, clave=clave(DEVUELTA, p)) for p in devueltas] + [
        AvisoDeValidacion(usuario=usuario, clave=clave(POR_VALIDAR, f)) for f in esperas
    ]
