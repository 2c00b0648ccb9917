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

import argparse
import os
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-no-es-secreta")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# In-process plain HTTP: no redirect to HTTPS (DEBUG stays off, as in production).
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# The benchmark makes thousands of requests with one token; the limit is not what is measured.
os.environ.setdefault("API_LIMITE", "1000000/min")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# The page's {% static %} links need collectstatic's manifest under DEBUG off; plain names suffice here.
settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from bench.compromisos import medianas_ms  # noqa: E402
from convenios.models import Actualizacion, Compromiso  # noqa: E402
from tests.datos_masivos import crear_compromisos  # noqa: E402


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--compromisos", type=int, default=10_000)
    parser.add_argument("--actualizaciones", type=int, default=50_000)
    parser.add_argument("--repeticiones", type=int, default=30)
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        print("Aviso: la medición que cuenta es en PostgreSQL (DATABASE_URL=postgres://...).")
    if not Compromiso.objects.exists():
        print(f"Generando {args.compromisos} compromisos y {args.actualizaciones} actualizaciones…")
        crear_compromisos(args.compromisos, args.actualizaciones)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE")
    auditor, creado = get_user_model().objects.get_or_create(username="auditor-bench")
    if creado:
        auditor.groups.add(Group.objects.get(name="Auditor"))
    token, _ = Token.objects.get_or_create(user=auditor)
    api, pagina = Client(HTTP_AUTHORIZATION=f"Token {token.key}"), Client()
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
