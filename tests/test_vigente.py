"""The item's copies of its current update (``Seguible.COPIAS_VIGENTES``), the commitments' search
column built from them, and the home page that reads them: each must follow every door that writes,
or a page would show something the history does not say."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from comisiones.models import Atribucion
from convenios.models import Actualizacion, Compromiso
from seguimiento.services import registrar_actualizaciones

from .conftest import dias, editar_compromiso_en_admin, sin_disparador
from .factories import AtribucionFactory, CompromisoFactory, ConvenioFactory, registrar_actualizacion

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor


def copias(elemento) -> tuple:
    elemento.refresh_from_db()
    return (elemento.estatus_vigente, elemento.fecha_vigente, elemento.nota_vigente)


@pytest.mark.parametrize("Modelo", [Compromiso, Atribucion])
def test_every_update_door_writes_the_copies_with_the_pointer(Modelo, db, estatus, usuarios):
    elemento = (CompromisoFactory if Modelo is Compromiso else AtribucionFactory)()
    assert copias(elemento) == (None, None, "")

    registrar_actualizacion(elemento, estatus=estatus["en-proceso"], fecha_efectiva=dias(-5), nota="Inicia.")
    assert copias(elemento) == (estatus["en-proceso"], dias(-5), "Inicia.")

    # Back-dated: recorded later but in effect earlier, so it is not the current one; nothing moves.
    registrar_actualizacion(elemento, estatus=estatus["incumplido"], fecha_efectiva=dias(-30), nota="Tarde.")
    assert copias(elemento) == (estatus["en-proceso"], dias(-5), "Inicia.")

    Historial = Modelo.modelo_actualizacion()
    nuevas = [
        Historial(
            **{Historial.CAMPO_ELEMENTO: elemento}, estatus=estatus["cumplido"], fecha_efectiva=dias(-1)
        ),
        Historial(
            **{Historial.CAMPO_ELEMENTO: elemento}, estatus=estatus["pendiente"], fecha_efectiva=dias(-60)
        ),
    ]
    registrar_actualizaciones(nuevas, usuario=usuarios["capturista"])
    assert copias(elemento) == (estatus["cumplido"], dias(-1), "")
    assert not Modelo.objects.desacordes().exists()


def test_the_browser_door_writes_the_copies(client, usuarios, semilla):
    compromiso = Compromiso.objects.filter(convenio=semilla).order_by("numero").first()
    client.force_login(usuarios["capturista"])
    datos = {
        "estatus": "incumplido",
        "fecha": timezone.localdate().isoformat(),
        "nota": "Sin avance.",
        "version": compromiso.version,
    }
    respuesta = client.post(reverse("convenios:actualizar", args=[compromiso.pk]), datos)
    assert respuesta.status_code == 302
    assert copias(compromiso)[1:] == (timezone.localdate(), "Sin avance.")
    assert compromiso.estatus_vigente.slug == "incumplido"
    assert not Compromiso.objects.desacordes().exists()


@pytest.mark.parametrize("Modelo", [Compromiso, Atribucion])
def test_the_database_refuses_copies_that_are_not_those_of_one_of_the_items_updates(Modelo, db, estatus):
    """Whoever writes by SQL, the copies stay those of one of the item's own updates (checked at
    once on SQLite, at commit on PostgreSQL)."""
    fabrica = CompromisoFactory if Modelo is Compromiso else AtribucionFactory
    elemento, otro, sin_historial = fabrica(), fabrica(), fabrica()
    vigente = registrar_actualizacion(
        elemento, estatus=estatus["cumplido"], fecha_efectiva=dias(-1), nota="Listo."
    )
    ajena = registrar_actualizacion(otro, estatus=estatus["cumplido"], fecha_efectiva=dias(-1), nota="Listo.")
    for pk, cambio in [
        (elemento.pk, {"estatus_vigente": estatus["incumplido"]}),
        (elemento.pk, {"fecha_vigente": dias(-2)}),
        (elemento.pk, {"nota_vigente": "Otra."}),
        (elemento.pk, {"ultima_actualizacion": ajena}),  # another item's update, with the same values
        (elemento.pk, {"ultima_actualizacion": None}),  # no pointer, copies left behind
        (sin_historial.pk, {"nota_vigente": "Sin historial pero con nota."}),
    ]:
        with (
            pytest.raises(IntegrityError, match="solo las escriben los servicios"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            Modelo.objects.filter(pk=pk).update(**cambio)
            # PostgreSQL checks at commit: ask for the check now, as a commit would.
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert copias(elemento) == (estatus["cumplido"], dias(-1), "Listo.")
    assert Modelo.objects.filter(pk=elemento.pk, ultima_actualizacion=vigente).exists()
    # The services' own way stays open: pointer and copies together, to one of its updates.
    Modelo.objects.filter(pk=elemento.pk).update(**Modelo.vigentes(vigente))
    assert not Modelo.objects.desacordes().exists()


def test_desacordes_finds_a_copy_that_disagrees(db, estatus):
    """The agreement check itself can fail: a copy changed behind the services' back (by the owner of
    the tables, with the database's check switched off) is found."""
    compromiso, sin_historial = CompromisoFactory(), CompromisoFactory()
    registrar_actualizacion(compromiso, estatus=estatus["cumplido"], fecha_efectiva=dias(-1), nota="Listo.")
    assert not Compromiso.objects.desacordes().exists()
    with sin_disparador("convenios_compromiso", "convenios_compromiso_copias_fieles"):
        for campo, valor in [
            ("estatus_vigente", estatus["incumplido"]),
            ("fecha_vigente", dias(-2)),
            ("nota_vigente", "Otra."),
        ]:
            original = Compromiso.objects.filter(pk=compromiso.pk).values(campo).get()[campo]
            Compromiso.objects.filter(pk=compromiso.pk).update(**{campo: valor})
            assert list(Compromiso.objects.desacordes()) == [compromiso], campo
            Compromiso.objects.filter(pk=compromiso.pk).update(**{campo: original})
        Compromiso.objects.filter(pk=sin_historial.pk).update(nota_vigente="Sin historial pero con nota.")
        assert list(Compromiso.objects.desacordes()) == [sin_historial]
        Compromiso.objects.filter(pk=sin_historial.pk).update(nota_vigente="")


def test_the_search_column_follows_the_text_and_the_current_note(admin_client, db, estatus):
    compromiso = CompromisoFactory(texto="Publicar el PORTAL de datos.")
    buscar = Compromiso.objects.filter
    assert list(buscar(busqueda__contains="portal de datos")) == [compromiso]

    registrar_actualizacion(
        compromiso, estatus=estatus["en-proceso"], fecha_efectiva=dias(-3), nota="Oficio CG/77."
    )
    assert list(buscar(busqueda__contains="cg/77")) == [compromiso]
    registrar_actualizacion(
        compromiso, estatus=estatus["cumplido"], fecha_efectiva=dias(-1), nota="Publicado."
    )
    assert not buscar(busqueda__contains="cg/77").exists()  # an older note: q_historial's, not q's

    editar_compromiso_en_admin(admin_client, compromiso, texto="Capacitar a los enlaces.")
    assert not buscar(busqueda__contains="portal").exists()
    assert list(buscar(busqueda__contains="capacitar a los enlaces.\npublicado.")) == [compromiso]


def conteo_en_inicio(client, categoria: str) -> str:
    """The number the home page shows for a status category of the commitments."""
    html = client.get("/").content.decode()
    enlace = reverse("convenios:compromisos") + f"?categoria={categoria}"
    inicio = html.index(f'href="{enlace}"')
    return html[inicio : html.index("</a>", inicio)]


def test_the_home_page_follows_the_browser_and_the_admin_doors(client, usuarios, db, estatus, admin_client):
    convenio = ConvenioFactory(nombre="Convenio Alfa")
    compromisos = [CompromisoFactory(convenio=convenio, texto=f"Compromiso {n}.") for n in range(3)]
    for compromiso in compromisos[:2]:
        registrar_actualizacion(
            compromiso, estatus=estatus["cumplido"], fecha_efectiva=dias(-1), nota="Hecho."
        )
    client.force_login(usuarios["capturista"])
    assert ">2<" in conteo_en_inicio(client, "favorable").replace(" ", "")

    # A status update (the browser's door): the next page shows it.
    datos = {"estatus": "cumplido", "fecha": timezone.localdate().isoformat(), "nota": "Hecho.", "version": 0}
    client.post(reverse("convenios:actualizar", args=[compromisos[2].pk]), datos)
    assert ">3<" in conteo_en_inicio(client, "favorable").replace(" ", "")

    # An admin edit: a due date passed makes an overdue item.
    registrar_actualizacion(
        compromisos[0], estatus=estatus["en-proceso"], fecha_efectiva=timezone.localdate(), nota="Reabierto."
    )
    assert (
        "Compromiso 0." not in client.get("/").content.decode().split("Vencidos", 1)[1].split("</section>")[0]
    )
    editar_compromiso_en_admin(admin_client, compromisos[0], fecha_limite=dias(-3).isoformat())
    vencidos = client.get("/").content.decode().split("Vencidos", 1)[1].split("</section>")[0]
    assert "Compromiso 0." in vencidos
    assert Actualizacion.objects.count() == 4
