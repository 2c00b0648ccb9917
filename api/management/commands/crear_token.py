from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Crea la clave de la API de un usuario y la imprime; si ya tenía una, la reemplaza (la anterior "
        "deja de servir). Las claves se ven y se revocan en la administración (Token de autenticación)."
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
        reemplazadas, _detalle = Token.objects.filter(user=cuenta).delete()
        token = Token.objects.create(user=cuenta)
        if reemplazadas:
            self.stderr.write(f"La clave anterior de «{usuario}» quedó revocada.")
        self.stdout.write(token.key)
