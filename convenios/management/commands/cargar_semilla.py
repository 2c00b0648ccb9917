from django.core.management.base import BaseCommand

from comisiones import semilla as semilla_comisiones
from convenios import semilla as semilla_convenios
from convenios.models import Compromiso


class Command(BaseCommand):
    help = "Carga los dos documentos semilla (convenio y comisiones del SNT). Es idempotente."

    def handle(self, *args, **options):
        convenio = semilla_convenios.cargar()
        comision = semilla_comisiones.cargar()
        total = Compromiso.objects.filter(convenio=convenio).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Semilla cargada: «{convenio}» ({total} compromisos) y «{comision}» "
                f"({comision.atribuciones.count()} atribuciones)."
            )
        )
