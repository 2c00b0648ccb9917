"""Median server time of the home page («Pendientes», ``/``) against the commitments page's.

Run by hand on PostgreSQL, in a database of its own (it fills it with 10,000 commitments and 50,000
status updates the first time; the same database serves bench/compromisos.py):

    createdb -h 127.0.0.1 -U postgres seg_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench .venv/bin/python bench/inicio.py

Times are measured in-process with Django's test Client (request → response, no network); both
pages are requested alternately by the same Capturista (who reads commitments and duties), so both
see the same load on a shared machine. Also prints each page's number of queries, and the trend's.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.comun import argumentos, datos_masivos, medianas_ms, preparar_django, usuario_de

preparar_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from convenios.models import Actualizacion, Compromiso  # noqa: E402
from tablero.graficas import cierres_de_mes  # noqa: E402


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
    t_inicio, t_compromisos = medianas_ms([(cliente, inicio), (cliente, compromisos)], args.repeticiones)
    fechas = cierres_de_mes(timezone.localdate())
    n_tendencia = consultas(lambda: Compromiso.objects.favorables_al_cierre(fechas))
    print(
        f"\n{Compromiso.objects.count()} compromisos, {Actualizacion.objects.count()} actualizaciones, "
        f"{connection.vendor}, mediana de {args.repeticiones} peticiones\n"
    )
    print(f"| {'página':<34} | {'mediana (ms)':>12} | {'consultas':>9} |")
    print(f"|{'-' * 36}|{'-' * 14}|{'-' * 11}|")
    for nombre, url, tiempo in (
        ("inicio («Pendientes», /)", inicio, t_inicio),
        ("compromisos (/convenios/compromisos/)", compromisos, t_compromisos),
    ):
        print(f"| {nombre:<34} | {tiempo:>12.1f} | {consultas(lambda u=url: cliente.get(u)):>9} |")
    razon = t_inicio / t_compromisos
    print(f"\n| razón inicio / compromisos | {razon:.2f} | meta ≤ 1.5× | {'sí' if razon <= 1.5 else 'NO'} |")
    cumple = "sí" if n_tendencia <= 2 else "NO"
    print(f"| consultas de la tendencia de 24 meses | {n_tendencia} | meta ≤ 2 | {cumple} |")


if __name__ == "__main__":
    main()
