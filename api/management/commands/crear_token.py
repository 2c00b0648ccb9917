from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from api.models import ClaveDeAPI


class Command(BaseCommand):
    help = (
        "Crea la clave de la API de un usuario y la imprime (es la única vez que se ve: solo se guarda su "
        "SHA-256); si ya tenía una, la reemplaza (la anterior deja de servir). Las claves se ven y se "
        "revocan en la administración (API › Claves de la API)."
    )

    def add_arguments(self, parser):
        parser.add_argument("usuario", help="nombre de usuario")

    @transaction.atomic
    def handle(self, *args, usuario, **options):
        Usuario = get_user_model()
        try:
            cuenta = Usuario.objects.get(**{Usuario.USERNAME_FIELD: usuario})
        except Usuario.DoesNotExist:
            raise CommandError(f"No existe el usuario «{usuario}».") from None
        if not cuenta.is_active:
            raise CommandError(f"El usuario «{usuario}» está inactivo; actívelo antes de darle una clave.")
        reemplazada = ClaveDeAPI.objects.filter(usuario=cuenta).exists()
        fila, clave = ClaveDeAPI.objects.emitir(cuenta)
        if reemplazada:
            self.stderr.write(f"La clave anterior de «{usuario}» quedó revocada.")
        if fila.vence:
            self.stderr.write(f"Vence el {timezone.localtime(fila.vence):%Y-%m-%d %H:%M} (API_TOKEN_DIAS).")
        self.stdout.write(clave)
