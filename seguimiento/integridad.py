"""The record's hash chain: every history row, issued report (and text version) is one link.

``huella = HMAC-SHA256(CLAVE_INTEGRIDAD, huella anterior ‖ the row as stored, serialised canonically)``.
One chain for the whole record, whatever the table: a row's ``eslabon`` is its position. Writers call
``encadenar`` (or ``encadenar_varios``) inside their transaction, just before inserting: it locks the
chain's head (``CabezaDeCadena``, one row), so concurrent writers append one after the other and the
chain cannot fork. ``verificar`` walks every chained table by position and recomputes each link.

The key lives only in the environment (``settings.CLAVE_INTEGRIDAD``): someone who can write the
database but does not hold the key cannot rewrite a row and forge its link, nor the links after it.
"""

import datetime
import hashlib
import heapq
import hmac
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

CABEZA = 1  # the primary key of the chain head's only row


def clave() -> bytes:
    valor = settings.CLAVE_INTEGRIDAD
    if not valor:
        raise ImproperlyConfigured(
            "Falta CLAVE_INTEGRIDAD: sin ella no se puede encadenar ni verificar el registro."
        )
    return valor.encode()


def valor_canonico(valor):
    """One spelling per value, whichever engine stored it: datetimes in UTC to the microsecond."""
    if valor is None or isinstance(valor, bool | int | str):
        return valor
    if isinstance(valor, datetime.datetime):
        return valor.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(valor, datetime.date):
        return valor.isoformat()
    if isinstance(valor, Decimal):
        return str(valor)
    if isinstance(valor, FieldFile):
        return valor.name or ""
    raise TypeError(f"Valor sin forma canónica en la cadena: {type(valor).__name__}")


def calcular_huella(clave: bytes, anterior: str, tabla: str, valores: dict) -> str:
    """The link of one row: its table and values (by column name, ``eslabon`` included) after the
    previous link. Migrations call it too, so its output for a given row never changes."""
    cuerpo = json.dumps(
        [tabla, {k: valor_canonico(v) for k, v in valores.items()}],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hmac.new(clave, f"{anterior}\n{cuerpo}".encode(), hashlib.sha256).hexdigest()


class Encadenado(models.Model):
    """A table whose rows are links of the chain. Subclasses declare which fields the link covers
    (``CAMPOS_EN_HUELLA``; every other concrete field must be named in ``FUERA_DE_HUELLA``) and which
    one dates the row (``MOMENTO``; ``MOMENTO_DE_LA_BD`` when a database trigger sets it)."""

    eslabon = models.PositiveBigIntegerField(
        _l("eslabón"),
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_l("Su lugar en la cadena."),
    )
    huella_anterior = models.CharField(
        _l("huella anterior"), max_length=64, blank=True, default="", db_default="", editable=False
    )
    huella = models.CharField(
        _l("huella"), max_length=64, blank=True, default="", db_default="", editable=False, db_index=True
    )

    CAMPOS_EN_HUELLA: tuple[str, ...] = ()
    FUERA_DE_HUELLA: tuple[str, ...] = ()
    MOMENTO = "registrado_en"
    MOMENTO_DE_LA_BD = False

    class Meta:
        abstract = True

    @classmethod
    def campos_en_huella(cls) -> tuple[str, ...]:
        return cls.CAMPOS_EN_HUELLA

    @classmethod
    def campos_concretos_en_huella(cls) -> list[models.Field]:
        return [cast(models.Field, cls._meta.get_field(nombre)) for nombre in cls.campos_en_huella()]

    @classmethod
    def columnas_en_huella(cls) -> list[str]:
        """The column names (``attname``) the link covers, ``eslabon`` first."""
        return ["eslabon", *(campo.attname for campo in cls.campos_concretos_en_huella())]


class CabezaDeCadena(models.Model):
    """The chain's last link: what the next one follows. Written only by ``encadenar``, which locks it."""

    eslabon = models.PositiveBigIntegerField(_l("eslabones"), default=0)
    huella = models.CharField(_l("huella"), max_length=64, blank=True, default="")
    tabla = models.CharField(_l("tabla"), max_length=100, blank=True, default="")
    fila = models.BigIntegerField(_l("fila"), null=True, blank=True)
    momento = models.DateTimeField(_l("momento"), null=True, blank=True)

    class Meta:
        app_label = "seguimiento"
        verbose_name = _l("cabeza de la cadena")
        verbose_name_plural = _l("cabeza de la cadena")

    def __str__(self):
        return f"{self.eslabon}: {self.huella[:12]}"


def modelos_encadenados() -> list[type[Encadenado]]:
    """Every chained table (found without importing them): what ``verificar`` walks."""
    return [m for m in apps.get_models() if issubclass(m, Encadenado)]


def cabeza() -> CabezaDeCadena:
    """The current head, unlocked (an empty chain before anything was chained)."""
    return CabezaDeCadena.objects.filter(pk=CABEZA).first() or CabezaDeCadena(pk=CABEZA)


def reservar_ids(modelo: type[models.Model], cuantos: int) -> list[int]:
    """Primary keys for rows not yet inserted (the link covers the id). PostgreSQL takes them from the
    table's sequence; SQLite, under its single writer lock, after the largest one."""
    tabla = modelo._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [tabla, cuantos],
            )
            return [fila[0] for fila in cursor.fetchall()]
        cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{tabla}"')
        (maximo,) = cursor.fetchone()
        return list(range(maximo + 1, maximo + 1 + cuantos))


# A moment no row is recorded at: what ``momento_de_registro`` answers tells whether it keeps the sent one.
MARCA = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@dataclass
class Cerrojo:
    """What the writer learns while it locks the head: the head, the ids reserved, and (PostgreSQL)
    whether the recording-moment trigger keeps the sent moment, and the transaction's time."""

    cabeza: CabezaDeCadena
    ids: list[int]
    conserva_momento: bool = True
    ahora: datetime.datetime | None = None


def _bloquear_cabeza(modelo: type[Encadenado], cuantos_ids: int) -> Cerrojo:
    """Lock the head until the transaction ends (creating it if the chain is empty). PostgreSQL does it
    in one round trip with the ids from the table's sequence and the answer of ``momento_de_registro``
    (the function the trigger calls); SQLite, with its writer lock, keeps the moment it is sent."""
    if connection.vendor != "postgresql":
        consulta = CabezaDeCadena.objects.select_for_update().filter(pk=CABEZA)
        actual = consulta.first()
        if actual is None:
            CabezaDeCadena.objects.bulk_create([CabezaDeCadena(pk=CABEZA)], ignore_conflicts=True)
            actual = consulta.get()
        return Cerrojo(actual, reservar_ids(modelo, cuantos_ids) if cuantos_ids else [])
    tabla = modelo._meta.db_table
    sql = (
        "SELECT c.eslabon, c.huella, momento_de_registro(%s::regclass, %s), now(), "
        "ARRAY(SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)) "
        f"FROM {CabezaDeCadena._meta.db_table} c WHERE c.id = %s FOR UPDATE"
    )
    parametros: list = [tabla, MARCA, tabla, cuantos_ids, CABEZA]
    with connection.cursor() as cursor:
        cursor.execute(sql, parametros)
        fila = cursor.fetchone()
        if fila is None:
            CabezaDeCadena.objects.bulk_create([CabezaDeCadena(pk=CABEZA)], ignore_conflicts=True)
            cursor.execute(sql, parametros)
            fila = cursor.fetchone()
    eslabon, huella, respuesta, ahora, ids = fila
    return Cerrojo(
        CabezaDeCadena(pk=CABEZA, eslabon=eslabon, huella=huella), list(ids), respuesta == MARCA, ahora
    )


def _valores(instancia: Encadenado) -> dict:
    valores: dict = {"eslabon": instancia.eslabon}
    for campo in instancia.campos_concretos_en_huella():
        if isinstance(campo, models.FileField):
            valores[campo.attname] = campo.pre_save(instancia, add=True).name or ""  # saves the file now
        else:
            valores[campo.attname] = campo.to_python(getattr(instancia, campo.attname))
    return valores


def encadenar(instancia: Encadenado) -> None:
    """Make ``instancia`` (not yet inserted) the chain's next link; the caller inserts it in the same
    transaction. See ``encadenar_varios``."""
    encadenar_varios([instancia])


def encadenar_varios(instancias: Sequence[Encadenado]) -> None:
    """Make these rows (of one model, not yet inserted) the next links, in order, and move the head.

    Must run inside the transaction that inserts them: the head stays locked until it ends. Rows
    without a primary key get one (``reservar_ids``); with ``MOMENTO_DE_LA_BD`` the recording moment
    is set to what the database will store, so the link covers the row exactly as stored.
    """
    if not instancias:
        return
    if not connection.in_atomic_block:
        raise RuntimeError("encadenar necesita la transacción en la que se insertan las filas.")
    modelo = type(instancias[0])
    llave = clave()
    sin_id = [i for i in instancias if i.pk is None]
    cerrojo = _bloquear_cabeza(modelo, len(sin_id))
    for instancia, pk in zip(sin_id, cerrojo.ids, strict=True):
        instancia.pk = pk
    if modelo.MOMENTO_DE_LA_BD and cerrojo.ahora is not None:
        # The value the trigger will store: the sent one where it keeps it, else the transaction's time.
        for instancia in instancias:
            enviado = getattr(instancia, modelo.MOMENTO)
            setattr(
                instancia,
                modelo.MOMENTO,
                (enviado or cerrojo.ahora) if cerrojo.conserva_momento else cerrojo.ahora,
            )
    tabla = modelo._meta.db_table
    huella, eslabon = cerrojo.cabeza.huella, cerrojo.cabeza.eslabon
    for instancia in instancias:
        eslabon += 1
        instancia.eslabon = eslabon
        instancia.huella_anterior = huella
        huella = instancia.huella = calcular_huella(llave, huella, tabla, _valores(instancia))
    ultima = instancias[-1]
    CabezaDeCadena.objects.filter(pk=CABEZA).update(
        eslabon=eslabon, huella=huella, tabla=tabla, fila=ultima.pk, momento=getattr(ultima, modelo.MOMENTO)
    )


# --- Verification ----------------------------------------------------------------------------------


@dataclass
class Falla:
    tabla: str
    fila: int | None
    eslabon: int | None
    motivo: str

    def __str__(self):
        donde = _("%(tabla)s, id %(fila)s") % {"tabla": self.tabla, "fila": self.fila}
        if self.eslabon is not None:
            donde += _(" (eslabón %(eslabon)s)") % {"eslabon": self.eslabon}
        return f"{donde}: {self.motivo}"


@dataclass
class Resultado:
    eslabones: int  # how many links were recomputed
    desde: int  # the first position recomputed
    cabeza: CabezaDeCadena
    falla: Falla | None = None

    @property
    def integra(self) -> bool:
        return self.falla is None


def _filas(modelo: type[Encadenado], desde: int) -> Iterator[tuple]:
    columnas = modelo.columnas_en_huella()
    consulta = (
        modelo._base_manager.filter(eslabon__gte=desde)
        .order_by("eslabon")
        .values_list("eslabon", "pk", "huella_anterior", "huella", *columnas[1:])
    )
    for fila in consulta.iterator(chunk_size=5000):
        yield (fila[0], modelo, fila)


def primer_eslabon_desde(momento: datetime.datetime) -> int | None:
    """The first position of a row recorded at ``momento`` or later (None if there is none)."""
    primeros = [
        modelo._base_manager.filter(**{f"{modelo.MOMENTO}__gte": momento}).aggregate(m=models.Min("eslabon"))[
            "m"
        ]
        for modelo in modelos_encadenados()
    ]
    return min((p for p in primeros if p is not None), default=None)


def huella_en(eslabon: int) -> str | None:
    """The stored link at a position, if some row holds it."""
    for modelo in modelos_encadenados():
        huella = modelo._base_manager.filter(eslabon=eslabon).values_list("huella", flat=True).first()
        if huella is not None:
            return huella
    return None


def verificar(desde: datetime.date | None = None) -> Resultado:
    """Recompute the chain (from the first row recorded on ``desde``, or from the start) and compare
    it with every stored link and the head: the first row that does not verify is the ``falla``.

    Reads one snapshot of the database (PostgreSQL: a repeatable-read transaction), so a writer
    appending meanwhile is never mistaken for a head that does not match its last link."""
    if connection.in_atomic_block:
        return _verificar(desde)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return _verificar(desde)


def _verificar(desde: datetime.date | None) -> Resultado:
    llave = clave()
    actual = cabeza()
    modelos = modelos_encadenados()
    for modelo in modelos:
        suelta = modelo._base_manager.filter(eslabon__isnull=True).values_list("pk", flat=True).first()
        if suelta is not None:
            motivo = _("no está en la cadena (no tiene eslabón): se escribió sin pasar por el servicio")
            return Resultado(0, 1, actual, Falla(modelo._meta.db_table, suelta, None, motivo))
    inicio, anterior = 1, ""
    if desde is not None:
        momento = timezone.make_aware(datetime.datetime.combine(desde, datetime.time.min))
        primero = primer_eslabon_desde(momento)
        inicio = primero if primero is not None else actual.eslabon + 1
        if inicio > 1:
            anterior = huella_en(inicio - 1) or ""
    esperado, contados = inicio, 0
    for eslabon, modelo, fila in heapq.merge(*(_filas(m, inicio) for m in modelos), key=lambda f: f[0]):
        tabla = modelo._meta.db_table
        _pos, pk, huella_anterior, huella, *valores = fila
        if eslabon != esperado:
            motivo = (
                _("el eslabón %(esperado)s falta: la cadena salta al %(eslabon)s (se borró una fila)")
                if eslabon > esperado
                else _("el eslabón %(eslabon)s está repetido")
            ) % {"esperado": esperado, "eslabon": eslabon}
            return Resultado(contados, inicio, actual, Falla(tabla, pk, eslabon, motivo))
        if huella_anterior != anterior:
            motivo = _("su huella anterior no es la huella de la fila que la precede en la cadena")
            return Resultado(contados, inicio, actual, Falla(tabla, pk, eslabon, motivo))
        recalculada = calcular_huella(
            llave, anterior, tabla, dict(zip(modelo.columnas_en_huella(), [eslabon, *valores], strict=True))
        )
        if not hmac.compare_digest(recalculada, huella):
            motivo = _("su contenido no corresponde a su huella: la fila cambió después de registrarse")
            return Resultado(contados, inicio, actual, Falla(tabla, pk, eslabon, motivo))
        anterior, esperado, contados = huella, esperado + 1, contados + 1
    if esperado - 1 != actual.eslabon or (actual.eslabon and anterior != actual.huella):
        motivo = _(
            "la cabeza de la cadena (eslabón %(cabeza)s) no es el último eslabón guardado (%(ultimo)s)"
        ) % {"cabeza": actual.eslabon, "ultimo": esperado - 1}
        return Resultado(contados, inicio, actual, Falla(CabezaDeCadena._meta.db_table, CABEZA, None, motivo))
    return Resultado(contados, inicio, actual)


def buscar_huella(huella: str) -> tuple[int, datetime.datetime] | None:
    """Where a link stands in today's chain: its position and the moment its row was recorded."""
    for modelo in modelos_encadenados():
        fila = modelo._base_manager.filter(huella=huella).values_list("eslabon", modelo.MOMENTO).first()
        if fila is not None:
            return fila
    return None


def resumen_de_verificacion(resultado: Resultado) -> str:
    """One Spanish line: what was verified and the head, or the first row that does not verify."""
    if not resultado.integra:
        return _("La cadena del registro NO verifica: %(falla)s.") % {"falla": resultado.falla}
    if not resultado.cabeza.eslabon:
        return _("La cadena del registro está vacía: no hay nada registrado que verificar.")
    from seguimiento.templatetags.fechas import fecha_larga

    return _(
        "La cadena del registro verifica: %(eslabones)s eslabones recalculados (del %(desde)s al %(hasta)s); "
        "cabeza %(huella)s, del %(momento)s."
    ) % {
        "eslabones": resultado.eslabones,
        "desde": resultado.desde,
        "hasta": resultado.cabeza.eslabon,
        "huella": resultado.cabeza.huella,
        "momento": fecha_larga(resultado.cabeza.momento),
    }


HUELLA_VALIDA = frozenset("0123456789abcdef")


def publicacion(huella: str | None = None) -> dict:
    """What ``datos:integridad`` publishes: the head (link, length, moment) and, for ``huella``, whether
    that old head is still in today's chain (a prefix of it) and since when. No table or id: only links.
    Raises ``ValueError`` (in Spanish) for something that is not a link."""
    actual = cabeza()
    datos: dict = {
        "cabeza": {
            "huella": actual.huella,
            "eslabones": actual.eslabon,
            "momento": actual.momento.isoformat() if actual.momento else None,
        },
        "algoritmo": "HMAC-SHA256(clave, huella anterior ‖ fila canónica)",
    }
    if huella is not None:
        huella = huella.strip().lower()
        if len(huella) != 64 or not set(huella) <= HUELLA_VALIDA:
            raise ValueError(_("«huella» debe ser una huella de la cadena: 64 caracteres hexadecimales."))
        encontrada = buscar_huella(huella)
        datos["consulta"] = {
            "huella": huella,
            "en_la_cadena": encontrada is not None,
            "eslabon": encontrada[0] if encontrada else None,
            "desde": encontrada[1].isoformat() if encontrada else None,
        }
    return datos
