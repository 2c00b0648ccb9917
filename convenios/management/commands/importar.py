from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from convenios.importacion import ArchivoInvalido, importar, leer_ruta


class Barra:
    """A progress bar on the terminal, drawn only for large files and at most every 1 %."""

    def __init__(self, salida, total: int):
        self.salida, self.total, self.hechas, self.dibujado = salida, total, 0, -1

    def __call__(self, filas: int) -> None:
        self.hechas += filas
        porcentaje = min(100, self.hechas * 100 // self.total)
        if porcentaje != self.dibujado:
            self.dibujado = porcentaje
            llenas = porcentaje // 4
            self.salida.write(f"\r[{'#' * llenas}{'.' * (25 - llenas)}] {porcentaje:3d} %", ending="")
            self.salida.flush()


class Command(BaseCommand):
    help = (
        "Importa un archivo con el formato de la plantilla (.xlsx, .ods, .xls, .csv, .json o una carpeta con "
        "convenios.csv y actualizaciones.csv). Todo o nada: si una fila se rechaza, no se escribe nada "
        "y el comando termina con error."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivo")
        parser.add_argument("--dry-run", action="store_true", help="revisa el archivo sin escribir nada")
        parser.add_argument(
            "--usuario",
            help="obligatorio: nombre de usuario de quien importa; las actualizaciones de estatus quedan "
            "registradas a su nombre y con la hora de la importación",
        )

    def handle(self, *args, archivo, dry_run, usuario, **options):
        if not usuario:
            raise CommandError(
                "Indique quién importa con --usuario NOMBRE: las actualizaciones de estatus quedan "
                "registradas a su nombre y con la hora de la importación."
            )
        modelo = get_user_model()
        quien = modelo.objects.filter(**{modelo.USERNAME_FIELD: usuario}).first()
        if quien is None:
            raise CommandError(f"No existe el usuario «{usuario}».")
        ruta = Path(archivo)
        if not ruta.exists():
            raise CommandError(f"No existe {ruta}.")
        try:
            libro = leer_ruta(ruta)
        except ArchivoInvalido as e:
            raise CommandError(str(e)) from e
        total = len(libro.convenios) + len(libro.actualizaciones)
        barra = Barra(self.stdout, total) if total >= 1000 else None
        informe = importar(libro, usuario=quien, dry_run=dry_run, progreso=barra)
        if barra:
            self.stdout.write("")
        for error in informe.errores:
            fila = f"fila {error.fila}" if error.fila else "archivo"
            columna = f", columna «{error.columna}»" if error.columna else ""
            self.stderr.write(f"{error.hoja}, {fila}{columna}: {error.mensaje}")
        if informe.escrito:
            resumen = (
                f"Creados: {informe.creados}. Actualizados: {informe.actualizados}. "
                f"Sin cambios: {informe.sin_cambios}. Errores: {len(informe.errores)}."
            )
        else:  # a dry run, or a rejected file: nothing was created
            resumen = (
                f"Se crearían: {informe.creados}. Se cambiarían: {informe.actualizados}. "
                f"Sin cambios: {informe.sin_cambios}. Errores: {len(informe.errores)}."
            )
        if dry_run and not informe.errores:
            for cambio in informe.cambios:
                verbo = "crearía" if cambio.accion == "crear" else "cambiaría"
                self.stdout.write(f"{cambio.hoja}, fila {cambio.fila}: se {verbo} {cambio.que}")
            if len(informe.cambios) < informe.creados + informe.actualizados:
                self.stdout.write(f"(Se listan las primeras {len(informe.cambios)} filas.)")
        if informe.errores:
            raise CommandError(
                f"{resumen} Se rechazaron {informe.filas_con_error} filas; no se escribió nada."
            )
        if dry_run:
            self.stdout.write(self.style.WARNING(f"{resumen} (Prueba: no se escribió nada.)"))
        else:
            self.stdout.write(self.style.SUCCESS(resumen))
