"""Django's ``migrate``, one server at a time: ``make serve`` (and the systemd unit) migrates on every
start, so several servers started together would apply the same migration at once and fail on the
tables the other one just made. On PostgreSQL each run waits for an advisory lock; the next one finds
nothing left to apply. On SQLite (one server) it is Django's command unchanged."""

from django.core.management.commands.migrate import Command as Migrate

from seguimiento.corrida_unica import por_turno


class Command(Migrate):
    def handle(self, *args, **options):
        with por_turno("migrate", using=options["database"]):
            return super().handle(*args, **options)
