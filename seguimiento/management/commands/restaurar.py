from django.core.management.base import BaseCommand, CommandError

from seguimiento.respaldos import RespaldoError, restaurar, resumen


class Command(BaseCommand):
    help = (
        "Restaura un respaldo hecho con «respaldar»: comprueba la firma del manifiesto (CLAVE_INTEGRIDAD), "
        "el SHA-256 de cada parte y el estado de migraciones, reemplaza la base de datos en una sola "
        "transacción y después coloca los archivos. "
        "Después verifica la cadena de huellas restaurada; si no verifica, deja la base como estaba. "
        "Se niega si la base de datos tiene datos, salvo con --forzar."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivo", help="Ruta del respaldo (.tar) que se restaurará.")
        parser.add_argument(
            "--forzar",
            action="store_true",
            help="Reemplaza el contenido de una base de datos que no está vacía.",
        )
        parser.add_argument(
            "--huella-conocida",
            metavar="HUELLA",
            help="una cabeza de la cadena que ya conocía (de /datos/integridad.json, un PDF u otro "
            "respaldo): se niega a restaurar un respaldo que no la contenga (uno anterior a ella)",
        )

    def handle(self, *args, archivo, forzar, huella_conocida, **options):
        try:
            manifiesto = restaurar(archivo, forzar=forzar, huella_conocida=huella_conocida)
        except RespaldoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Respaldo restaurado desde «{archivo}»: {resumen(manifiesto)}.")
        )
