from django.apps import AppConfig


class TableroConfig(AppConfig):
    name = "tablero"
    verbose_name = "Tablero"
