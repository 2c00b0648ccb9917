"""Median server time of the API's commitment list against the HTML commitments page, same filter.

Run by hand on PostgreSQL, in a database of its own (it fills it with 10,000 commitments and 50,000
status updates the first time):

    createdb -h 127.0.0.1 -U postgres seg_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench .venv/bin/python bench/api.py

Both answer the first page (50 commitments) through the same CompromisoFilterSet; the API with a token
(``Authorization: Token …``), the page with a session, requested alternately in-process with Django's
test Client so both see the same machine load. Target: API ≤ 1.0 × the page.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.comun import argumentos, datos_masivos, medianas_ms, preparar_django, usuario_de

# The benchmark makes thousands of requests with one token; the limit is not what is measured.
preparar_django(API_LIMITE="1000000/min")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from api.models import ClaveDeAPI  # noqa: E402
from convenios.models import Actualizacion, Compromiso  # noqa: E402


def main():
    args = argumentos(__doc__, repeticiones=30)
    datos_masivos(args)
    auditor = usuario_de("Auditor")
    _fila, clave = ClaveDeAPI.objects.emitir(auditor)
    api, pagina = Client(HTTP_AUTHORIZATION=f"Token {clave}"), Client()
    pagina.force_login(auditor)

    lista_api, lista_html = reverse("api:compromiso-list"), reverse("convenios:compromisos")
    casos = [
        ("estatus incumplido", "?estatus=incumplido"),
        ("sin actualizar 365 días", "?sin_actualizar=365"),
        ("texto común «portal»", "?q=portal"),
        ("sin filtro", ""),
    ]
    n = Compromiso.objects.count()
    print(
        f"\n{n} compromisos, {Actualizacion.objects.count()} actualizaciones, {connection.vendor}, "
        f"primera página (50), mediana de {args.repeticiones} peticiones\n"
    )
    print(f"| {'caso':<24} | {'API (ms)':>8} | {'página (ms)':>11} | {'razón':>6} | meta ≤1.0× |")
    print(f"|{'-' * 26}|{'-' * 10}|{'-' * 13}|{'-' * 8}|{'-' * 12}|")
    for nombre, consulta in casos:
        t_api, t_html = medianas_ms(
            [(api, lista_api + consulta), (pagina, lista_html + consulta)], args.repeticiones
        )
        razon = t_api / t_html
        cumple = "sí" if razon <= 1 else "NO"
        print(f"| {nombre:<24} | {t_api:>8.1f} | {t_html:>11.1f} | {razon:>6.2f} | {cumple:<10} |")


if __name__ == "__main__":
    main()
