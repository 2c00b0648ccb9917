import smtplib

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from avisos.services import enviar_resumen, resumenes
from seguimiento.corrida_unica import corrida_unica


class Command(BaseCommand):
    help = (
        "Envía a cada quien sigue un convenio un solo correo con los compromisos vencidos, por vencer "
        "y sin actualizar de los convenios que sigue; nunca repite un aviso para el mismo estado. "
        "Pensado para correr una vez al día; "
        "si corre en varios servidores a la vez, solo una corrida envía."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Muestra los correos que enviaría, sin enviarlos ni registrar nada.",
        )

    def handle(self, *args, dry_run, **options):
        if dry_run:
            self.enviar(dry_run=True)
            return
        # One timer per server: the run that takes the lock sends, the others at the same moment end.
        with corrida_unica("enviar_recordatorios") as tomada:
            if not tomada:
                self.stdout.write("Otra corrida de enviar_recordatorios está en curso: esta no envía nada.")
                return
            self.enviar(dry_run=False)

    def enviar(self, dry_run: bool) -> None:
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
