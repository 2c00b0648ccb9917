from django.core.management.base import BaseCommand, CommandError

from seguimiento.respaldos import RespaldoError, respaldar, resumen


class Command(BaseCommand):
    help = (
        "Respalda todo el estado en un solo archivo tar: la base de datos (pg_dump en PostgreSQL, una copia "
        "consistente en SQLite), las evidencias y los PDF de informes emitidos que la base referencia, y un "
        "manifiesto con la versión, las migraciones aplicadas y el SHA-256 de cada parte."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivo", help="Ruta del respaldo que se escribirá (p. ej. respaldo.tar).")

    def handle(self, *args, archivo, **options):
        try:
            manifiesto = respaldar(archivo)
        except RespaldoError as error:
            raise CommandError(str(error)) from error
        for nombre in manifiesto["faltantes"]:
            self.stderr.write(
                self.style.WARNING(
                    f"Aviso: la base referencia «{nombre}», que no está en el almacén privado."
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Respaldo escrito en «{archivo}»: {resumen(manifiesto)}."))
