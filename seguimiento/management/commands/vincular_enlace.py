"""Link an Enlace to institutions and commissions (or unlink it), from a terminal. Each app that links
Enlaces contributes its option (``VinculoDeEnlace.OPCION``): ``--dependencia``, ``--comision``."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from seguimiento.models import ROL_ENLACE, vinculos_de_enlace


def nombre_de(modelo) -> str:
    """What the link's option names, as its field calls it: «dependencia», «comisión»."""
    return str(getattr(modelo._meta.get_field(modelo.OPCION), "verbose_name", modelo.OPCION))


class Command(BaseCommand):
    help = (
        "Vincula al usuario Enlace con dependencias (--dependencia NOMBRE_O_SIGLAS) y comisiones "
        "(--comision CLAVE); con --quitar, quita esos vínculos. Sin opciones, muestra sus vínculos. "
        "Es idempotente; al vincular, le da el rol Enlace si no lo tiene."
    )

    def add_arguments(self, parser):
        parser.add_argument("usuario", help="Nombre de usuario.")
        for modelo in vinculos_de_enlace():
            parser.add_argument(
                f"--{modelo.OPCION}",
                action="append",
                default=[],
                metavar=modelo.OPCION.upper(),
                help=str(modelo.AYUDA),
            )
        parser.add_argument("--quitar", action="store_true", help="Quitar los vínculos indicados.")

    @transaction.atomic
    def handle(self, *args, usuario, quitar, **options):
        try:
            enlace = get_user_model().objects.get(username=usuario)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No existe el usuario «{usuario}».") from None
        pedidos = []  # (link model, the thing named), all found before anything is written
        for modelo in vinculos_de_enlace():
            for valor in options[modelo.OPCION]:
                try:
                    pedidos.append((modelo, modelo.buscar(valor)))
                except LookupError as error:
                    raise CommandError(str(error)) from None
        if not pedidos:
            if quitar:
                raise CommandError("Indique qué vínculos quitar (--dependencia, --comision).")
            self.mostrar(enlace)
            return
        if not quitar and not enlace.groups.filter(name=ROL_ENLACE).exists():
            enlace.groups.add(Group.objects.get(name=ROL_ENLACE))
            self.stdout.write(f"«{enlace}» recibe el rol {ROL_ENLACE}.")
        for modelo, objeto in pedidos:
            datos: dict[str, Any] = {"usuario": enlace, modelo.OPCION: objeto}
            if quitar:
                borrados, _ = modelo._default_manager.filter(**datos).delete()
                texto = "Vínculo quitado" if borrados else "No estaba vinculado"
            else:
                _, creado = modelo._default_manager.get_or_create(**datos)
                texto = "Vinculado" if creado else "Ya estaba vinculado"
            self.stdout.write(f"{texto}: «{enlace}» – {nombre_de(modelo)} «{objeto}».")
        self.stdout.write(self.style.SUCCESS("Listo."))

    def mostrar(self, enlace) -> None:
        del_enlace: dict[str, Any] = {"usuario": enlace}
        vinculos = [v for m in vinculos_de_enlace() for v in m._default_manager.filter(**del_enlace)]
        if not vinculos:
            self.stdout.write(f"«{enlace}» no tiene vínculos.")
        for vinculo in vinculos:
            self.stdout.write(f"{nombre_de(type(vinculo))}: {getattr(vinculo, vinculo.OPCION)}")
