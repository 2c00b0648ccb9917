"""Text versions (issue 22, part 4): every edit of a convenio's, a commitment's or a duty's texts is
kept, append-only, whatever the door (admin, import, the models in a shell, ``update()``); the history
page shows them; issued reports redraw with the texts known at issue; a past date drawn now says so."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comisiones.models import Atribucion
from convenios.models import Compromiso, Convenio, Parte
from reportes.models import InformeEmitido
from reportes.services import comprobar, emitir_informe
from seguimiento.autoria import como_autor
from seguimiento.models import VersionInmutableError, VersionTexto

from .conftest import cargar_semilla, editar_compromiso_en_admin
from .factories import (
    CompromisoFactory,
    DependenciaFactory,
    ParteFactory,
    UsuarioFactory,
    registrar_actualizacion,
)
from .test_importacion import importar_un_compromiso
from .test_informes_emitidos import emitir, regenerar, sha
from .test_migraciones import filas, migrador  # noqa: F401 - the fixture
from .test_reportes import COMISION, normalizar, texto_pdf

# Its results depend on the database engine (triggers): it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor

D = datetime.date
ELEMENTOS = {"compromiso": Compromiso, "atribucion": Atribucion}


def versiones(objeto) -> list[tuple]:
    return list(
        VersionTexto.objects.de([objeto])
        .cronologicas()
        .values_list("campo", "anterior", "nuevo", "registrado_por__username")
    )


def editar_en_admin(client, elemento, **cambios) -> None:
    """Change a commitment or a duty through its admin change form, as an administrator would."""
    if isinstance(elemento, Compromiso):
        editar_compromiso_en_admin(client, elemento, **cambios)
        return
    url = reverse("admin:comisiones_atribucion_change", args=[elemento.pk])
    formulario = client.get(url).context["adminform"].form
    datos = {k: v for k, v in formulario.initial.items() if v is not None}
    datos.update(cambios, **{"actualizaciones-TOTAL_FORMS": "0", "actualizaciones-INITIAL_FORMS": "0"})
    respuesta = client.post(url, {**datos, "_save": "Guardar"})
    assert respuesta.status_code == 302, respuesta.context["adminform"].form.errors


def historial(client, elemento) -> str:
    respuesta = client.get(elemento.url_historial)
    assert respuesta.status_code == 200
    return normalizar(respuesta.content.decode())


# Every door --------------------------------------------------------------------------------------


@pytest.mark.parametrize("tipo", list(ELEMENTOS))
def test_an_admin_edit_of_the_text_is_kept_with_who_when_and_old_and_new(client, semilla, usuarios, tipo):
    elemento = ELEMENTOS[tipo].objects.order_by("pk").first()
    antes = elemento.texto
    client.force_login(usuarios["admin"])
    editar_en_admin(client, elemento, texto="Texto corregido en la administración.")

    (version,) = VersionTexto.objects.de([elemento])
    assert (version.campo, version.anterior, version.nuevo) == (
        "texto",
        antes,
        "Texto corregido en la administración.",
    )
    assert version.registrado_por == usuarios["admin"]
    assert abs(version.registrado_en - timezone.now()) < datetime.timedelta(minutes=1)

    client.force_login(usuarios["gerente"])
    pagina = historial(client, elemento)
    assert f"Cambio de texto Antes: {antes} Después: Texto corregido en la administración." in pagina
    assert "admin" in pagina


def test_an_admin_edit_of_a_commitments_party_and_due_date_names_them_as_a_reader_would(
    client, semilla, usuarios
):
    compromiso = Compromiso.objects.filter(responsable__isnull=False).order_by("pk").first()
    otra = Parte.objects.filter(convenio=compromiso.convenio).exclude(pk=compromiso.responsable_id).first()
    antes = str(compromiso.responsable)
    client.force_login(usuarios["admin"])
    editar_compromiso_en_admin(client, compromiso, fecha_limite="2027-02-07")
    compromiso.refresh_from_db()
    compromiso.responsable = otra
    editar_compromiso_en_admin(client, compromiso)

    assert [(c, a is None) for c, a, _n, _u in versiones(compromiso)] == [
        ("fecha_limite", True),
        ("responsable", False),
    ]
    pagina = historial(client, compromiso)
    assert "Cambio de fecha límite Antes: (vacío) Después: 7 de febrero de 2027" in pagina
    assert f"Cambio de parte responsable Antes: {antes} Después: {otra}" in pagina


@pytest.mark.parametrize("tipo", list(ELEMENTOS))
def test_a_plain_save_in_a_shell_is_kept_as_the_systems(client, semilla, gerente, tipo):
    elemento = ELEMENTOS[tipo].objects.order_by("pk").first()
    antes = elemento.texto
    elemento.texto = "Cambiado desde la consola."
    elemento.save()
    assert versiones(elemento) == [("texto", antes, "Cambiado desde la consola.", None)]
    assert "Cambio de texto" in historial(client, elemento) and "Sistema" in historial(client, elemento)


@pytest.mark.parametrize("tipo", list(ELEMENTOS))
def test_queryset_update_and_bulk_update_are_kept_too(semilla, usuarios, tipo):
    modelo = ELEMENTOS[tipo]
    uno, dos = modelo.objects.order_by("pk")[:2]
    texto_uno, texto_dos = uno.texto, dos.texto
    modelo.objects.filter(pk=uno.pk).update(texto="Por update().")
    dos.texto = "Por bulk_update()."
    with como_autor(usuarios["capturista"]):
        modelo.objects.bulk_update([dos], ["texto"])
    assert versiones(uno) == [("texto", texto_uno, "Por update().", None)]
    assert versiones(dos) == [("texto", texto_dos, "Por bulk_update().", "capturista")]


def test_an_import_that_changes_a_commitment_is_kept_as_the_importers(importador):
    convenio = importar_un_compromiso("Texto importado.", importador)
    compromiso = convenio.compromisos.get()
    assert versiones(compromiso) == [], "creating is not editing"
    importar_un_compromiso("Texto importado de nuevo, corregido.", importador)
    assert versiones(compromiso) == [
        ("texto", "Texto importado.", "Texto importado de nuevo, corregido.", "importador")
    ]


def test_saving_unchanged_texts_or_other_fields_keeps_no_version(semilla, estatus, usuarios):
    compromiso = Compromiso.objects.order_by("pk").first()
    compromiso.save()
    registrar_actualizacion(compromiso, estatus=estatus["pendiente"], fecha_efectiva=D(2021, 1, 1))
    Compromiso.objects.filter(pk=compromiso.pk).update(version=7)
    assert versiones(compromiso) == []


def test_a_convenios_name_object_contact_validity_and_parties_are_kept(semilla, usuarios):
    parte = ParteFactory(convenio=semilla, dependencia=DependenciaFactory(nombre="Secretaría Nueva"))
    with como_autor(usuarios["admin"]):
        semilla.nombre, semilla.objeto, semilla.fecha_fin = "Otro nombre", "Otro objeto", D(2030, 1, 1)
        semilla.contacto_telefono = "834 000 0000"
        semilla.save()
        parte.delete()
    cambios = {c: (a, n) for c, a, n, _u in versiones(semilla)}
    assert set(cambios) == {"nombre", "objeto", "fecha_fin", "contacto_telefono", "partes"}, (
        "adding a party is no edit (reports leave out later parties by their creation time)"
    )
    assert cambios["fecha_fin"][1] == "2030-01-01"
    assert "Secretaría Nueva" in cambios["partes"][0] and "Secretaría Nueva" not in cambios["partes"][1]


# Append-only -------------------------------------------------------------------------------------


@pytest.fixture
def version(semilla) -> VersionTexto:
    compromiso = Compromiso.objects.order_by("pk").first()
    compromiso.texto = "Editado."
    compromiso.save()
    return VersionTexto.objects.de([compromiso]).get()


def test_a_version_cannot_be_changed_or_deleted_through_the_models(version):
    version.nuevo = "otro"
    for intento in (
        version.save,
        version.delete,
        VersionTexto.objects.filter(pk=version.pk).delete,
        lambda: VersionTexto.objects.filter(pk=version.pk).update(nuevo="otro"),
    ):
        with pytest.raises(VersionInmutableError):
            intento()
    assert VersionTexto.objects.get(pk=version.pk).nuevo == "Editado."


def test_the_database_refuses_to_update_a_version_even_with_raw_sql(version):
    with (
        pytest.raises(DatabaseError, match="solo anexión"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE seguimiento_versiontexto SET nuevo = 'x' WHERE id = %s", [version.pk])
    assert VersionTexto.objects.get(pk=version.pk).nuevo == "Editado."


@pytest.mark.postgres
def test_postgresql_refuses_to_delete_a_version_even_with_raw_sql(version):
    if connection.vendor != "postgresql":
        pytest.skip("el disparador de borrado existe solo en PostgreSQL")
    with (
        pytest.raises(DatabaseError, match="solo anexión"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM seguimiento_versiontexto WHERE id = %s", [version.pk])
    assert VersionTexto.objects.filter(pk=version.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_to_truncate_versions_even_with_cascade():
    """Committed first: TRUNCATE refuses a table with pending deferred checks before any trigger."""
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE existe solo en PostgreSQL")
    compromiso = CompromisoFactory()
    compromiso.texto = "Editado."
    compromiso.save()
    with (
        pytest.raises(DatabaseError, match="solo anexión"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE seguimiento_versiontexto CASCADE")
    assert VersionTexto.objects.de([compromiso]).count() == 1


# The history page --------------------------------------------------------------------------------


def test_the_history_lists_text_and_status_changes_by_when_they_were_recorded(
    client, semilla, gerente, estatus
):
    compromiso = Compromiso.objects.order_by("pk").first()
    texto = compromiso.texto
    registrar_actualizacion(compromiso, estatus=estatus["pendiente"], fecha_efectiva=D(2021, 1, 1))
    compromiso.texto = "Texto intermedio."
    compromiso.save()
    registrar_actualizacion(
        compromiso, estatus=estatus["cumplido"], fecha_efectiva=D(2020, 6, 1)
    )  # back-dated
    pagina = historial(client, compromiso)
    cumplido = pagina.index(str(estatus["cumplido"]))
    cambio = pagina.index(f"Antes: {texto} Después: Texto intermedio.")
    pendiente = pagina.rindex(str(estatus["pendiente"]))
    assert cumplido < cambio < pendiente, "el más reciente primero, por cuándo se registró"


@pytest.mark.parametrize("tipo", list(ELEMENTOS))
def test_the_history_page_costs_the_same_queries_however_long_the_record(
    client, semilla, gerente, estatus, usuarios, tipo
):
    """Two sizes: a record of 2 entries and one of 40 (20 status updates, 20 text edits by two users)."""
    uno, otro = ELEMENTOS[tipo].objects.order_by("pk")[:2]

    def llenar(elemento, n: int):
        for i in range(n):
            registrar_actualizacion(elemento, estatus=estatus["pendiente"], fecha_efectiva=D(2021, 1, 1 + i))
            with como_autor(usuarios["admin" if i % 2 else "capturista"]):
                elemento.texto = f"Versión {i}."
                elemento.save()

    def consultas(elemento) -> int:
        with CaptureQueriesContext(connection) as capturadas:
            assert client.get(elemento.url_historial).status_code == 200
        return len(capturadas)

    llenar(uno, 1)
    llenar(otro, 20)
    assert consultas(uno) == consultas(otro)


# Reports -----------------------------------------------------------------------------------------


@pytest.mark.archivos
def test_an_issued_report_still_redraws_identically_after_its_commitments_text_is_edited_in_the_admin(
    client, semilla, usuarios, mas_tarde
):
    client.force_login(usuarios["admin"])
    informe, emitido = emitir(client, "informe_pdf", semilla.slug)
    compromiso = Compromiso.objects.filter(convenio=semilla).order_by("numero").first()
    antes = compromiso.texto
    mas_tarde()
    editar_compromiso_en_admin(client, compromiso, texto="Texto nuevo tras la emisión.")

    respuesta = regenerar(client, informe)
    assert respuesta.status_code == 200 and respuesta.content == emitido
    assert respuesta["X-Coincide-Con-Emitido"] == "si"
    assert "Texto nuevo tras la emisión." in historial(client, compromiso)
    assert normalizar(antes)[:60] in normalizar(texto_pdf(emitido))


@pytest.mark.archivos
def test_an_issued_report_still_redraws_after_a_party_name_object_and_responsible_change(
    client, semilla, gerente, usuarios, mas_tarde
):
    informe, _emitido = emitir(client, "informe_pdf", semilla.slug)
    mas_tarde()
    semilla.nombre, semilla.objeto, semilla.contacto_unidad = "Nombre nuevo", "Objeto nuevo", "Unidad nueva"
    semilla.save()
    compromiso = (
        Compromiso.objects.filter(convenio=semilla, responsable__isnull=False).order_by("numero").last()
    )
    compromiso.responsable = None  # moves to the «LAS PARTES» block, and the blocks reorder
    compromiso.save()
    Parte.objects.filter(convenio=semilla, compromisos__isnull=True).first().delete()
    assert regenerar(client, informe)["X-Coincide-Con-Emitido"] == "si"
    hoy = emitir(client, "informe_pdf", semilla.slug)[1]
    assert "Nombre nuevo" in texto_pdf(hoy) and sha(hoy) != informe.sha256


@pytest.mark.archivos
def test_an_issued_commission_report_still_redraws_after_a_duty_is_edited(
    client, semilla, gerente, mas_tarde
):
    informe, emitido = emitir(client, "comision_pdf", COMISION)
    mas_tarde()
    Atribucion.objects.filter(comision__slug=COMISION).update(texto="Atribución reescrita.")
    respuesta = regenerar(client, informe)
    assert respuesta.content == emitido and respuesta["X-Coincide-Con-Emitido"] == "si"
    assert "Atribución reescrita." in texto_pdf(emitir(client, "comision_pdf", COMISION)[1])


@pytest.mark.archivos
def test_an_issued_consolidated_report_still_redraws_after_a_convenio_is_renamed(
    client, semilla, gerente, mas_tarde
):
    informe, _emitido = emitir(client, "consolidado_pdf", fecha="2021-01-01")
    mas_tarde()
    Convenio.objects.filter(pk=semilla.pk).update(nombre="Convenio renombrado")
    assert regenerar(client, informe)["X-Coincide-Con-Emitido"] == "si"


NOTA = "los textos son los vigentes"


@pytest.mark.parametrize(
    ("nombre", "args", "editar"),
    [
        ("informe", "semilla", lambda s: Compromiso.objects.filter(convenio=s).update(texto="Texto de hoy.")),
        (
            "comision",
            COMISION,
            lambda s: Atribucion.objects.filter(comision__slug=COMISION).update(texto="Texto de hoy."),
        ),
    ],
)
@pytest.mark.archivos
def test_a_past_date_drawn_now_uses_todays_texts_and_says_so(client, semilla, gerente, nombre, args, editar):
    args = semilla.slug if args == "semilla" else args
    antes = {"fecha": "2020-02-07"}
    assert NOTA not in normalizar(
        client.get(reverse(f"reportes:{nombre}", args=[args]), antes).content.decode()
    )
    editar(semilla)
    pagina = normalizar(client.get(reverse(f"reportes:{nombre}", args=[args]), antes).content.decode())
    assert (
        "Texto de hoy." in pagina and NOTA in pagina and "hoy: alguno cambió después de esa fecha" in pagina
    )
    pdf = normalizar(texto_pdf(emitir(client, f"{nombre}_pdf", args)[1]))
    assert "Texto de hoy." in pdf and NOTA in pdf and "al emitir este informe" in pdf
    hoy = {"fecha": timezone.localdate().isoformat()}
    assert NOTA not in normalizar(
        client.get(reverse(f"reportes:{nombre}", args=[args]), hoy).content.decode()
    ), "edited today: not after the report's date"


@pytest.mark.archivos
def test_an_issued_past_date_report_keeps_its_note_and_redraws_identically(
    client, semilla, gerente, mas_tarde
):
    Compromiso.objects.filter(convenio=semilla).update(texto="Texto de hoy.")
    mas_tarde()
    informe, emitido = emitir(client, "informe_pdf", semilla.slug)
    assert NOTA in normalizar(texto_pdf(emitido))
    mas_tarde()
    Compromiso.objects.filter(convenio=semilla).update(texto="Texto de mañana.")
    respuesta = regenerar(client, informe)
    assert respuesta.content == emitido and respuesta["X-Coincide-Con-Emitido"] == "si"
    assert InformeEmitido.objects.count() == 1


@pytest.mark.archivos
def test_an_item_created_before_versions_existed_needs_no_initial_version(
    client, semilla, gerente, mas_tarde
):
    """Items have no version until first edited: their text at any earlier moment is today's."""
    compromiso = CompromisoFactory(convenio=semilla, numero=40, texto="Sin versiones.")
    informe, _emitido = emitir(client, "informe_pdf", semilla.slug)
    assert VersionTexto.objects.de([compromiso]).count() == 0
    mas_tarde()
    assert regenerar(client, informe)["X-Coincide-Con-Emitido"] == "si"


# The migration -----------------------------------------------------------------------------------

TABLAS_DE_TEXTOS = ["convenios_convenio", "convenios_parte", "convenios_compromiso", "comisiones_atribucion"]


@pytest.mark.archivos
def test_the_migration_keeps_every_row_and_existing_items_need_no_initial_version(migrador, mas_tarde):  # noqa: F811
    """Items that exist when the table is created get no version: a text never edited since is its
    text at any earlier moment, so a report issued before the migration still redraws after an edit."""
    semilla = cargar_semilla()
    informe, _pdf = emitir_informe(InformeEmitido.Tipo.CONVENIO, semilla, D(2020, 2, 7), UsuarioFactory())
    migrador.migrate([("seguimiento", "0005_cadena")])
    antes = {tabla: filas(tabla) for tabla in TABLAS_DE_TEXTOS}
    assert all(antes.values())

    migrador.loader.build_graph()
    migrador.migrate(migrador.loader.graph.leaf_nodes())

    assert {tabla: filas(tabla) for tabla in TABLAS_DE_TEXTOS} == antes
    assert not VersionTexto.objects.exists()
    mas_tarde()
    Compromiso.objects.filter(convenio=semilla).update(texto="Texto posterior a la migración.")
    assert VersionTexto.objects.count() == semilla.compromisos.count()
    assert comprobar(InformeEmitido.objects.get(pk=informe.pk)).coincide


def test_the_admin_shows_versions_and_changes_or_deletes_none(client, usuarios, version):
    client.force_login(usuarios["admin"])
    assert client.get(reverse("admin:seguimiento_versiontexto_changelist")).status_code == 200
    cambio = reverse("admin:seguimiento_versiontexto_change", args=[version.pk])
    assert client.get(cambio).status_code == 200
    assert client.post(cambio, {"nuevo": "otro"}).status_code == 403
    borrar = reverse("admin:seguimiento_versiontexto_delete", args=[version.pk])
    assert client.post(borrar, {"post": "yes"}).status_code == 403
    assert VersionTexto.objects.get(pk=version.pk).nuevo == "Editado."
