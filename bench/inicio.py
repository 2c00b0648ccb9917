"""Median server time of the home page («Pendientes», ``/``) against the commitments page's.

Run by hand on PostgreSQL, in a database of its own (it fills it with 10,000 commitments and 50,000
status updates the first time; the same database serves bench/compromisos.py):

    createdb -h 127.0.0.1 -U postgres seg_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench .venv/bin/python bench/inicio.py

Times are measured in-process with Django's test Client (request → response, no network); both
pages are requested alternately by the same Capturista (who reads commitments and duties), so both
see the same load on a shared machine. Also prints each page's number of queries, and the trend's.

The home page keeps no cache (``tablero.pendientes``): every request reads the items' copies in one
grouped query and the trend's history once; the third row is the page right after a status update
has been recorded (the update is not timed), which should cost the same. Targets: < 80 ms and
≤ 2 × the commitments page.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.comun import argumentos, datos_masivos, medianas, preparar_django, tiempo_ms, usuario_de

preparar_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from convenios.models import Actualizacion, Compromiso  # noqa: E402
from reportes.graficas import cierres_de_mes  # noqa: E402
from seguimiento.services import registrar_actualizacion  # noqa: E402


def consultas(accion) -> int:
    with CaptureQueriesContext(connection) as capturadas:
        accion()
    return len(capturadas.captured_queries)


def main():
    args = argumentos(__doc__, repeticiones=30)
    datos_masivos(args)
    capturista = usuario_de("Capturista")
    cliente = Client()
    cliente.force_login(capturista)

    inicio, compromisos = reverse("inicio"), reverse("convenios:compromisos")
    elementos = list(
        Compromiso.objects.select_related("estatus_vigente").exclude(estatus_vigente=None)[
            : args.repeticiones + 10
        ]
    )

    def actualizar_uno() -> None:
        elemento = elementos.pop()
        registrar_actualizacion(
            elemento,
            estatus=elemento.estatus_vigente,
            fecha_efectiva=timezone.localdate(),
            nota="bench",
            usuario=capturista,
        )

    def tras_una_actualizacion() -> float:
        actualizar_uno()
        return tiempo_ms(cliente, inicio)

    t_inicio, t_compromisos, t_tras = medianas(
        [lambda: tiempo_ms(cliente, inicio), lambda: tiempo_ms(cliente, compromisos), tras_una_actualizacion],
        args.repeticiones,
    )
    fechas = cierres_de_mes(timezone.localdate())
    n_tendencia = consultas(lambda: Compromiso.objects.favorables_al_cierre(fechas))
    print(
        f"\n{Compromiso.objects.count()} compromisos, {Actualizacion.objects.count()} actualizaciones, "
        f"{connection.vendor}, mediana de {args.repeticiones} peticiones\n"
    )
    print(f"| {'página':<37} | {'mediana (ms)':>12} | {'consultas':>9} |")
    print(f"|{'-' * 39}|{'-' * 14}|{'-' * 11}|")
    actualizar_uno()
    n_tras = consultas(lambda: cliente.get(inicio))
    for nombre, tiempo, n in (
        ("inicio («Pendientes», /)", t_inicio, consultas(lambda: cliente.get(inicio))),
        ("compromisos (/convenios/compromisos/)", t_compromisos, consultas(lambda: cliente.get(compromisos))),
        ("inicio tras una actualización", t_tras, n_tras),
    ):
        print(f"| {nombre:<37} | {tiempo:>12.1f} | {n:>9} |")
    for nombre, razon in (
        ("inicio / compromisos", t_inicio / t_compromisos),
        ("tras una actualización", t_tras / t_compromisos),
    ):
        print(f"| razón {nombre:<24} | {razon:.2f} | meta ≤ 2× | {'sí' if razon <= 2 else 'NO'} |")
    print(f"| inicio < 80 ms | {t_inicio:.1f} | {'sí' if t_inicio < 80 else 'NO'} |")
    cumple = "sí" if n_tendencia <= 2 else "NO"
    print(f"| consultas de la tendencia de 24 meses | {n_tendencia} | meta ≤ 2 | {cumple} |")


if __name__ == "__main__":
    main()
