"""What the in-process benchmarks share (compromisos, inicio, api, datos): Django set up as in
production (DEBUG off) for the test Client, the large data of tests/datos_masivos.py made once, a user
of a role, and medians of requests interleaved so that all cases see the same load.

Import it before anything that touches Django: ``preparar_django()`` sets the environment first.
"""

import argparse
import os
import statistics
import time


def preparar_django(**entorno: str) -> None:
    """Settings for in-process requests; ``entorno`` adds defaults of a script's own."""
    for clave, valor in {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "bench-no-es-secreta",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",  # the test Client speaks plain HTTP
        **entorno,
    }.items():
        os.environ.setdefault(clave, valor)
    import django
    from django.conf import settings

    django.setup()
    # Pages link static files by name; hashed names come only from collectstatic, which a bench does
    # not run (as under pytest).
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"


def argumentos(descripcion: str, repeticiones: int, fecha: bool = False) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=descripcion, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--compromisos", type=int, default=10_000)
    parser.add_argument("--actualizaciones", type=int, default=50_000)
    parser.add_argument("--repeticiones", type=int, default=repeticiones)
    if fecha:
        parser.add_argument("--fecha", help="AAAA-MM-DD: nuestra página a esa fecha (?fecha=)")
    return parser.parse_args()


def datos_masivos(args: argparse.Namespace) -> None:
    """The commitments and updates the benchmark measures, made the first time only."""
    from django.db import connection

    from convenios.models import Compromiso
    from tests.datos_masivos import crear_compromisos

    if connection.vendor != "postgresql":
        print("Aviso: la medición que cuenta es en PostgreSQL (DATABASE_URL=postgres://...).")
    if not Compromiso.objects.exists():
        print(f"Generando {args.compromisos} compromisos y {args.actualizaciones} actualizaciones…")
        crear_compromisos(args.compromisos, args.actualizaciones)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE")


def usuario_de(rol: str):
    """A user of the group ``rol`` («Auditor», «Capturista»), ``<rol>-bench``, made once."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    usuario, creado = get_user_model().objects.get_or_create(username=f"{rol.lower()}-bench")
    if creado:
        usuario.groups.add(Group.objects.get(name=rol))
    return usuario


def tiempo_ms(cliente, url: str, estado: int = 200, **encabezados) -> float:
    """Server time of one GET, the whole body read (a streamed file too)."""
    inicio = time.perf_counter()
    respuesta = cliente.get(url, **encabezados)
    if respuesta.streaming:
        b"".join(respuesta.streaming_content)
    transcurrido = time.perf_counter() - inicio
    assert respuesta.status_code == estado, (url, respuesta.status_code)
    return transcurrido * 1000


def medianas(casos: list, repeticiones: int, calentamiento: int = 3) -> list[float]:
    """Median of each case (a no-argument function giving ms), interleaved so all see the same load;
    the first ``calentamiento`` rounds warm caches and connections and are not counted."""
    tiempos = [[] for _ in casos]
    for i in range(repeticiones + calentamiento):
        for j, caso in enumerate(casos):
            t = caso()
            if i >= calentamiento:
                tiempos[j].append(t)
    return [statistics.median(t) for t in tiempos]


def medianas_ms(pares: list, repeticiones: int) -> list[float]:
    """Median time of each (client, url) GET, interleaved."""
    return medianas([lambda c=cliente, u=url: tiempo_ms(c, u) for cliente, url in pares], repeticiones)
