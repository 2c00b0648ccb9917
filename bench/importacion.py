"""Import speed: the one import path (natural keys loaded once, rows written in bulk), in rows per second.

Run by hand on PostgreSQL (it creates and migrates its own database):

    .venv/bin/python bench/importacion.py [--bd seg_bench_importacion]

Scenarios: 1,000 and 10,000 commitments (with 1 convenio per 10 commitments and 2 parties each)
and 50,000 status updates (5 per commitment), from XLSX and CSV, dry run and real. A "real" run
writes everything inside a transaction that is rolled back after the clock stops, so each run
starts from the same state. Times include reading the file.
"""

import argparse
import os
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))


def preparar(bd: str) -> None:
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{bd}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conexion:
        conexion.execute(f'DROP DATABASE IF EXISTS "{bd}"')
        conexion.execute(f'CREATE DATABASE "{bd}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def hojas_compromisos(n: int) -> dict:
    convenios = []
    for c in range(n // 10):
        slug = f"convenio-{c:05d}"
        convenios.append(
            {
                "tipo": "convenio",
                "convenio": slug,
                "nombre": f"Convenio {c}",
                "fecha_inicio": "2019-01-01",
                "objeto": f"Objeto del convenio {c}.",
            }
        )
        for p, dependencia in enumerate((f"Secretaría {c % 50}", "Gobierno del Estado"), start=1):
            convenios.append(
                {
                    "tipo": "parte",
                    "convenio": slug,
                    "dependencia": dependencia,
                    "etiqueta": f"P{p}",
                    "orden": p,
                }
            )
        for k in range(1, 11):
            convenios.append(
                {
                    "tipo": "compromiso",
                    "convenio": slug,
                    "numero": k,
                    "responsable": "P1" if k % 2 else "",
                    "texto": f"Compromiso {k} del convenio {c}: publicar y actualizar los datos acordados.",
                }
            )
    return {"convenios": convenios, "actualizaciones": []}


def hojas_actualizaciones(n: int) -> dict:
    estatus = ["pendiente", "en-proceso", "en-cumplimiento", "cumplido", "incumplido"]
    filas = []
    for i in range(n):
        compromiso, vuelta = divmod(i, 5)
        filas.append(
            {
                "convenio": f"convenio-{compromiso // 10:05d}",
                "numero": compromiso % 10 + 1,
                "estatus": estatus[vuelta],
                "fecha_efectiva": f"202{vuelta}-0{1 + compromiso % 9}-15",
                "nota": f"Revisión {vuelta + 1}.",
            }
        )
    return {"convenios": [], "actualizaciones": filas}


def archivo(hojas: dict, formato: str) -> tuple[bytes, str]:
    from convenios import importacion

    if formato == "xlsx":
        return importacion.como_xlsx(hojas), "a.xlsx"
    hoja = "convenios" if hojas["convenios"] else "actualizaciones"
    columnas = importacion.COLUMNAS_CONVENIOS if hoja == "convenios" else importacion.COLUMNAS_ACTUALIZACIONES
    return importacion.como_csv(hojas[hoja], columnas), "a.csv"


def medir(datos: bytes, nombre: str, *, usuario, dry_run: bool) -> float:
    from django.db import transaction

    from convenios import importacion

    inicio = time.perf_counter()
    with transaction.atomic():
        informe = importacion.importar(importacion.leer(datos, nombre), usuario=usuario, dry_run=dry_run)
        segundos = time.perf_counter() - inicio
        transaction.set_rollback(True)
    if informe.errores:
        raise SystemExit(f"Errores inesperados: {informe.errores[:3]}")
    return segundos


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bd", default="seg_bench_importacion")
    argumentos = parser.parse_args()
    preparar(argumentos.bd)
    from django.contrib.auth import get_user_model

    from convenios import importacion

    usuario, _ = get_user_model().objects.get_or_create(username="bench-importacion")

    escenarios = [
        ("1,000 compromisos", hojas_compromisos(1_000)),
        ("10,000 compromisos", hojas_compromisos(10_000)),
        ("50,000 actualizaciones", hojas_actualizaciones(50_000)),
    ]
    encabezado = (
        f"| {'escenario':<24} | {'formato':<7} | {'modo':<8} | {'filas':>6} "
        f"| {'segundos':>8} | {'filas/s':>8} |"
    )
    print(encabezado)
    print("|" + "|".join("-" * (len(c)) for c in encabezado.split("|")[1:-1]) + "|")
    for nombre, hojas in escenarios:
        if nombre.startswith("50,000"):
            # The updates need the 10,000 commitments in place: write them for real once.
            compromisos = importacion.leer(*archivo(hojas_compromisos(10_000), "csv"))
            importacion.importar(compromisos, usuario=usuario)
        filas = len(hojas["convenios"]) + len(hojas["actualizaciones"])
        for formato in ("xlsx", "csv"):
            datos, archivo_nombre = archivo(hojas, formato)
            for dry_run in (True, False):
                segundos = medir(datos, archivo_nombre, usuario=usuario, dry_run=dry_run)
                linea = (
                    f"| {nombre:<24} | {formato.upper():<7} | {'prueba' if dry_run else 'real':<8} "
                    f"| {filas:>6} | {segundos:>8.2f} | {filas / segundos:>8,.0f} |"
                )
                print(linea, flush=True)


if __name__ == "__main__":
    main()
