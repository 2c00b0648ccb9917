from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from convenios.importacion import ArchivoInvalido, exportar, guardar


class Command(BaseCommand):
    help = (
        "Exporta convenios, partes, compromisos y todo el historial de estatus en el formato de la "
        "plantilla: archivo.xlsx, archivo.json o una carpeta (convenios.csv y actualizaciones.csv)."
    )

    def add_arguments(self, parser):
        parser.add_argument("destino", help="archivo .xlsx o .json, o carpeta para los .csv")

    def handle(self, *args, destino, **options):
        hojas = exportar()
        try:
            rutas = guardar(hojas, Path(destino))
        except ArchivoInvalido as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            self.style.SUCCESS(
                f"Exportadas {len(hojas['convenios'])} filas de convenios, partes y compromisos y "
                f"{len(hojas['actualizaciones'])} actualizaciones de estatus en: "
                + ", ".join(str(r) for r in rutas)
            )
        )
