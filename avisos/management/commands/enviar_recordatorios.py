import smtplib

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from avisos.services import enviar_resumen, resumenes


class Command(BaseCommand):
    help = (
        "Envía a cada quien sigue un convenio un solo correo con los compromisos vencidos, por vencer "
        "y sin actualizar de los convenios que sigue; nunca repite un aviso para el mismo estado. "
        "Pensado para correr una vez al día."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Muestra los correos que enviaría, sin enviarlos ni registrar nada.",
        )

    def handle(self, *args, dry_run, **options):
        pendientes = resumenes(timezone.localdate())
        fallidos = avisos = 0
        for resumen in pendientes:
            if dry_run:
                correo = resumen.correo()
                self.stdout.write(
                    f"Para: {', '.join(correo.to)}\nAsunto: {correo.subject}\n\n{correo.body}\n"
                )
                avisos += len(resumen.avisos)
                continue
            try:
                enviar_resumen(resumen)
                avisos += len(resumen.avisos)
            except (smtplib.SMTPException, OSError) as error:
                fallidos += 1
                self.stderr.write(f"No se pudo enviar a {resumen.usuario.email}: {error}")
        if not pendientes:
            self.stdout.write("Nada que avisar: ningún correo.")
            return
        correos = len(pendientes) - fallidos
        verbo = (
            ("Se enviaría" if dry_run else "Se envió")
            if correos == 1
            else ("Se enviarían" if dry_run else "Se enviaron")
        )
        self.stdout.write(
            f"{verbo} {correos} {'correo' if correos == 1 else 'correos'} con {avisos} "
            f"{'aviso' if avisos == 1 else 'avisos'}."
        )
        if fallidos:
            raise CommandError(
                f"{fallidos} correos no se pudieron enviar; se reintentarán en la próxima corrida."
            )
