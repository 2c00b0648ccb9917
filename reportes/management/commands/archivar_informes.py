from django.core.management.base import BaseCommand

from reportes.models import InformeEmitido
from reportes.services import archivar


class Command(BaseCommand):
    help = (
        "Guarda el PDF de los informes emitidos antes de que se archivaran, si el historial de hoy aún "
        "los dibuja idénticos byte por byte (entonces son el documento emitido). Córralo una vez tras "
        "migrar y antes de actualizar WeasyPrint o las fuentes; lista los que ya no se pueden reproducir."
    )

    def handle(self, *args, **options):
        archivados, perdidos = 0, []
        pendientes = (
            InformeEmitido.objects.filter(archivo="")
            .exclude(sha256="")
            .select_related("convenio", "comision")
        )
        for informe in pendientes.order_by("pk").iterator():
            if archivar(informe):
                archivados += 1
            else:
                perdidos.append(informe.folio)
        self.stdout.write(self.style.SUCCESS(f"{archivados} archivados."))
        if perdidos:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(perdidos)} ya no se dibujan idénticos y quedan sin archivo: " + ", ".join(perdidos)
                )
            )
