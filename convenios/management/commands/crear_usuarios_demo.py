import os
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEMO = [
    # (usuario, nombre, grupo)
    ("capturista", "Capturista de demostración", "Capturista"),
    ("gerente", "Gerente de demostración", "Gerente"),
    ("auditor", "Auditor de demostración", "Auditor"),
    ("importador", "Importador de demostración", "Importador"),
    ("enlace", "Enlace de demostración", "Enlace"),
]
CONTRASENA_DEMO = "seguimiento"


class Command(BaseCommand):
    help = (
        "Crea (o restablece) los usuarios de demostración capturista, gerente, auditor, importador, "
        "enlace (vinculado a la parte estatal del convenio semilla y a la comisión semilla) y admin. "
        "Se niega a correr con DEBUG desactivado salvo con --forzar."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=CONTRASENA_DEMO, help="Contraseña para todos los usuarios de demostración."
        )
        parser.add_argument("--forzar", action="store_true", help="Correr aunque DEBUG esté desactivado.")

    @transaction.atomic
    def handle(self, *args, password, forzar, **options):
        if not settings.DEBUG and not forzar:
            raise CommandError(
                "DEBUG está desactivado: los usuarios de demostración no deben existir en producción. "
                "Use --forzar si de verdad los quiere."
            )
        User = get_user_model()
        for usuario, nombre, grupo in DEMO:
            user, _ = User.objects.get_or_create(username=usuario)
            user.first_name = nombre
            user.is_staff = False
            user.is_superuser = False
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=grupo)])
        self.vincular_enlace_demo()
        admin, _ = User.objects.get_or_create(username="admin")
        admin.first_name = "Administración"
        admin.is_staff = True
        admin.is_superuser = True
        admin.set_password(password)
        admin.save()
        self.stdout.write(
            self.style.SUCCESS(
                "Usuarios de demostración listos: capturista, gerente, auditor, importador, enlace, admin "
                f"(contraseña: {password})."
            )
        )

    def vincular_enlace_demo(self) -> None:
        """Link ``enlace`` to what each app's seed names (``semilla.ENLACE_DEMO``), if it is loaded."""
        vinculos: dict[str, list[str]] = {}
        for app in apps.get_app_configs():
            if find_spec(f"{app.name}.semilla") is not None:
                vinculos.update(getattr(import_module(f"{app.name}.semilla"), "ENLACE_DEMO", {}))
        try:
            call_command("vincular_enlace", "enlace", stdout=open(os.devnull, "w"), **vinculos)  # noqa: SIM115
        except CommandError as error:
            self.stdout.write(
                self.style.WARNING(
                    f"El usuario enlace queda sin vínculos ({error}): cargue la semilla primero."
                )
            )
