"""The cost of the record's hash chain (issue 22): recording one status update with the chain against
without it, and ``verificar_integridad`` over the whole record.

Run by hand on PostgreSQL, in a database of its own (filled the first time with 10,000 commitments and
50,000 status updates, chained as the services chain them; the same database serves the other benches):

    createdb -h 127.0.0.1 -U postgres seg_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench .venv/bin/python bench/integridad.py

Each update is recorded by ``registrar_actualizacion`` in a transaction rolled back after the clock
stops, alternately with the chain and with ``encadenar`` replaced by nothing, on random commitments, so
both see the same load and the same data. Targets: with ≤ 1.2 × without (medians); the verification of
50,000 updates < 10 s.
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.comun import argumentos, datos_masivos, medianas, preparar_django, usuario_de

preparar_django()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from convenios.models import Compromiso  # noqa: E402
from seguimiento import integridad, services  # noqa: E402
from seguimiento.models import Estatus  # noqa: E402


def main() -> None:
    args = argumentos(__doc__, repeticiones=200)
    datos_masivos(args)
    usuario = usuario_de("Capturista")
    estatus = Estatus.objects.get(slug="en-proceso")
    ids = list(Compromiso.objects.values_list("pk", flat=True))
    rng = random.Random(0)
    encadenar = services.encadenar

    def registrar(con_cadena: bool) -> tuple[float, int]:
        compromiso = Compromiso.objects.get(pk=rng.choice(ids))
        services.encadenar = encadenar if con_cadena else (lambda instancia: None)
        try:
            with CaptureQueriesContext(connection) as consultas:
                inicio = time.perf_counter()
                with transaction.atomic():
                    services.registrar_actualizacion(
                        compromiso,
                        estatus=estatus,
                        fecha_efectiva=timezone.localdate(),
                        nota="Bench.",
                        usuario=usuario,
                    )
                    transcurrido = time.perf_counter() - inicio
                    transaction.set_rollback(True)
        finally:
            services.encadenar = encadenar
        return transcurrido * 1000, len(consultas)

    consultas = {True: registrar(True)[1], False: registrar(False)[1]}
    con, sin = medianas([lambda: registrar(True)[0], lambda: registrar(False)[0]], args.repeticiones)

    verificaciones = []
    for _ in range(3):
        inicio = time.perf_counter()
        resultado = integridad.verificar()
        verificaciones.append(time.perf_counter() - inicio)
    assert resultado.integra, resultado.falla

    print(f"\nMotor: {connection.vendor}; {resultado.eslabones:,} eslabones en la cadena.\n")
    print("| medición | mediana | consultas |")
    print("|---|---|---|")
    print(f"| registrar una actualización, sin cadena | {sin:.2f} ms | {consultas[False]} |")
    print(f"| registrar una actualización, con cadena | {con:.2f} ms | {consultas[True]} |")
    print(f"| razón con / sin (meta ≤ 1.2) | {con / sin:.2f} × | |")
    print(f"| verificar_integridad, toda la cadena (meta < 10 s) | {sorted(verificaciones)[1]:.2f} s | |")


if __name__ == "__main__":
    main()
