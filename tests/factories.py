import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from comisiones.models import Atribucion, Comision, EnlaceComision, Sistema, TipoComision
from convenios.models import Compromiso, Convenio, Dependencia, EnlaceDependencia, Parte


class UsuarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    password = factory.PostGenerationMethodCall("set_password", "clave-de-prueba")

    @factory.post_generation
    def rol(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class DependenciaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dependencia

    nombre = factory.Sequence(lambda n: f"Dependencia {n}")


class ConvenioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convenio

    nombre = factory.Sequence(lambda n: f"Convenio de prueba {n}")
    slug = factory.Sequence(lambda n: f"convenio-de-prueba-{n}")
    fecha_inicio = datetime.date(2019, 1, 1)
    objeto = "Objeto de prueba."


class ParteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parte

    convenio = factory.SubFactory(ConvenioFactory)
    dependencia = factory.SubFactory(DependenciaFactory)
    etiqueta = factory.Sequence(lambda n: f"P{n}")


class CompromisoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compromiso

    convenio = factory.SubFactory(ConvenioFactory)
    numero = factory.Sequence(lambda n: n + 1)
    texto = factory.Sequence(lambda n: f"Compromiso de prueba número {n}.")


class SistemaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sistema
        django_get_or_create = ["nombre"]

    nombre = "Sistema Nacional de Transparencia"
    siglas = "SNT"


class TipoComisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TipoComision
        django_get_or_create = ["nombre"]

    nombre = "Comisión ordinaria permanente"


class ComisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comision

    sistema = factory.SubFactory(SistemaFactory)
    tipo = factory.SubFactory(TipoComisionFactory)
    nombre = factory.Sequence(lambda n: f"Comisión de prueba {n}")
    slug = factory.Sequence(lambda n: f"comision-de-prueba-{n}")


class AtribucionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Atribucion

    comision = factory.SubFactory(ComisionFactory)
    materia = Atribucion.Materia.APERTURA
    numero = factory.Sequence(lambda n: n + 1)
    texto = factory.Sequence(lambda n: f"Atribución de prueba número {n}.")


def crear_enlace(username: str, dependencias=(), comisiones=()):
    """A user with the Enlace role, linked to these institutions and commissions."""
    usuario = UsuarioFactory(username=username, rol="Enlace")
    for dependencia in dependencias:
        EnlaceDependencia.objects.get_or_create(usuario=usuario, dependencia=dependencia)
    for comision in comisiones:
        EnlaceComision.objects.get_or_create(usuario=usuario, comision=comision)
    return usuario


def registrar_actualizacion(elemento, **datos):
    """``seguimiento.services.registrar_actualizacion``, by a user the factory makes when the test does
    not care who records (the service requires one, as the database does)."""
    from seguimiento import services

    if datos.get("usuario") is None:
        datos["usuario"] = UsuarioFactory(username="registro-de-pruebas")
    return services.registrar_actualizacion(elemento, **datos)
