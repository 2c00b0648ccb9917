"""Median server time of the validation queue (``seguimiento:por_validar``) with 1,000 pending
proposals, against the commitments page's, in the same run.

Run by hand on PostgreSQL, in the database of bench/compromisos.py and bench/inicio.py (10,000
commitments and 50,000 status updates, made the first time):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench .venv/bin/python bench/por_validar.py

The first run adds the pending proposals (half on commitments, half on commission duties, by a user
«enlace-bench»; note «bench»); later runs reuse them. Both pages are requested alternately by the same
Capturista. Targets: the queue's median ≤ the commitments page's, and the same number of queries
whatever the queue's length (tests/test_propuestas.py asserts it at 10 and 1,000).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.comun import argumentos, datos_masivos, medianas, preparar_django, tiempo_ms, usuario_de

preparar_django()

import datetime  # noqa: E402

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from comisiones.models import Atribucion, Comision, PropuestaAtribucion, Sistema, TipoComision  # noqa: E402
from convenios.models import Compromiso, Propuesta  # noqa: E402
from seguimiento.models import Estatus  # noqa: E402

PENDIENTES = 1000


def consultas(accion) -> int:
    with CaptureQueriesContext(connection) as capturadas:
        accion()
    return len(capturadas.captured_queries)


def con_propuestas(cantidad: int) -> None:
    """``cantidad`` pending proposals, half on commitments and half on duties, made once."""
    if Propuesta.objects.pendientes().count() + PropuestaAtribucion.objects.pendientes().count() >= cantidad:
        return
    enlace = usuario_de("Enlace")
    estatus = Estatus.objects.vigentes().get(slug="cumplido")
    mitad = cantidad // 2
    compromisos = Compromiso.objects.exclude(propuestas__isnull=False).order_by("pk")[:mitad]
    comision, _ = Comision.objects.get_or_create(
        slug="comision-bench",
        defaults={
            "nombre": "Comisión de la medición",
            "sistema": Sistema.objects.get_or_create(nombre="Sistema de la medición")[0],
            "tipo": TipoComision.objects.get_or_create(nombre="Tipo de la medición")[0],
        },
    )
    atribuciones = Atribucion.objects.bulk_create(
        Atribucion(comision=comision, materia="apertura", numero=10_000 + i, texto=f"Atribución {i}")
        for i in range(cantidad - mitad)
    )
    ahora, hoy = timezone.now(), timezone.localdate()
    comun = {"estatus": estatus, "fecha_efectiva": hoy, "nota": "bench", "propuesto_por": enlace}
    Propuesta.objects.bulk_create(
        Propuesta(
            compromiso=c,
            version=c.version,
            registrado_en=ahora - datetime.timedelta(minutes=2 * i),
            **comun,
        )
        for i, c in enumerate(compromisos)
    )
    PropuestaAtribucion.objects.bulk_create(
        PropuestaAtribucion(
            atribucion=a, version=0, registrado_en=ahora - datetime.timedelta(minutes=2 * i + 1), **comun
        )
        for i, a in enumerate(atribuciones)
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE convenios_propuesta; ANALYZE comisiones_propuestaatribucion")


def main():
    args = argumentos(__doc__, repeticiones=30)
    datos_masivos(args)
    con_propuestas(PENDIENTES)
    cliente = Client()
    cliente.force_login(usuario_de("Capturista"))
    cola, compromisos = reverse("seguimiento:por_validar"), reverse("convenios:compromisos")
    t_cola, t_compromisos = medianas(
        [lambda: tiempo_ms(cliente, cola), lambda: tiempo_ms(cliente, compromisos)], args.repeticiones
    )
    pendientes = Propuesta.objects.pendientes().count() + PropuestaAtribucion.objects.pendientes().count()
    print(
        f"\n{Compromiso.objects.count()} compromisos, {pendientes} propuestas pendientes, "
        f"{connection.vendor}, mediana de {args.repeticiones} peticiones\n"
    )
    print(f"| {'página':<40} | {'mediana (ms)':>12} | {'consultas':>9} |")
    print(f"|{'-' * 42}|{'-' * 14}|{'-' * 11}|")
    for nombre, tiempo, n in (
        ("por validar (/seguimiento/por-validar/)", t_cola, consultas(lambda: cliente.get(cola))),
        ("compromisos (/convenios/compromisos/)", t_compromisos, consultas(lambda: cliente.get(compromisos))),
    ):
        print(f"| {nombre:<40} | {tiempo:>12.1f} | {n:>9} |")
    razon = t_cola / t_compromisos
    print(f"| razón por validar / compromisos | {razon:.2f} | meta ≤ 1 | {'sí' if razon <= 1 else 'NO'} |")


if __name__ == "__main__":
    main()
