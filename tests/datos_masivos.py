"""Many commitments with a status history, fast (bulk_create), for query-count tests and bench/.

History stays append-only: updates are only inserted, and the current-status pointer is then set on
``Compromiso`` with one UPDATE whose subquery is the definition of "latest" (effective date, then
recording time, then pk) — the same ordering ``registrar_actualizacion`` follows.
"""

import datetime
import random

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from convenios.models import Actualizacion, Compromiso, Convenio, Dependencia, Parte
from seguimiento.integridad import encadenar_varios
from seguimiento.models import Estatus
from seguimiento.services import analizar_tras_carga, usuario_del_sistema

PALABRAS = [
    "datos",
    "abiertos",
    "portal",
    "transparencia",
    "publicar",
    "catálogo",
    "calidad",
    "informe",
    "plataforma",
    "capacitación",
    "municipios",
    "indicadores",
    "presupuesto",
    "contraloría",
    "auditoría",
    "padrón",
    "licitación",
    "obra",
    "pública",
    "rendición",
    "cuentas",
    "archivo",
    "digital",
    "sistema",
    "enlace",
]
INICIO = datetime.date(2018, 1, 1)


def crear_compromisos(n: int, actualizaciones: int, semilla: int = 0, por_convenio: int = 100) -> None:
    """``n`` commitments in ``n / por_convenio`` convenios; ``actualizaciones`` updates spread at random."""
    rng = random.Random(semilla)
    hoy = timezone.localdate()
    dias = (hoy - INICIO).days
    estatus = list(Estatus.objects.all())
    dependencias = Dependencia.objects.bulk_create(
        [Dependencia(nombre=f"Dependencia masiva {semilla}-{i}") for i in range(20)]
    )
    convenios = Convenio.objects.bulk_create(
        [
            Convenio(
                nombre=f"Convenio masivo {semilla}-{i:04d}",
                slug=f"convenio-masivo-{semilla}-{i}",
                fecha_inicio=INICIO,
                objeto="Objeto.",
            )
            for i in range(max(1, n // por_convenio))
        ]
    )
    partes = Parte.objects.bulk_create(
        [
            Parte(convenio=c, dependencia=d, etiqueta=d.nombre[-6:], orden=j)
            for c in convenios
            for j, d in enumerate(rng.sample(dependencias, 3))
        ]
    )
    partes_de = {}
    for parte in partes:
        partes_de.setdefault(parte.convenio_id, []).append(parte)

    compromisos = []
    for i in range(n):
        convenio = convenios[i % len(convenios)]
        texto = " ".join(rng.choices(PALABRAS, k=rng.randint(6, 40)))
        compromisos.append(
            Compromiso(
                convenio=convenio,
                numero=i // len(convenios) + 1,
                responsable=None if rng.random() < 0.3 else rng.choice(partes_de[convenio.pk]),
                texto=f"Compromiso {i}: {texto}.",
                fecha_limite=None
                if rng.random() < 0.4
                else INICIO + datetime.timedelta(days=rng.randrange(dias + 400)),
            )
        )
    compromisos = Compromiso.objects.bulk_create(compromisos, batch_size=2000)

    filas = []
    sistema = usuario_del_sistema()
    for _ in range(actualizaciones):
        fecha = INICIO + datetime.timedelta(days=rng.randrange(dias))
        registrado = timezone.make_aware(datetime.datetime.combine(fecha, datetime.time(9)))
        registrado += datetime.timedelta(minutes=rng.randrange(60 * 24 * 30))
        filas.append(
            Actualizacion(
                compromiso=rng.choice(compromisos),
                estatus=rng.choice(estatus),
                fecha_efectiva=fecha,
                registrado_en=min(registrado, timezone.now()),
                registrado_por=sistema,
                nota=" ".join(rng.choices(PALABRAS, k=rng.randint(3, 12))),
            )
        )
    with transaction.atomic():  # chained as the services do, so the record verifies
        encadenar_varios(filas)
        Actualizacion.objects.bulk_create(filas, batch_size=2000)
    apuntar_a_la_ultima(Compromiso.objects.filter(convenio__in=convenios))
    analizar_tras_carga(Dependencia, Convenio, Parte, Compromiso, Actualizacion)


def apuntar_a_la_ultima(compromisos) -> None:
    """Set each commitment's pointer to its latest update (with its copies) and its version to its
    number of updates."""
    historial = Actualizacion.objects.filter(compromiso=OuterRef("pk"))
    ultima = historial.recientes_primero()
    compromisos.update(
        version=Coalesce(
            Subquery(historial.order_by().values("compromiso").annotate(n=Count("pk")).values("n")[:1]), 0
        ),
    )
    compromisos.filter(Exists(historial)).update(
        ultima_actualizacion=Subquery(ultima.values("pk")[:1]),
        **{c: Subquery(ultima.values(origen)[:1]) for c, origen in Compromiso.COPIAS_VIGENTES.items()},
    )
