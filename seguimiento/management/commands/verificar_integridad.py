import datetime

from django.core.management.base import BaseCommand, CommandError

from seguimiento.integridad import resumen_de_verificacion, verificar


class Command(BaseCommand):
    help = (
        "Recalcula la cadena de huellas del registro (historiales de estatus e informes emitidos) con "
        "CLAVE_INTEGRIDAD y la compara con cada huella guardada. Sale con 0 y una línea si verifica, o con "
        "1 nombrando la primera fila que no verifica (tabla, id y qué difiere). Para correrlo a diario: "
        "docs/produccion.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--desde",
            type=datetime.date.fromisoformat,
            metavar="AAAA-MM-DD",
            help="verifica solo desde la primera fila registrada ese día (la anterior se toma como está)",
        )

    def handle(self, *args, desde, **options):
        resultado = verificar(desde)
        if not resultado.integra:
            raise CommandError(resumen_de_verificacion(resultado), returncode=1)
        self.stdout.write(resumen_de_verificacion(resultado))
