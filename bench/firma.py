"""Time signing the seed report with e.firma against issuing it (issue 23: signing adds <= 0.3 s).

Run by hand (never in CI); everything it creates is rolled back, files go to a temporary folder:

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench \
        .venv/bin/python bench/firma.py [--repeticiones 9]

Each repetition issues the seed report (``emitir_informe``: draw, hash, keep the file) and then signs
it (``firmar_informe``: read and check the kept file, load and check the e.firma and its chain,
PAdES signature with its visible block, keep the signed file), interleaved, with a SAT-like e.firma
and test root made by tests/efirma.py. It prints the median of each and the time signing adds.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from comun import preparar_django

preparar_django()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from reportes.models import InformeEmitido  # noqa: E402
from reportes.services import emitir_informe, firmar_informe  # noqa: E402
from tests.efirma import CONTRASENA, efirma  # noqa: E402
from tests.factories import UsuarioFactory  # noqa: E402


class Deshacer(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeticiones", type=int, default=9)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    fiel = efirma()
    emitir_t, firmar_t = [], []
    with tempfile.TemporaryDirectory() as carpeta:
        (Path(carpeta) / "raices").mkdir()
        (Path(carpeta) / "raices" / "ac-pruebas.cer").write_bytes(fiel.raiz)
        settings.FIRMA_RAICES = str(Path(carpeta) / "raices")
        settings.MEDIA_ROOT = Path(carpeta) / "privado"
        try:
            with transaction.atomic():
                call_command("cargar_semilla", stdout=open(os.devnull, "w"))  # noqa: SIM115
                from convenios.models import Convenio

                semilla = Convenio.objects.order_by("pk").first()
                gerente = UsuarioFactory(username="bench-firma", rol="Gerente")
                fecha = timezone.localdate()
                for vuelta in range(args.repeticiones + 1):  # the first warms fonts and templates
                    inicio = time.perf_counter()
                    informe, _pdf = emitir_informe(InformeEmitido.Tipo.CONVENIO, semilla, fecha, gerente)
                    medio = time.perf_counter()
                    firmar_informe(informe, gerente, fiel.cer, fiel.key, CONTRASENA)
                    fin = time.perf_counter()
                    if vuelta:
                        emitir_t.append(medio - inicio)
                        firmar_t.append(fin - medio)
                raise Deshacer
        except Deshacer:
            pass
    emitir_m, firmar_m = statistics.median(emitir_t), statistics.median(firmar_t)
    print(f"{'informe de la semilla':<28} | {'mediana':>8}")
    print("-" * 40)
    print(f"{'emitir (dibujar y guardar)':<28} | {emitir_m:>7.3f}s")
    print(f"{'firmar (e.firma, PAdES)':<28} | {firmar_m:>7.3f}s")
    print(f"{'emitir y firmar':<28} | {emitir_m + firmar_m:>7.3f}s")
    print(
        f"\nMediana de {args.repeticiones} repeticiones intercaladas. Meta: firmar agrega <= 0.3 s "
        f"({'cumple' if firmar_m <= 0.3 else 'NO cumple'})."
    )


if __name__ == "__main__":
    main()
