"""Open data (/datos/): the commitments file cold, a 304, and whether a conditional GET builds anything.

Run by hand on PostgreSQL, in a database of its own (it fills it with 10,000 commitments and 50,000
status updates the first time, with tests/datos_masivos.py):

    createdb -h 127.0.0.1 -U postgres seg_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench .venv/bin/python bench/datos.py

Times are server times measured in-process with Django's test Client (request → response, no
network). Baselines measured in the same run, alternating with ours: for the files, the staff
export of the same commitments (`convenios:compromisos?formato=csv`); for the 304, `/salud/` (one
`SELECT 1`, the least a request that asks the database can cost). Every download builds its file
(there is no cache of built files: "en frío" is every request).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import comun

comun.preparar_django(LOG_LEVEL="ERROR")

import logging  # noqa: E402

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from convenios.models import Actualizacion, Compromiso  # noqa: E402
from datos import archivos  # noqa: E402

logging.getLogger("seguimiento.peticiones").setLevel(logging.ERROR)


def tiempo_ms(cliente: Client, url: str, estado: int = 200, frio: bool = False, **encabezados) -> float:
    """One GET (``frio``: kept for the table's names; every file is built on each download)."""
    return comun.tiempo_ms(cliente, url, estado, **encabezados)


def medianas(casos: list, repeticiones: int) -> list[float]:
    return comun.medianas(casos, repeticiones, calentamiento=2)


def fila(nombre: str, nuestra: float, base: float, nombre_base: str, meta: str, cumple: bool) -> None:
    print(
        f"| {nombre:<34} | {nuestra:>9.1f} | {nombre_base:<30} | {base:>9.1f} | {nuestra / base:>6.2f} "
        f"| {meta:<9} | {'sí' if cumple else 'NO':<6} |"
    )


def main():
    args = comun.argumentos(__doc__, repeticiones=10)
    comun.datos_masivos(args)
    auditor = comun.usuario_de("Auditor")
    anonimo, personal = Client(), Client()
    personal.force_login(auditor)

    csv = reverse("datos:archivo", args=["compromisos", "csv"])
    historial = reverse("datos:archivo", args=["historial-compromisos", "csv"])
    exportacion = reverse("convenios:compromisos") + "?formato=csv"
    salud = reverse("salud")
    portal = reverse("datos:portal")
    etag = anonimo.get(csv)["ETag"]
    ultima = anonimo.get(csv)["Last-Modified"]

    n = Compromiso.objects.count()
    print(
        f"\n{n} compromisos, {Actualizacion.objects.count()} actualizaciones, {connection.vendor}, "
        f"mediana de {args.repeticiones} peticiones (ms)\n"
    )
    print(
        f"| {'caso':<34} | {'nuestra':>9} | {'línea base':<30} | {'base':>9} | {'razón':>6} "
        f"| {'meta':<9} | cumple |"
    )
    print(f"|{'-' * 36}|{'-' * 11}|{'-' * 32}|{'-' * 11}|{'-' * 8}|{'-' * 11}|{'-' * 8}|")

    frio, base = medianas(
        [lambda: tiempo_ms(anonimo, csv, frio=True), lambda: tiempo_ms(personal, exportacion)],
        args.repeticiones,
    )
    fila("compromisos.csv en frío", frio, base, "exportación CSV del personal", "< 1000", frio < 1000)
    caliente, base = medianas(
        [lambda: tiempo_ms(anonimo, csv), lambda: tiempo_ms(personal, exportacion)], args.repeticiones
    )
    fila("compromisos.csv ya construido", caliente, base, "exportación CSV del personal", "—", True)
    con_etag, con_fecha, base = medianas(
        [
            lambda: tiempo_ms(anonimo, csv, 304, HTTP_IF_NONE_MATCH=etag),
            lambda: tiempo_ms(anonimo, csv, 304, HTTP_IF_MODIFIED_SINCE=ultima),
            lambda: tiempo_ms(anonimo, salud),
        ],
        args.repeticiones * 5,
    )
    fila("304 (If-None-Match)", con_etag, base, "/salud/ (SELECT 1)", "< 10", con_etag < 10)
    fila("304 (If-Modified-Since)", con_fecha, base, "/salud/ (SELECT 1)", "< 10", con_fecha < 10)
    frio_h, base = medianas(
        [lambda: tiempo_ms(anonimo, historial, frio=True), lambda: tiempo_ms(personal, exportacion)],
        max(3, args.repeticiones // 2),
    )
    fila("historial-compromisos.csv en frío", frio_h, base, "exportación CSV del personal", "—", True)
    t_portal, base = medianas(
        [lambda: tiempo_ms(anonimo, portal), lambda: tiempo_ms(anonimo, salud)], args.repeticiones
    )
    fila("portal /datos/", t_portal, base, "/salud/ (SELECT 1)", "—", True)

    # A conditional GET is answered without building the file: count builds and queries.
    construidos = []
    original = archivos.construir

    def contar(*a, **k):
        construidos.append(a[0].nombre)
        return original(*a, **k)

    archivos.construir = contar
    with CaptureQueriesContext(connection) as consultas:
        respuesta = anonimo.get(csv, HTTP_IF_NONE_MATCH=etag)
    archivos.construir = original
    sin_construir = respuesta.status_code == 304 and not construidos
    print(
        f"\nGET condicional: {respuesta.status_code}, {len(consultas)} consulta(s), "
        f"archivos construidos: {len(construidos)} → {'sin construir el archivo' if sin_construir else 'NO'}"
    )
    tamano = len(anonimo.get(csv).content)
    print(f"compromisos.csv: {tamano:,} bytes")


if __name__ == "__main__":
    main()
