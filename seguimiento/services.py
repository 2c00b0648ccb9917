"""Writes that touch several rows. Views, admin, import and commands all call these."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .almacen import atomico
from .integridad import encadenar, encadenar_varios
from .models import ActualizacionBase, DecisionBase, Estatus, PropuestaBase, Seguible


class VersionObsoletaError(Exception):
    """The form was based on a version of the item that someone else has since changed."""

    def __init__(self, elemento: Seguible, version_enviada: int | None):
        self.elemento = elemento
        self.version_enviada = version_enviada
        super().__init__(
            _(
                "Otra persona registró una actualización mientras usted editaba "
                "(versión %(actual)s; su formulario partía de la versión %(enviada)s)."
            )
            % {"actual": elemento.version, "enviada": version_enviada}
        )

    def registradas_despues(self):
        """What changed: the updates recorded since the version the submitter saw (the latest at least)."""
        nuevas = self.elemento.version - (self.version_enviada or 0)
        return self.elemento.actualizaciones.select_related(
            "estatus", "estatus_anterior", "registrado_por"
        ).order_by("-registrado_en", "-pk")[: max(nuevas, 1)]


# Who records what no person does: the seed and the rows recorded before the recorder was required.
USUARIO_DEL_SISTEMA = "sistema"


def usuario_del_sistema():
    """The system's own account (no password, inactive: nobody logs in as it), made once."""
    from django.contrib.auth import get_user_model

    usuario, creado = get_user_model().objects.get_or_create(
        username=USUARIO_DEL_SISTEMA, defaults={"first_name": "Carga inicial", "is_active": False}
    )
    if creado:
        usuario.set_unusable_password()
        usuario.save(update_fields=["password"])
    return usuario


# A bulk load this large refreshes the planner's statistics of the tables it wrote (see below).
FILAS_PARA_ANALIZAR = 1000


def analizar_tras_carga(*modelos: type[models.Model]) -> None:
    """PostgreSQL: refresh the statistics of the tables a bulk load just wrote, in its transaction.

    The foreign-key checks that run at commit use a plan this connection may have cached while the
    referenced table was small; with it, each check scans the whole table (quadratic: 4,000 parents
    and 20,000 children took 9 s to commit instead of 0.4 s). ``ANALYZE`` counts the rows this
    transaction wrote and makes the cached plans be made anew. Other engines need nothing.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for modelo in modelos:
            cursor.execute(f'ANALYZE "{modelo._meta.db_table}"')


def es_mas_reciente(nueva: ActualizacionBase, actual: ActualizacionBase | None) -> bool:
    """Whether ``nueva`` comes after ``actual`` in ``ORDEN_VIGENCIA`` (the one definition of latest)."""
    return actual is None or nueva.clave_vigencia() > actual.clave_vigencia()


@atomico()
def registrar_actualizacion(
    elemento: Seguible,
    *,
    estatus: Estatus,
    fecha_efectiva: datetime.date,
    nota: str = "",
    nota_publica: bool = False,
    usuario,
    version: int | None = None,
    evidencia=None,
    enlace: str = "",
    capturado_por_declarado: str = "",
    capturado_en_declarado: datetime.datetime | None = None,
    registrado_en: datetime.datetime | None = None,
    propuesta: PropuestaBase | None = None,
) -> ActualizacionBase:
    """Append a status update to ``elemento``; if it is now the latest, point the item to it and copy
    its status, date and note (``Seguible.CAMPOS_VIGENTES``).

    The update is the next link of the record's hash chain (``integridad.encadenar``).
    The item's row is locked, so concurrent submissions serialise; with ``version`` given, a
    submission based on an older version raises ``VersionObsoletaError`` and writes nothing.
    Raises ``django.core.exceptions.ValidationError`` (in Spanish) for invalid data.
    ``registrado_en`` defaults to now; only code that loads what the system itself recorded (the
    seed, tests) passes it. What an imported file claims goes in the ``capturado_*_declarado`` fields.
    ``propuesta``: the accepted proposal this update records (``aceptar_propuesta`` passes it).
    """
    if usuario is None:
        raise ValueError("registrar_actualizacion necesita al usuario que registra (usuario_del_sistema()).")
    modelo = type(elemento)
    bloqueado = (
        modelo.objects.select_for_update(of=("self",))
        # Each concrete item declares the pointer (its target differs); the abstract one cannot.
        .select_related("ultima_actualizacion")  # type: ignore[misc]
        .get(pk=elemento.pk)
    )
    if version is not None and bloqueado.version != version:
        raise VersionObsoletaError(bloqueado, version)

    anterior = bloqueado.ultima_actualizacion
    actualizacion = modelo.modelo_actualizacion()(
        **{modelo.modelo_actualizacion().CAMPO_ELEMENTO: bloqueado},
        estatus=estatus,
        estatus_anterior=anterior.estatus if anterior else None,
        fecha_efectiva=fecha_efectiva,
        nota=nota.strip(),
        nota_publica=nota_publica,
        enlace=enlace.strip(),
        registrado_por=usuario,
        registrado_en=registrado_en or timezone.now(),
        capturado_por_declarado=capturado_por_declarado.strip(),
        capturado_en_declarado=capturado_en_declarado,
    )
    if evidencia:
        actualizacion.evidencia = evidencia
    if propuesta is not None:
        actualizacion.propuesta = propuesta  # type: ignore[attr-defined]  # declared by each app
    actualizacion.full_clean()
    encadenar(actualizacion)
    actualizacion.save(force_insert=True)

    campos = {"version": bloqueado.version + 1}
    if es_mas_reciente(actualizacion, anterior):
        campos.update(modelo.vigentes(actualizacion))
    modelo.objects.filter(pk=bloqueado.pk).update(**campos)
    for campo, valor in campos.items():
        setattr(elemento, campo, valor)
    if "ultima_actualizacion" not in campos:
        elemento.ultima_actualizacion = anterior
    return actualizacion


def validar_actualizacion(actualizacion: ActualizacionBase, *, referencias_verificadas: bool = False) -> None:
    """The rules every update obeys, whichever door it comes in by (the model's ``full_clean``).

    With ``referencias_verificadas`` the caller already holds the item, status and user objects, so
    their existence is not queried again row by row; every other rule (date not in the future,
    a note for an unfavourable status, field formats) is checked the same way.
    """
    if referencias_verificadas:
        faltan = {
            campo: _("Este dato es obligatorio.")
            for campo in (actualizacion.CAMPO_ELEMENTO, "estatus")
            if getattr(actualizacion, f"{campo}_id") is None
        }
        if faltan:
            raise ValidationError(faltan)
        excluir = [actualizacion.CAMPO_ELEMENTO, "estatus", "estatus_anterior", "registrado_por"]
        actualizacion.full_clean(exclude=excluir, validate_unique=False, validate_constraints=False)
    else:
        actualizacion.full_clean()


@transaction.atomic
def registrar_actualizaciones(
    actualizaciones: Sequence[ActualizacionBase], *, usuario
) -> list[ActualizacionBase]:
    """Append many updates at once (bulk import) with the same result as calling
    ``registrar_actualizacion`` for each one in order, by ``usuario``, now.

    Each unsaved update carries its item, status, effective date, note, link and what the file
    declared about its capture; who recorded it and when are set here, overriding anything the
    caller put there. Everything is validated before anything is written (a ``ValidationError``
    keyed by position otherwise); the items are locked; each update gets the ``estatus_anterior``
    in force when it is appended, and the next link of the hash chain, in order; ``version`` grows
    by one per update and ``ultima_actualizacion``
    (with its copies, ``Seguible.CAMPOS_VIGENTES``) points to the latest, in this same transaction.
    Updates with the same effective date take effect in the order given.
    """
    if usuario is None or not usuario.is_authenticated:
        raise ValueError("registrar_actualizaciones necesita al usuario que registra.")
    if not actualizaciones:
        return []
    modelo_actualizacion = type(actualizaciones[0])
    campo = modelo_actualizacion.CAMPO_ELEMENTO
    modelo = modelo_actualizacion.modelo_elemento()
    ahora = timezone.now()
    errores = {}
    for posicion, actualizacion in enumerate(actualizaciones):
        actualizacion.nota = (actualizacion.nota or "").strip()
        actualizacion.enlace = (actualizacion.enlace or "").strip()
        actualizacion.capturado_por_declarado = (actualizacion.capturado_por_declarado or "").strip()
        actualizacion.registrado_por = usuario
        actualizacion.registrado_en = ahora
        try:
            validar_actualizacion(actualizacion, referencias_verificadas=True)
        except ValidationError as e:
            errores[str(posicion)] = e.messages
    if errores:
        raise ValidationError(errores)

    ids = sorted({getattr(a, f"{campo}_id") for a in actualizaciones})
    elementos: dict[int, Seguible] = {}
    for inicio in range(0, len(ids), 5000):
        bloque = (
            modelo.objects.select_for_update(of=("self",))
            .select_related("ultima_actualizacion__estatus")  # type: ignore[misc]  # see above
            .filter(pk__in=ids[inicio : inicio + 5000])
            .order_by("pk")
        )
        elementos.update((e.pk, e) for e in bloque)

    # Replay the appends in order. The new rows get ids above every existing one, in this order, so
    # the id in ORDEN_VIGENCIA is stood in for by (0, existing id) and (1, position).
    def clave(actualizacion: ActualizacionBase, desempate: tuple) -> tuple:
        return (*actualizacion.clave_vigencia()[:-1], desempate)

    vigente = {}
    for elemento in elementos.values():
        actual = elemento.ultima_actualizacion
        if actual is not None:
            vigente[elemento.pk] = (clave(actual, (0, actual.pk)), actual)
    nuevas_vigentes = {}
    for posicion, actualizacion in enumerate(actualizaciones):
        elemento = elementos[getattr(actualizacion, f"{campo}_id")]
        clave_actual, anterior = vigente.get(elemento.pk, (None, None))
        actualizacion.estatus_anterior = anterior.estatus if anterior else None
        nueva_clave = clave(actualizacion, (1, posicion))
        if clave_actual is None or nueva_clave > clave_actual:
            vigente[elemento.pk] = (nueva_clave, actualizacion)
            nuevas_vigentes[elemento.pk] = actualizacion
        elemento.version += 1

    encadenar_varios(actualizaciones)
    modelo_actualizacion.objects.bulk_create(actualizaciones, batch_size=1000)
    for pk, actualizacion in nuevas_vigentes.items():
        for campo, valor in modelo.vigentes(actualizacion).items():
            setattr(elementos[pk], campo, valor)
    modelo.objects.bulk_update(elementos.values(), ["version", *modelo.CAMPOS_VIGENTES], batch_size=1000)
    if len(actualizaciones) >= FILAS_PARA_ANALIZAR:
        analizar_tras_carga(modelo, modelo_actualizacion)
    return list(actualizaciones)


# Proposals: a liaison proposes, a validator accepts (recording the update) or returns it ------------


class PropuestaPendienteError(Exception):
    """The item already has a proposal awaiting a decision: one at a time."""

    def __init__(self, pendiente: PropuestaBase):
        self.pendiente = pendiente
        super().__init__(
            _(
                "Ya hay una propuesta pendiente %(de)s: «%(estatus)s», propuesta por %(quien)s el "
                "%(cuando)s. Espere a que se acepte o se devuelva antes de proponer otra."
            )
            % {
                "de": pendiente.elemento.de_elemento,
                "estatus": pendiente.estatus,
                "quien": pendiente.propuesto_por_nombre,
                "cuando": timezone.localtime(pendiente.registrado_en).strftime("%d/%m/%Y %H:%M"),
            }
        )


class PropuestaDecididaError(Exception):
    """Someone decided on this proposal first (or it was decided long ago)."""

    def __init__(self, decision: DecisionBase):
        self.decision = decision
        super().__init__(
            _("Esta propuesta ya fue %(decision)s por %(quien)s; no se puede decidir dos veces.")
            % {"decision": decision.get_tipo_display().lower(), "quien": decision.decidido_por_nombre}
        )


@atomico()
def proponer(
    elemento: Seguible,
    *,
    estatus: Estatus,
    fecha_efectiva: datetime.date,
    usuario,
    version: int,
    nota: str = "",
    nota_publica: bool = False,
    evidencia=None,
    enlace: str = "",
) -> PropuestaBase:
    """Keep a proposed update of ``elemento``, not in effect: nothing of the item changes.

    The item's row is locked (as ``registrar_actualizacion`` does), so two proposals for one item
    serialise: a version other than the item's raises ``VersionObsoletaError``; a pending proposal
    raises ``PropuestaPendienteError``; what an update would refuse raises ``ValidationError``. The
    institution it is made for is the item's to say (``Seguible.dependencia_que_propone``).
    """
    modelo = type(elemento)
    bloqueado = (
        modelo.objects.select_for_update(of=("self",)).select_related("estatus_vigente").get(pk=elemento.pk)
    )
    if bloqueado.version != version:
        raise VersionObsoletaError(bloqueado, version)
    modelo_propuesta = modelo.modelo_propuesta()
    pendiente = (
        modelo_propuesta.objects.pendientes()
        .filter(**{modelo_propuesta.CAMPO_ELEMENTO: bloqueado})
        .select_related("estatus", "propuesto_por")
        .first()
    )
    if pendiente is not None:
        raise PropuestaPendienteError(pendiente)
    propuesta = modelo_propuesta(
        **{modelo_propuesta.CAMPO_ELEMENTO: bloqueado},
        estatus=estatus,
        estatus_anterior=bloqueado.estatus_vigente,
        fecha_efectiva=fecha_efectiva,
        nota=nota.strip(),
        nota_publica=nota_publica,
        enlace=enlace.strip(),
        version=version,
        propuesto_por=usuario,
        dependencia=bloqueado.dependencia_que_propone(usuario),
        registrado_en=timezone.now(),
    )
    if evidencia:
        propuesta.evidencia = evidencia
    # The update's own rules, once: what acceptance would record must be recordable now.
    propuesta.como_actualizacion().full_clean(exclude=["registrado_por", "estatus_anterior"])
    propuesta.full_clean(exclude=["evidencia"])  # the evidence was checked just above
    propuesta.save()
    return propuesta


def _bloquear_sin_decidir(propuesta: PropuestaBase) -> PropuestaBase:
    """The proposal's row, locked: of two validators, the second waits here and then finds the first's
    decision (``PropuestaDecididaError``)."""
    modelo = type(propuesta)
    bloqueada = modelo.objects.select_for_update(of=("self",)).get(pk=propuesta.pk)
    decisiones = modelo.modelo_decision().objects.filter(propuesta=bloqueada)  # type: ignore[misc]
    decision = decisiones.select_related("decidido_por").first()
    if decision is not None:
        raise PropuestaDecididaError(decision)
    return bloqueada


def _decidir(propuesta: PropuestaBase, tipo: str, observaciones: str, usuario) -> DecisionBase:
    decision = type(propuesta).modelo_decision()(
        propuesta=propuesta,  # type: ignore[misc]  # each app declares it (the target differs)
        tipo=tipo,
        observaciones=observaciones.strip(),
        decidido_por=usuario,
        registrado_en=timezone.now(),
    )
    decision.full_clean(exclude=["propuesta"])
    decision.save()
    return decision


@atomico()
def aceptar_propuesta(
    propuesta: PropuestaBase, *, usuario, version: int | None = None, comentario: str = ""
) -> ActualizacionBase:
    """Record the proposed update, by ``usuario``, now, linked to the proposal, and the acceptance, in
    one transaction. ``version``: the item's version the validator saw (by default the one the
    proposal was based on); another raises ``VersionObsoletaError`` and the proposal stays pending,
    with its evidence, as does any ``ValidationError``."""
    bloqueada = _bloquear_sin_decidir(propuesta)
    elemento = bloqueada.elemento
    actualizacion = registrar_actualizacion(
        elemento,
        estatus=bloqueada.estatus,
        fecha_efectiva=bloqueada.fecha_efectiva,
        nota=bloqueada.nota,
        nota_publica=bloqueada.nota_publica,
        evidencia=bloqueada.evidencia or None,
        enlace=bloqueada.enlace,
        usuario=usuario,
        version=bloqueada.version if version is None else version,
        propuesta=bloqueada,
    )
    _decidir(bloqueada, DecisionBase.Tipo.ACEPTADA, comentario, usuario)
    return actualizacion


@transaction.atomic
def devolver_propuesta(propuesta: PropuestaBase, *, usuario, observaciones: str) -> DecisionBase:
    """Return the proposal with the (required) observations; the liaison may then propose again."""
    bloqueada = _bloquear_sin_decidir(propuesta)
    return _decidir(bloqueada, DecisionBase.Tipo.DEVUELTA, observaciones, usuario)
