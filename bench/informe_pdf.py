"""Time the convenio report PDF against WeasyPrint's floor for the same rows.

Run by hand on PostgreSQL (never in CI); everything it creates is rolled back:

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench \
        .venv/bin/python bench/informe_pdf.py [--repeticiones 5]

For the seed convenio and generated convenios of 50, 200 and 1,000 commitments it prints the
median time of: the whole PDF download (a POST to ``reportes:informe_pdf``, the current report,
by a new person each time, so it is drawn), the same download with ``fecha`` (the status as of a
past date), the same person asking again for the same content (the folio and file already issued),
and WeasyPrint rendering a bare HTML table of the same rows (the floor: no template, no stylesheet,
no tags). Targets: seed < 0.5 s; ours <= 1.3 x floor; fecha <= 1.1 x current; again << current.
"""

import argparse
import datetime
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.html import escape  # noqa: E402
from weasyprint import HTML  # noqa: E402

from convenios.models import Actualizacion, Compromiso, Convenio  # noqa: E402
from seguimiento.models import Estatus  # noqa: E402

TAMANOS = [50, 200, 1000]
PASADA = datetime.date(2022, 1, 1)


class Deshacer(Exception):
    pass


def generar(n: int) -> Convenio:
    """A convenio with ``n`` commitments, each with one update in 2020 and one in 2024."""
    convenio = Convenio.objects.create(
        nombre=f"Convenio generado de {n} compromisos",
        slug=f"convenio-generado-{n}",
        fecha_inicio=datetime.date(2019, 1, 1),
        objeto="Objeto del convenio generado para medir tiempos.",
    )
    texto = "Realizar las acciones necesarias para cumplir el compromiso número {} con oportunidad y calidad."
    compromisos = Compromiso.objects.bulk_create(
        Compromiso(convenio=convenio, numero=i, texto=texto.format(i)) for i in range(1, n + 1)
    )
    estatus = list(Estatus.objects.all())
    hace_poco = timezone.now() - datetime.timedelta(days=1)
    Actualizacion.objects.bulk_create(
        Actualizacion(
            compromiso=c,
            estatus=estatus[(c.numero + k) % len(estatus)],
            fecha_efectiva=f,
            nota="x",
            registrado_en=hace_poco,
        )
        for c in compromisos
        for k, f in enumerate([datetime.date(2020, 6, 1), datetime.date(2024, 6, 1)])
    )
    return convenio


def piso(convenio: Convenio) -> str:
    """A bare HTML table of the report's rows: what WeasyPrint costs at the very least."""
    filas = Compromiso.objects.de_convenio(convenio).con_estatus_actual().order_by("numero")
    cuerpo = "".join(
        f"<tr><td>{escape(c.texto)}</td><td>{escape(c.estatus_actual or '')}</td></tr>" for c in filas
    )
    return f"<!doctype html><html lang=es><meta charset=utf-8><table>{cuerpo}</table></html>"


def mediana(funcion, repeticiones: int) -> float:
    tiempos = []
    for _ in range(repeticiones):
        inicio = time.perf_counter()
        funcion()
        tiempos.append(time.perf_counter() - inicio)
    return statistics.median(tiempos)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeticiones", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    filas = []
    try:
        with transaction.atomic():
            call_command("cargar_semilla", stdout=open(os.devnull, "w"))  # noqa: SIM115
            settings.EMITIR_LIMITE = "1000000/hour"
            gerentes = Group.objects.get(name="Gerente")
            numeros = itertools.count()

            def conectado() -> Client:
                """A person logged in before timing (no password: nothing hashed)."""
                usuario = get_user_model().objects.create(username=f"bench-informe-{next(numeros)}")
                usuario.groups.add(gerentes)
                cliente = Client(HTTP_HOST="localhost")
                cliente.force_login(usuario)
                return cliente

            convenios = [Convenio.objects.get(slug="convenio-de-colaboracion-www-datos-gob-mx")]
            convenios += [generar(n) for n in TAMANOS]
            for convenio in convenios:
                url = reverse("reportes:informe_pdf", args=[convenio.slug])
                personas = [conectado() for _ in range(1 + 2 * args.repeticiones)]

                def descargar(parametros, url=url, personas=personas, otra_vez=False):
                    """A new person each time (the PDF is drawn); ``otra_vez``: the last one again."""
                    cliente = personas[-1] if otra_vez else personas.pop(0)
                    if not otra_vez:
                        personas.append(cliente)
                    respuesta = cliente.post(url, parametros, secure=True)  # no redirect to https
                    assert respuesta.status_code == 200, respuesta.status_code

                html = piso(convenio)

                def dibujar_piso(html=html):
                    HTML(string=html).write_pdf()

                descargar({})  # warm caches (fonts, templates) before timing
                nuestro = mediana(lambda: descargar({}), args.repeticiones)
                fechado = mediana(lambda: descargar({"fecha": PASADA.isoformat()}), args.repeticiones)
                otra_vez = mediana(
                    lambda: descargar({"fecha": PASADA.isoformat()}, otra_vez=True), args.repeticiones
                )
                base = mediana(dibujar_piso, args.repeticiones)
                filas.append((convenio.compromisos.count(), nuestro, base, fechado, otra_vez))
            raise Deshacer
    except Deshacer:
        pass

    print(
        f"{'compromisos':>11} | {'PDF actual':>10} | {'piso':>7} | {'actual/piso':>11} | "
        f"{'PDF fecha':>10} | {'fecha/actual':>12} | {'otra vez':>8}"
    )
    print("-" * 89)
    for n, nuestro, base, fechado, otra_vez in filas:
        print(
            f"{n:>11} | {nuestro:>9.3f}s | {base:>6.3f}s | {nuestro / base:>10.2f}x | "
            f"{fechado:>9.3f}s | {fechado / nuestro:>11.2f}x | {otra_vez:>7.3f}s"
        )
    print(
        f"\nMediana de {args.repeticiones} repeticiones. Metas: semilla < 0.5 s; actual/piso <= 1.3; "
        "fecha/actual <= 1.1; «otra vez» (mismo contenido, misma persona: el folio ya emitido) muy por "
        "debajo."
    )


if __name__ == "__main__":
    main()
