"""Median server time of the commitments page against the admin changelist, and of the CSV export.

Run by hand on PostgreSQL, in a database of its own (it fills it with 10,000 commitments and 50,000
status updates the first time):

    createdb -h 127.0.0.1 -U postgres seg_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seg_bench .venv/bin/python bench/compromisos.py

With ``--fecha AAAA-MM-DD`` every case gets a second row, our page as of that date (``?fecha=``),
measured in the same run (interleaved with the current page and the admin's), and the exports are
asked as of that date too; the admin has no such list, so both rows compare with its current one.

Times are measured in-process with Django's test Client (request → response, no network); our page
and the admin's are requested alternately, so both see the same load on a shared machine.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.comun import argumentos, datos_masivos, medianas_ms, preparar_django, usuario_de

preparar_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from convenios.models import Actualizacion, Compromiso  # noqa: E402
from seguimiento.models import Estatus  # noqa: E402


def main():
    args = argumentos(__doc__, repeticiones=30, fecha=True)
    datos_masivos(args)
    auditor = usuario_de("Auditor")
    admin, _ = get_user_model().objects.get_or_create(
        username="admin-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    nuestro, del_admin = Client(), Client()
    nuestro.force_login(auditor)
    del_admin.force_login(admin)

    incumplido = Estatus.objects.get(slug="incumplido")
    pagina = reverse("convenios:compromisos")
    changelist = reverse("admin:convenios_compromiso_changelist")
    # The admin cannot filter "not updated in N days"; the nearest an auditor can do there is to sort
    # by effective date, oldest first (column 6, "fecha efectiva").
    casos = [
        ("sin filtro", "", ""),
        (
            "estatus incumplido",
            "?estatus=incumplido",
            f"?estatus_vigente__id__exact={incumplido.pk}",
        ),
        ("sin actualizar 365 días", "?sin_actualizar=365", "?o=6"),
        ("texto preciso", "?q=Compromiso+1234%3A", "?q=Compromiso+1234%3A"),
        ("texto común «portal»", "?q=portal", "?q=portal"),
        ("historial «portal»", "?q_historial=portal", "?q=portal"),
    ]
    al = f"&fecha={args.fecha}" if args.fecha else ""
    n = Compromiso.objects.count()
    print(
        f"\n{n} compromisos, {Actualizacion.objects.count()} actualizaciones, {connection.vendor}, "
        f"mediana de {args.repeticiones} peticiones"
        f"{f'; «al …» = nuestra página al {args.fecha}' if al else ''}\n"
    )
    print(
        f"| {'caso':<30} | {'nuestra (ms)':>12} | {'admin (ms)':>10} | {'razón':>6} | meta ≤0.5× y <80 ms |"
    )
    print(f"|{'-' * 32}|{'-' * 14}|{'-' * 12}|{'-' * 8}|{'-' * 21}|")
    for nombre, nuestra, de_admin in casos:
        filas = [(nombre, pagina + nuestra)]
        if al:
            con_fecha = f"{nuestra}&{al[1:]}" if nuestra else f"?{al[1:]}"
            filas.append((f"{nombre} al {args.fecha}", pagina + con_fecha))
        tiempos = medianas_ms(
            [(nuestro, url) for _, url in filas] + [(del_admin, changelist + de_admin)], args.repeticiones
        )
        t_admin = tiempos[-1]
        for (caso, _), t_nuestra in zip(filas, tiempos, strict=False):
            razon = t_nuestra / t_admin
            cumple = "sí" if razon <= 0.5 and t_nuestra < 80 else "NO"
            print(f"| {caso:<30} | {t_nuestra:>12.1f} | {t_admin:>10.1f} | {razon:>6.2f} | {cumple:<19} |")
    (t_csv,) = medianas_ms([(nuestro, pagina + "?formato=csv" + al)], max(3, args.repeticiones // 6))
    cumple = "sí" if t_csv < 2000 else "NO"
    print(f"\n| exportación CSV de {n} filas | {t_csv:.0f} ms | meta < 2000 ms | {cumple} |")
    (t_xlsx,) = medianas_ms([(nuestro, pagina + "?formato=xlsx" + al)], 3)
    print(f"| exportación XLSX de {n} filas | {t_xlsx:.0f} ms | (sin meta) | |")


if __name__ == "__main__":
    main()
