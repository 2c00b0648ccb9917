"""The public board and the open data (app ``datos``): what anonymous visitors see, the files, their
validators, the Frictionless package and the DCAT catalogue."""

import csv
import datetime
import io
import json
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from weasyprint import HTML

from comisiones.models import Atribucion, Comision
from convenios.models import Compromiso, Convenio
from datos import archivos
from datos.conjuntos import CONJUNTOS
from seguimiento import celdas
from seguimiento.models import Estatus
from seguimiento.templatetags.estatus import flecha

from .conftest import editar_compromiso_en_admin
from .datos_masivos import crear_compromisos
from .factories import (
    AtribucionFactory,
    ComisionFactory,
    CompromisoFactory,
    ConvenioFactory,
    UsuarioFactory,
    registrar_actualizacion,
)

MARCA = "MARCAPRIVADA"
HOY = datetime.date(2024, 5, 2)
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(autouse=True)
def sin_cache():
    """Built files live in the cache under the data's version; every test starts without them."""
    cache.clear()
    yield
    cache.clear()


def urls_publicas(semilla) -> list[str]:
    comision = Comision.objects.get(slug="gobierno-abierto-y-transparencia-proactiva")
    urls = [
        reverse("datos:portal"),
        reverse("datos:convenio", args=[semilla.slug]),
        reverse("datos:comision", args=[comision.slug]),
        reverse("datos:paquete"),
        reverse("datos:catalogo"),
        reverse("datos:catalogo_turtle"),
    ]
    for nombre in CONJUNTOS:
        urls += [reverse("datos:archivo", args=[nombre, f]) for f in ("csv", "json")]
        urls.append(reverse("datos:archivo_excel", args=[nombre]))
        urls.append(reverse("datos:diccionario", args=[nombre]))
    return urls


def leer_csv(respuesta) -> list[dict]:
    return list(csv.DictReader(io.StringIO(respuesta.content.decode("utf-8"))))


@pytest.fixture
def privados(semilla, estatus):
    """Every private field filled with the marker, on published items; and unpublished items whose
    every text carries it. One public note (a positive control) must show."""
    usuario = UsuarioFactory(
        username=f"{MARCA}-usuario",
        first_name=f"{MARCA}-nombre",
        last_name=f"{MARCA}-apellido",
        email=f"{MARCA}@correo.example",
        rol="Capturista",
    )
    compromiso = Compromiso.objects.filter(convenio=semilla).order_by("numero").first()
    atribucion = Atribucion.objects.order_by("pk").first()
    pdf = HTML(string="<p>Oficio</p>").write_pdf()
    for elemento in (compromiso, atribucion):
        registrar_actualizacion(
            elemento,
            estatus=estatus["incumplido"],
            fecha_efectiva=HOY,
            nota=f"{MARCA} nota interna",
            usuario=usuario,
            evidencia=SimpleUploadedFile(f"{MARCA}-oficio.pdf", pdf, content_type="application/pdf"),
            enlace=f"https://{MARCA.lower()}.example/expediente",
            capturado_por_declarado=f"{MARCA} capturista declarado",
        )
        registrar_actualizacion(
            elemento,
            estatus=estatus["en-proceso"],
            fecha_efectiva=HOY,
            nota="Nota pública de control.",
            nota_publica=True,
            usuario=usuario,
        )
    oculto = ConvenioFactory(nombre=f"{MARCA} convenio oculto", slug="oculto", objeto=MARCA, publicado=False)
    registrar_actualizacion(
        CompromisoFactory(convenio=oculto, texto=f"{MARCA} compromiso"),
        estatus=estatus["cumplido"],
        fecha_efectiva=HOY,
        nota=f"{MARCA} pública pero de un convenio oculto",
        nota_publica=True,
    )
    oculta = ComisionFactory(nombre=f"{MARCA} comisión oculta", slug="oculta", publicado=False)
    AtribucionFactory(comision=oculta, texto=f"{MARCA} atribución")
    return {"compromiso": compromiso, "atribucion": atribucion, "oculto": oculto, "oculta": oculta}


@pytest.mark.archivos
def test_no_private_field_reaches_any_public_page_or_file(client, semilla, privados):
    vistas = 0
    for url in urls_publicas(semilla):
        respuesta = client.get(url)
        assert respuesta.status_code == 200, url
        assert MARCA.lower() not in respuesta.content.decode("utf-8").lower(), url
        vistas += 1
    assert vistas == 6 + 4 * len(CONJUNTOS)
    # The controls: the public note is published, on the page and in both history files.
    assert "Nota pública de control." in client.get(reverse("datos:convenio", args=[semilla.slug])).text
    for nombre in ("historial-compromisos", "historial-atribuciones"):
        notas = [f["nota"] for f in leer_csv(client.get(reverse("datos:archivo", args=[nombre, "csv"])))]
        assert "Nota pública de control." in notas
    # Unpublished convenios and commissions have no public page.
    assert client.get(reverse("datos:convenio", args=["oculto"])).status_code == 404
    assert client.get(reverse("datos:comision", args=["oculta"])).status_code == 404


def test_the_portal_summarises_each_published_convenio_and_commission(client, semilla):
    html = client.get(reverse("datos:portal")).content.decode()
    assert semilla.nombre in html
    assert reverse("datos:convenio", args=[semilla.slug]) in html
    assert "Gobierno Abierto y de Transparencia Proactiva" in html
    # The seed convenio's 11 commitments are all favourable: 100.0 % favourable.
    fila = re.search(rf"{re.escape(semilla.nombre)}</a>.*?</th>(.*?)</tr>", html, re.S).group(1)
    assert "100.0 %" in fila
    assert "https://datos.gob.mx/libreusomx" in html and "Cómo citarlos" in html
    semilla.publicado = False
    semilla.save()
    assert semilla.nombre not in client.get(reverse("datos:portal")).content.decode()


def test_each_file_has_one_header_row_iso_dates_and_its_dictionary(client, semilla, estatus):
    # The seed has no duty updates yet: one, so that every file has rows.
    registrar_actualizacion(Atribucion.objects.first(), estatus=estatus["en-proceso"], fecha_efectiva=HOY)
    for nombre, conjunto in CONJUNTOS.items():
        respuesta = client.get(reverse("datos:archivo", args=[nombre, "csv"]))
        assert respuesta["Content-Type"] == "text/csv; charset=utf-8"
        texto = respuesta.content.decode("utf-8")
        assert not texto.startswith("\ufeff")
        filas = list(csv.reader(io.StringIO(texto)))
        assert filas[0] == conjunto.nombres
        assert len(filas) > 1, nombre
        assert all(len(f) == len(conjunto.nombres) for f in filas)
        fechas = [i for i, c in enumerate(conjunto.columnas) if c.tipo == "date"]
        for fila in filas[1:]:
            assert all(ISO.match(fila[i]) for i in fechas if fila[i]), fila
        # The JSON holds the same table (values unescaped, native numbers, missing ones as null).
        encabezado, *registros = json.loads(
            client.get(reverse("datos:archivo", args=[nombre, "json"])).content
        )
        assert encabezado == conjunto.nombres
        for registro, fila in zip(registros, filas[1:], strict=True):
            assert ["" if v is None else celdas.escapar(str(v)) for v in registro] == fila
        diccionario = leer_csv(client.get(reverse("datos:diccionario", args=[nombre])))
        assert [d["columna"] for d in diccionario] == conjunto.nombres
        assert all(d["tipo"] and d["descripcion"] and d["ejemplo"] for d in diccionario)


def test_commitments_file_says_each_current_status(client, semilla, estatus):
    compromiso = Compromiso.objects.get(convenio=semilla, numero=3)
    registrar_actualizacion(compromiso, estatus=estatus["incumplido"], fecha_efectiva=HOY, nota="Motivo.")
    filas = leer_csv(client.get(reverse("datos:archivo", args=["compromisos", "csv"])))
    fila = next(f for f in filas if f["convenio"] == semilla.slug and f["numero"] == "3")
    assert (fila["estatus"], fila["categoria"], fila["fecha_estatus"]) == (
        "Incumplido",
        "desfavorable",
        "2024-05-02",
    )
    historial = leer_csv(client.get(reverse("datos:archivo", args=["historial-compromisos", "csv"])))
    ultima = [f for f in historial if f["convenio"] == semilla.slug and f["numero"] == "3"][-1]
    assert ultima["estatus"] == "Incumplido" and ultima["nota"] == ""  # the note was not marked public


def test_unknown_files_are_404(client, db):
    assert client.get(reverse("datos:archivo", args=["usuarios", "csv"])).status_code == 404
    assert client.get(reverse("datos:archivo", args=["compromisos", "xlsx"])).status_code == 404
    assert client.get(reverse("datos:diccionario", args=["usuarios"])).status_code == 404


URL_CSV = "/datos/archivos/compromisos.csv"


def test_files_carry_etag_and_last_modified_and_answer_304(client, semilla, monkeypatch):
    primera = client.get(URL_CSV)
    assert primera.status_code == 200
    assert primera["ETag"].startswith('"') and primera["Last-Modified"]
    assert primera["Cache-Control"] == "public, no-cache"

    # A conditional GET is answered from the version alone: one query, and the file is never built.
    def no_construir(*args, **kwargs):
        raise AssertionError("se construyó el archivo para responder 304")

    monkeypatch.setattr(archivos, "construir", no_construir)
    for encabezado in (
        {"HTTP_IF_NONE_MATCH": primera["ETag"]},
        {"HTTP_IF_MODIFIED_SINCE": primera["Last-Modified"]},
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as consultas:
            respuesta = client.get(URL_CSV, **encabezado)
        assert respuesta.status_code == 304
        assert respuesta.content == b""
        assert respuesta["ETag"] == primera["ETag"]
        assert len(consultas) == 1, [c["sql"] for c in consultas]


def test_files_change_only_when_the_published_data_changes(client, semilla, estatus):
    primera = client.get(URL_CSV)
    cache.clear()
    otra = client.get(URL_CSV)
    assert (otra["ETag"], otra.content) == (primera["ETag"], primera.content), "mismo dato, mismo archivo"

    # An update of an unpublished convenio changes nothing public.
    oculto = ConvenioFactory(publicado=False)
    compromiso_oculto = CompromisoFactory(convenio=oculto)
    etag = client.get(URL_CSV)["ETag"]
    registrar_actualizacion(compromiso_oculto, estatus=estatus["cumplido"], fecha_efectiva=HOY)
    assert client.get(URL_CSV, HTTP_IF_NONE_MATCH=etag).status_code == 304

    # A published one does.
    compromiso = Compromiso.objects.filter(convenio=semilla).first()
    registrar_actualizacion(compromiso, estatus=estatus["pendiente"], fecha_efectiva=HOY)
    nueva = client.get(URL_CSV, HTTP_IF_NONE_MATCH=etag)
    assert nueva.status_code == 200 and nueva["ETag"] != etag and nueva.content != primera.content

    # Publishing or withdrawing a convenio too.
    etag = nueva["ETag"]
    oculto.publicado = True
    oculto.save()
    assert client.get(URL_CSV, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_an_admin_edit_changes_the_etag(admin_client, client, semilla, admin_user):
    etag = client.get(URL_CSV)["ETag"]
    # An admin edit of something no file shows (a user) changes nothing.
    LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(admin_user),
        object_id=str(admin_user.pk),
        object_repr=admin_user.username,
        action_flag=CHANGE,
    )
    assert client.get(URL_CSV, HTTP_IF_NONE_MATCH=etag).status_code == 304
    compromiso = Compromiso.objects.filter(convenio=semilla).order_by("numero").first()
    editar_compromiso_en_admin(admin_client, compromiso, texto="Texto corregido en la administración.")
    nueva = client.get(URL_CSV, HTTP_IF_NONE_MATCH=etag)
    assert nueva.status_code == 200
    assert "Texto corregido en la administración." in nueva.content.decode()


@pytest.mark.parametrize("compromisos", [200, 2000])
def test_the_portal_takes_at_most_ten_queries_whatever_the_size(
    client, semilla, compromisos, django_assert_max_num_queries
):
    crear_compromisos(compromisos, compromisos * 5, por_convenio=50)
    with django_assert_max_num_queries(10):
        respuesta = client.get(reverse("datos:portal"))
    assert respuesta.content.decode().count('href="/datos/convenios/') == Convenio.objects.count()


def test_convenio_page_shows_commitments_and_their_public_history(client, semilla, estatus):
    compromiso = Compromiso.objects.get(convenio=semilla, numero=1)
    registrar_actualizacion(
        compromiso,
        estatus=estatus["cumplido"],
        fecha_efectiva=HOY,
        nota="Publicado en el portal.",
        nota_publica=True,
    )
    html = client.get(reverse("datos:convenio", args=[semilla.slug])).content.decode()
    assert "COMPROMISOS GOB- TAM" in html
    assert "Publicado en el portal." in html
    assert '<time datetime="2024-05-02">2 de mayo de 2024</time>' in html
    assert f"En cumplimiento{flecha()}" in html  # the status change, from the previous status


def test_capturista_marks_a_note_public_in_the_form(client, semilla, estatus):
    capturista = UsuarioFactory(rol="Capturista")
    client.force_login(capturista)
    compromiso = Compromiso.objects.filter(convenio=semilla).first()
    url = reverse("convenios:actualizar", args=[compromiso.pk])
    assert "Nota pública" in client.get(url).content.decode()
    for publica, version in ((True, compromiso.version), (False, compromiso.version + 1)):
        datos = {"estatus": "en-proceso", "fecha": "2024-05-02", "nota": "Avance.", "version": version}
        if publica:
            datos["nota_publica"] = "on"
        assert client.post(url, datos).status_code == 302
        assert compromiso.actualizaciones.recientes_primero().first().nota_publica is publica
    # Staff see in the history which note is public.
    historial = client.get(reverse("convenios:historial", args=[compromiso.pk])).content.decode()
    assert historial.count("(nota pública: se muestra en el tablero)") == 1


def test_the_turtle_catalogue_says_the_same_as_the_json_ld(client, semilla):
    import rdflib
    from rdflib.compare import isomorphic

    jsonld = client.get(reverse("datos:catalogo"))
    turtle = client.get(reverse("datos:catalogo_turtle"))
    assert turtle["Content-Type"] == "text/turtle; charset=utf-8"
    assert turtle["ETag"] and turtle["ETag"] != jsonld["ETag"]
    assert client.get(reverse("datos:catalogo_turtle"), HTTP_IF_NONE_MATCH=turtle["ETag"]).status_code == 304
    assert b"dcat:Dataset" in turtle.content
    assert isomorphic(
        rdflib.Graph().parse(data=turtle.content, format="turtle"),
        rdflib.Graph().parse(data=jsonld.content, format="json-ld"),
    )


def test_catalogue_is_dcat_with_every_field_datos_gob_mx_requires(client, semilla):
    import rdflib
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

    VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")

    respuesta = client.get(reverse("datos:catalogo"))
    assert respuesta["Content-Type"] == "application/ld+json"
    grafo = rdflib.Graph().parse(data=respuesta.content, format="json-ld")
    (catalogo,) = grafo.subjects(RDF.type, DCAT.Catalog)
    conjuntos = list(grafo.objects(catalogo, DCAT.dataset))
    # Besides the data sets, the record's chain head (issue 22): a JSON that changes with every record,
    # so it declares neither a modification date nor a size (the catalogue's version does not follow it).
    (cadena,) = [c for c in conjuntos if str(c).endswith("#conjunto-integridad")]
    conjuntos.remove(cadena)
    (distribucion,) = grafo.objects(cadena, DCAT.distribution)
    assert client.get(str(grafo.value(distribucion, DCAT.downloadURL))).status_code == 200
    assert len(conjuntos) == len(CONJUNTOS)
    requeridos = [
        DCTERMS.identifier,
        DCTERMS.title,
        DCTERMS.description,
        DCAT.keyword,
        DCTERMS.modified,
        DCAT.contactPoint,
        DCAT.landingPage,
        DCTERMS.accrualPeriodicity,
        DCTERMS.publisher,
        DCTERMS.license,
    ]
    for conjunto in conjuntos:
        for propiedad in requeridos:
            assert grafo.value(conjunto, propiedad) is not None, (conjunto, propiedad)
        contacto = grafo.value(conjunto, DCAT.contactPoint)
        assert str(grafo.value(contacto, VCARD.hasEmail)).startswith("mailto:")
        assert grafo.value(grafo.value(conjunto, DCTERMS.publisher), FOAF.name) is not None
        assert str(grafo.value(conjunto, DCTERMS.license)) == "https://datos.gob.mx/libreusomx"
        distribuciones = list(grafo.objects(conjunto, DCAT.distribution))
        assert len(distribuciones) == 3
        for distribucion in distribuciones:
            for propiedad in (DCTERMS.title, DCAT.downloadURL, DCAT.mediaType, DCTERMS.format, DCAT.byteSize):
                assert grafo.value(distribucion, propiedad) is not None, (distribucion, propiedad)
            descarga = client.get(str(grafo.value(distribucion, DCAT.downloadURL)))
            assert descarga.status_code == 200
            assert int(grafo.value(distribucion, DCAT.byteSize)) == len(descarga.content)
            medio = str(grafo.value(distribucion, DCAT.mediaType))
            assert medio.startswith("https://www.iana.org/assignments/media-types/")
            assert descarga["Content-Type"].startswith(
                medio.removeprefix("https://www.iana.org/assignments/media-types/")
            )


@pytest.mark.django_db(transaction=True)
def test_frictionless_validates_the_package_downloading_every_resource(live_server, monkeypatch):
    frictionless = pytest.importorskip("frictionless")
    from django.core.management import call_command
    from django.db import connections

    from .conftest import restaurar_datos_de_migraciones

    restaurar_datos_de_migraciones()
    call_command("cargar_semilla", stdout=io.StringIO())
    compromiso = Compromiso.objects.order_by("pk").first()
    registrar_actualizacion(
        compromiso,
        estatus=Estatus.objects.get(slug="incumplido"),
        fecha_efectiva=HOY,
        nota='=HYPERLINK("x") con comillas, comas y\nsalto de línea',
        nota_publica=True,
    )
    if connections["default"].vendor == "postgresql":
        # The server's threads close their database connection after each request: frictionless keeps
        # its HTTP connection alive, and a thread waiting on it would keep a session open past the test.
        # (SQLite's in-memory test database is one connection the server shares: nothing to close.)
        monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    paquete = frictionless.Package(f"{live_server.url}/datos/datapackage.json")
    assert {r.name for r in paquete.resources} >= {"compromisos", "historial-atribuciones-json"}
    assert all(r.path.startswith(live_server.url) for r in paquete.resources)
    assert paquete.licenses[0]["path"] == "https://datos.gob.mx/libreusomx"
    informe = paquete.validate()
    assert informe.valid, informe.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    filas = paquete.get_resource("compromisos").read_rows()
    assert len(filas) == Compromiso.objects.count()
    assert isinstance(filas[0]["numero"], int)


@pytest.mark.parametrize("compromisos", [50, 1000])
def test_a_convenio_page_takes_the_same_queries_whatever_its_size(
    client, db, compromisos, django_assert_max_num_queries
):
    crear_compromisos(compromisos, compromisos * 5, por_convenio=compromisos)
    convenio = Convenio.objects.get()
    with django_assert_max_num_queries(8):
        respuesta = client.get(reverse("datos:convenio", args=[convenio.slug]))
    assert respuesta.content.decode().count('<tr id="compromiso-') == compromisos


def test_an_import_that_changes_a_text_changes_the_etag_and_the_file(client, usuarios):
    """An import is a door like the admin: it is logged, so the files' version moves with it."""
    from .test_importacion import importar_un_compromiso

    importar_un_compromiso("Texto uno.", usuarios["capturista"])
    antes = client.get(URL_CSV)
    assert "Texto uno." in antes.content.decode()
    importar_un_compromiso("Texto corregido por importación.", usuarios["capturista"])
    despues = client.get(URL_CSV, HTTP_IF_NONE_MATCH=antes["ETag"])
    assert despues.status_code == 200 and despues["ETag"] != antes["ETag"]
    assert "Texto corregido por importación." in despues.content.decode()


# --- One version per data set (issue 24, item 13) -------------------------------------------------


def validadores(client, nombre: str) -> tuple[str, str, str | None]:
    """ETag, Last-Modified and the dataset's dct:modified in the catalogue."""
    import rdflib
    from rdflib.namespace import DCTERMS

    respuesta = client.get(f"/datos/archivos/{nombre}.csv")
    grafo = rdflib.Graph().parse(data=client.get(reverse("datos:catalogo")).content, format="json-ld")
    conjunto = next(
        s for s, o in grafo.subject_objects(DCTERMS.identifier) if str(o) == f"seguimiento-{nombre}"
    )
    modificado = grafo.value(conjunto, DCTERMS.modified)
    return respuesta["ETag"], respuesta["Last-Modified"], str(modificado) if modificado else None


@pytest.mark.parametrize(
    ("lado", "movidos", "quietos"),
    [
        ("compromiso", ["compromisos", "historial-compromisos"], ["convenios", "comisiones", "atribuciones"]),
        (
            "atribucion",
            ["atribuciones", "historial-atribuciones"],
            ["convenios", "comisiones", "compromisos"],
        ),
    ],
)
def test_an_update_moves_only_its_own_files_version(
    client, semilla, estatus, mas_tarde, lado, movidos, quietos
):
    antes = {n: validadores(client, n) for n in movidos + quietos}
    elemento = (
        Compromiso.objects.filter(convenio=semilla).first()
        if lado == "compromiso"
        else Atribucion.objects.filter(comision__publicado=True).first()
    )
    mas_tarde()
    registrar_actualizacion(elemento, estatus=estatus["pendiente"], fecha_efectiva=HOY)
    despues = {n: validadores(client, n) for n in movidos + quietos}
    for nombre in quietos:
        assert despues[nombre] == antes[nombre], nombre
    for nombre in movidos:
        etag, modificado, dct = despues[nombre]
        assert etag != antes[nombre][0] and modificado != antes[nombre][1] and dct != antes[nombre][2], nombre


@pytest.mark.parametrize(("contenedor", "archivo"), [("convenio", "convenios"), ("comision", "comisiones")])
def test_publishing_outside_the_admin_moves_last_modified_with_the_etag(client, db, contenedor, archivo):
    oculto = (
        ConvenioFactory(publicado=False) if contenedor == "convenio" else ComisionFactory(publicado=False)
    )
    etag, modificado, dct = validadores(client, archivo)
    oculto.publicado = True
    oculto.save()
    nuevo_etag, nuevo_modificado, nuevo_dct = validadores(client, archivo)
    assert nuevo_etag != etag and nuevo_modificado != modificado and nuevo_dct != dct
    assert client.get(f"/datos/archivos/{archivo}.csv", HTTP_IF_MODIFIED_SINCE=modificado).status_code == 200
    # And it stays put while nothing changes (the moment is remembered, not the clock's).
    assert validadores(client, archivo) == (nuevo_etag, nuevo_modificado, nuevo_dct)


@pytest.mark.parametrize(
    ("archivo", "crear", "contenedor"),
    [
        ("historial-compromisos", lambda c: CompromisoFactory(convenio=c), "convenio"),
        ("historial-atribuciones", lambda c: AtribucionFactory(comision=c), "comision"),
    ],
)
def test_public_history_is_numbered_per_item_without_gaps_from_unpublished_activity(
    client, db, estatus, archivo, crear, contenedor
):
    fabrica = ConvenioFactory if contenedor == "convenio" else ComisionFactory
    publico, oculto = fabrica(publicado=True), fabrica(publicado=False)
    visible, escondido = crear(publico), crear(oculto)
    for dia in (1, 2, 3):
        # Activity on the hidden item between the public ones: internal ids leave gaps.
        registrar_actualizacion(escondido, estatus=estatus["en-proceso"], fecha_efectiva=HOY.replace(day=dia))
        registrar_actualizacion(visible, estatus=estatus["en-proceso"], fecha_efectiva=HOY.replace(day=dia))
    filas = leer_csv(client.get(f"/datos/archivos/{archivo}.csv"))
    assert "id" not in filas[0]
    assert [f["secuencia"] for f in filas] == ["1", "2", "3"]
    assert {f[contenedor] for f in filas} == {publico.slug}
    ids_internos = set(visible.actualizaciones.values_list("pk", flat=True))
    assert not {int(f["secuencia"]) for f in filas} - {1, 2, 3} and max(ids_internos) > 3


# --- DCAT-AP 3 (issue 24, item 12) -----------------------------------------------------------------

FORMAS_DCAT_AP = ("shapes.ttl", "shapes_recommended.ttl", "range.ttl", "mdr-vocabularies.shape.ttl")


def test_the_catalogue_conforms_to_the_dcat_ap_3_shapes(client, semilla, estatus):
    """The published DCAT-AP 3.0.1 SHACL shapes (tests/vendor/dcat-ap-3.0.1/), offline: every value
    a range or vocabulary check needs (classes, schemes) is stated in the catalogue itself."""
    from pathlib import Path

    import pyshacl
    import rdflib
    from rdflib.namespace import DCAT, DCTERMS, RDF, SH

    atribucion = Atribucion.objects.filter(comision__publicado=True).first()
    registrar_actualizacion(atribucion, estatus=estatus["en-proceso"], fecha_efectiva=HOY)
    datos = rdflib.Graph().parse(data=client.get(reverse("datos:catalogo")).content, format="json-ld")
    formas = rdflib.Graph()
    for nombre in FORMAS_DCAT_AP:
        formas.parse(Path(__file__).parent / "vendor" / "dcat-ap-3.0.1" / nombre)
    conforme, resultados, texto = pyshacl.validate(datos, shacl_graph=formas, allow_warnings=True)
    (informe,) = resultados.subjects(RDF.type, SH.ValidationReport)
    severidades = {resultados.value(r, SH.resultSeverity) for r in resultados.objects(informe, SH.result)}
    assert conforme and severidades <= {SH.Warning}, texto
    # The only warnings are recommendations that do not apply: the EU's list of corporate bodies names EU
    # institutions (a Mexican state office is not one), a bounding box of Mexico, an end date of
    # data still growing; and a period of time for the record's chain head, which has none (one value).
    avisos = {
        (str(resultados.value(r, SH.focusNode)), str(resultados.value(r, SH.resultPath)))
        for r in resultados.objects(informe, SH.result)
    }
    permitidos = {str(DCTERMS.publisher), str(DCAT.bbox), str(DCAT.centroid), str(DCAT.endDate)}
    assert all(
        ruta in permitidos or (nodo.endswith("#conjunto-integridad") and ruta == str(DCTERMS.temporal))
        for nodo, ruta in avisos
    ), texto


def test_a_ckan_harvester_reads_the_licence_title_and_the_vocabularies(client, semilla):
    """What ckanext-dcat's parser reads: the licence IRI with its dct:title, language, frequency, format
    and media type as IRIs of the EU and IANA vocabularies, publisher a foaf:Organization."""
    import rdflib
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

    grafo = rdflib.Graph().parse(data=client.get(reverse("datos:catalogo_turtle")).content, format="turtle")
    eu = "http://publications.europa.eu/resource/authority/"
    for conjunto in grafo.subjects(RDF.type, DCAT.Dataset):
        licencia = grafo.value(conjunto, DCTERMS.license)
        assert str(licencia) == "https://datos.gob.mx/libreusomx"
        assert str(grafo.value(licencia, DCTERMS.title)) == "Libre Uso MX"
        assert (licencia, RDF.type, DCTERMS.LicenseDocument) in grafo
        assert str(grafo.value(conjunto, DCTERMS.language)) == f"{eu}language/SPA"
        assert str(grafo.value(conjunto, DCTERMS.accrualPeriodicity)) == f"{eu}frequency/IRREG"
        assert str(grafo.value(conjunto, DCTERMS.spatial)) == f"{eu}country/MEX"
        assert str(grafo.value(conjunto, DCAT.theme)) == f"{eu}data-theme/GOVE"
        assert (grafo.value(conjunto, DCTERMS.publisher), RDF.type, FOAF.Organization) in grafo
        for distribucion in grafo.objects(conjunto, DCAT.distribution):
            assert str(grafo.value(distribucion, DCTERMS.format)).startswith(f"{eu}file-type/")
            assert grafo.value(distribucion, DCTERMS.description) is not None
    (catalogo,) = grafo.subjects(RDF.type, DCAT.Catalog)
    assert grafo.value(catalogo, DCTERMS.issued) is not None


def test_every_data_set_says_what_its_version_depends_on():
    from datos.version import DEPENDE_DE

    assert set(DEPENDE_DE) == set(CONJUNTOS)
