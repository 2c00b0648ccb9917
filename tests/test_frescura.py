"""No page keeps a cache: a change written with ``QuerySet.update()`` over another database connection
(no service, no admin, no import: a shell or a script) shows on the very next request, on every page
that shows an item's current status or text. The pages are read once first, as a warm server would."""

import pytest
from django.db import connections
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import CURSOR
from django.test import Client
from django.urls import reverse

from convenios.models import Compromiso

from .factories import registrar_actualizacion

NOTA = "Escrito desde otra conexión."
TEXTO = "Texto cambiado desde otra conexión."


@pytest.fixture
def otra_conexion():
    """A second connection to the test database (autocommit), outside the one that serves the requests."""
    conexion = connections.create_connection("default")
    yield conexion
    conexion.close()


def actualizar(conexion, queryset, **valores) -> None:
    """``queryset.update(**valores)`` (the same UPDATE statement), run and committed on ``conexion``."""
    consulta = queryset.query.chain(UpdateQuery)
    consulta.add_update_values(valores)
    consulta.get_compiler(connection=conexion).execute_sql(CURSOR)


def test_a_write_from_another_connection_shows_on_the_next_request_of_every_page(
    transactional_db, semilla, usuarios, estatus, otra_conexion
):
    cliente = Client()
    cliente.force_login(usuarios["admin"])
    compromiso = semilla.compromisos.order_by("numero").first()
    # Each commitment gets an update that is not its current one (an earlier effective date): the
    # write below points the commitment to it, as the database allows (its own update, its values).
    anteriores = {
        c.pk: registrar_actualizacion(
            c, estatus=estatus["cumplido"], fecha_efectiva=semilla.fecha_inicio, nota=NOTA
        )
        for c in semilla.compromisos.all()
    }
    registrar_actualizacion(compromiso, estatus=estatus["en-proceso"], fecha_efectiva=semilla.fecha_inicio)
    paginas = {
        "convenio": reverse("convenios:detalle", args=[semilla.slug]),
        "compromisos": reverse("convenios:compromisos") + f"?convenio={semilla.slug}",
        "inicio": reverse("inicio"),
        "informe": reverse("reportes:informe", args=[semilla.slug]),
        "api": reverse("api:compromiso-detail", args=[compromiso.pk]),
    }
    antes = {nombre: cliente.get(url) for nombre, url in paginas.items()}
    assert all(r.status_code == 200 for r in antes.values()), {n: r.status_code for n, r in antes.items()}
    assert not any(NOTA in r.content.decode() for r in antes.values())

    for pk, anterior in anteriores.items():
        actualizar(
            otra_conexion,
            Compromiso.objects.filter(pk=pk),
            **{campo: getattr(anterior, origen) for campo, origen in Compromiso.COPIAS_VIGENTES.items()},
            ultima_actualizacion=anterior,
        )
    actualizar(otra_conexion, Compromiso.objects.filter(pk=compromiso.pk), texto=TEXTO)

    despues = {nombre: cliente.get(url) for nombre, url in paginas.items()}
    html = {nombre: r.content.decode() for nombre, r in despues.items()}
    assert NOTA in html["convenio"] and TEXTO in html["convenio"]
    assert NOTA in html["compromisos"] and TEXTO in html["compromisos"]
    cumplido = f">{estatus['cumplido'].nombre}</span>"
    assert html["convenio"].count(cumplido) == html["compromisos"].count(cumplido) - 1  # + the counts' badge
    assert TEXTO in html["informe"]  # reports read the history as of a date, and the item's text
    assert despues["api"].json()["texto"] == TEXTO
    assert despues["api"].json()["vigente"]["nota"] == NOTA
    assert despues["api"].json()["vigente"]["estatus"]["slug"] == "cumplido"
    favorables = {c: n for c, _etiqueta, n, _enlace in despues["inicio"].context["secciones"][0].conteos}
    assert favorables["favorable"] >= semilla.compromisos.count()


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/1", "seguimiento.cache.RedisTolerante"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_cache_url_chooses_the_backend(url, backend):
    from config.settings import cache_desde_url

    assert cache_desde_url(url)["BACKEND"] == backend


def test_an_unknown_cache_url_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from config.settings import cache_desde_url

    with pytest.raises(ImproperlyConfigured):
        cache_desde_url("memcached://127.0.0.1:11211")
