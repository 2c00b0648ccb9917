from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Carga los documentos semilla: cada aplicación con un módulo «semilla» (convenios, comisiones) "
        "carga el suyo. Es idempotente."
    )

    def handle(self, *args, **options):
        for app in apps.get_app_configs():
            if find_spec(f"{app.name}.semilla") is None:
                continue
            cargado = import_module(f"{app.name}.semilla").cargar()
            self.stdout.write(self.style.SUCCESS(f"Semilla cargada: «{cargado}»."))
