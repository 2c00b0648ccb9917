"""Reports as HTML and PDF: the seed report word for word, dated, reproducible as issued."""

import datetime
import hashlib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from comisiones.models import Atribucion, Comision
from convenios.models import Compromiso
from reportes.models import InformeEmitido
from seguimiento.models import Estatus
from seguimiento.templatetags.fechas import fecha_larga

from .factories import CompromisoFactory, ConvenioFactory, registrar_actualizacion
from .test_semilla import INFORME, SEMILLAS, normalizar

SEMILLA_FECHA = "2020-02-07"
COMISION = "gobierno-abierto-y-transparencia-proactiva"


def celdas_de_la_semilla() -> list[str]:
    """Every sentence of the seed report, normalised as tests/test_semilla.py does."""
    texto = (SEMILLAS / INFORME).read_text(encoding="utf-8")
    celdas = [normalizar(celda).strip("*") for celda in re.split(r"\t|\n", texto)]
    return [celda for celda in celdas if celda]


def leer_pdf(contenido: bytes) -> PdfReader:
    assert contenido.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(contenido))


def texto_de(pagina) -> str:
    return " ".join(pagina.extract_text().split())


def texto_pdf(contenido: bytes) -> str:
    return " ".join(texto_de(p) for p in leer_pdf(contenido).pages)


def descargar(client, convenio, fecha=SEMILLA_FECHA):
    respuesta = client.post(reverse("reportes:informe_pdf", args=[convenio.slug]), {"fecha": fecha})
    assert respuesta.status_code == 200, respuesta.content[:500]
    assert respuesta["Content-Type"] == "application/pdf"
    return respuesta


@pytest.mark.archivos
def test_the_seed_pdf_contains_every_sentence_of_the_seed_report(client, semilla, gerente):
    texto = texto_pdf(descargar(client, semilla).content)
    for celda in celdas_de_la_semilla():
        assert celda in texto, celda
    assert "INFORME DE SEGUIMIENTO DE CONVENIO" in texto
    assert "Fecha de Actualización: 7 de febrero de 2020" in texto
    assert texto.count("En cumplimiento") == 11


@pytest.mark.archivos
def test_the_pdf_is_named_after_the_convenio_and_the_date(client, semilla, gerente):
    respuesta = descargar(client, semilla)
    assert respuesta["Content-Disposition"] == (
        'attachment; filename="informe-seguimiento-convenio-de-colaboracion-www-datos-gob-mx-2020-02-07.pdf"'
    )


@pytest.mark.archivos
def test_every_page_carries_name_page_number_timestamp_folio_and_code(client, semilla, gerente):
    respuesta = descargar(client, semilla)
    informe = InformeEmitido.objects.get()
    paginas = leer_pdf(respuesta.content).pages
    assert len(paginas) >= 2
    for numero, pagina in enumerate(paginas, start=1):
        texto = texto_de(pagina)
        assert f"Página {numero} de {len(paginas)}" in texto
        assert semilla.nombre in texto
        assert f"Folio {informe.folio}" in texto
        assert f"Código de verificación {informe.codigo_legible}" in texto
        assert f"Generado el {fecha_larga(informe.emitido_en)}" in texto


@pytest.mark.archivos
def test_the_pdf_is_tagged_with_metadata_and_embedded_spanish_fonts(client, semilla, gerente, settings):
    lector = leer_pdf(descargar(client, semilla).content)
    assert lector.metadata.title == f"Informe de Seguimiento de Convenio · {semilla.nombre}"
    assert lector.metadata.author == settings.INSTITUCION
    raiz = lector.trailer["/Root"]
    assert raiz["/Lang"] == "es-MX"
    assert bool(raiz["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in raiz
    assert b"pdfuaid" in raiz["/Metadata"].get_object().get_data()
    fuentes = set()
    for pagina in lector.pages:
        for fuente in pagina["/Resources"]["/Font"].values():
            fuente = fuente.get_object()
            descriptor = fuente["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, "la fuente no está incrustada"
            fuentes.add(str(fuente["/BaseFont"]).split("+")[-1])
    assert fuentes and all(f.startswith("DejaVu") for f in fuentes), fuentes


@pytest.mark.archivos
def test_a_new_update_shows_today_while_the_seed_date_report_is_unchanged(client, semilla, gerente, estatus):
    antes = texto_pdf(descargar(client, semilla).content)
    compromiso = Compromiso.objects.get(convenio=semilla, numero=1)
    registrar_actualizacion(
        compromiso, estatus=estatus["incumplido"], fecha_efectiva=timezone.localdate(), nota="Sin avances."
    )

    hoy = texto_pdf(descargar(client, semilla, fecha=timezone.localdate().isoformat()).content)
    assert "Incumplido" in hoy
    assert f"Fecha de Actualización: {fecha_larga(timezone.localdate())}" in hoy

    despues = texto_pdf(descargar(client, semilla).content)
    assert "Incumplido" not in despues
    assert sin_emision(despues) == sin_emision(antes)
    for celda in celdas_de_la_semilla():
        assert celda in despues, celda


def sin_emision(texto: str) -> str:
    """The report's text without what differs between two downloads (folio, code, timestamp, and the
    record's chain head at issue time)."""
    texto = re.sub(r"Cadena del registro al emitir\s+(?:[0-9a-f]\s*){64}", "CADENA ", texto)
    texto = re.sub(r"IS-\d{4}-\d{6,}", "FOLIO", texto)
    texto = re.sub(r"[0-9A-F]{4}-[0-9A-F]{4}", "CODIGO", texto)
    return re.sub(r"Generado el \d+ de \w+ de \d{4}, \d\d:\d\d", "GENERADO", texto)


def test_the_html_report_shows_the_status_as_it_stood_on_the_date(client, semilla, gerente, estatus):
    compromiso = Compromiso.objects.get(convenio=semilla, numero=2)
    registrar_actualizacion(compromiso, estatus=estatus["cumplido"], fecha_efectiva=datetime.date(2021, 3, 1))
    url = reverse("reportes:informe", args=[semilla.slug])

    en_2020 = normalizar(client.get(url, {"fecha": SEMILLA_FECHA}).content.decode())
    en_2021 = normalizar(client.get(url, {"fecha": "2021-06-30"}).content.decode())
    antes = normalizar(client.get(url, {"fecha": "2019-01-01"}).content.decode())

    assert "Cumplido" not in en_2020 and "Fecha de Actualización: 7 de febrero de 2020" in en_2020
    assert "Cumplido" in en_2021 and "Fecha de Actualización: 1 de marzo de 2021" in en_2021
    assert antes.count("Sin estatus") == 11
    assert "Fecha de Actualización: sin actualizaciones al 1 de enero de 2019" in antes


# Issued reports: registered, verifiable, regenerated as issued.


@pytest.mark.archivos
def test_a_download_registers_the_issued_report_with_the_hash_of_its_bytes(client, semilla, gerente):
    respuesta = descargar(client, semilla)
    informe = InformeEmitido.objects.get()
    assert informe.convenio == semilla and informe.emitido_por == gerente
    assert informe.fecha == datetime.date(2020, 2, 7) and informe.tipo == InformeEmitido.Tipo.CONVENIO
    assert informe.sha256 == hashlib.sha256(respuesta.content).hexdigest()
    assert re.fullmatch(r"IS-\d{4}-\d{6}", informe.folio)


@pytest.mark.archivos
def test_the_regenerated_report_is_byte_identical_even_after_a_back_dated_update(
    client, semilla, gerente, estatus, mas_tarde
):
    emitido = descargar(client, semilla).content
    informe = InformeEmitido.objects.get()
    compromiso = Compromiso.objects.get(convenio=semilla, numero=3)
    registrar_actualizacion(
        compromiso,
        estatus=estatus["incumplido"],
        fecha_efectiva=datetime.date(2020, 2, 7),
        nota="Corrección registrada después de la emisión.",
        registrado_en=timezone.now(),
    )
    assert compromiso.ultima_actualizacion.registrado_en > informe.emitido_en
    assert "Incumplido" in texto_pdf(descargar(client, semilla).content), "un informe nuevo sí lo muestra"

    mas_tarde()
    regenerado = client.get(reverse("reportes:regenerar", args=[informe.folio]))
    assert regenerado.status_code == 200
    assert "Incumplido" not in texto_pdf(regenerado.content)
    assert texto_pdf(regenerado.content) == texto_pdf(emitido)
    assert regenerado.content == emitido
    assert regenerado["X-Coincide-Con-Emitido"] == "si"
    assert InformeEmitido.objects.count() == 2, "regenerar no emite un informe nuevo"


def verificar(client, **datos):
    respuesta = client.post(reverse("reportes:verificar"), datos)
    assert respuesta.status_code == 200
    return normalizar(respuesta.content.decode())


@pytest.mark.archivos
def test_a_folio_with_its_code_is_authentic_and_says_which_report(client, semilla, gerente):
    descargar(client, semilla)
    informe = InformeEmitido.objects.get()
    pagina = verificar(client, folio=informe.folio.lower(), codigo=informe.codigo_legible)
    assert "Informe auténtico" in pagina and semilla.nombre in pagina and informe.sha256 in pagina
    pagina = verificar(client, folio=informe.folio, codigo="0000-0000")
    assert "No se pudo verificar" in pagina and "Informe auténtico" not in pagina


@pytest.mark.archivos
def test_an_uploaded_pdf_is_authentic_only_if_unaltered(client, semilla, gerente):
    contenido = descargar(client, semilla).content
    informe = InformeEmitido.objects.get()
    pagina = verificar(client, archivo=SimpleUploadedFile("informe.pdf", contenido))
    assert "Informe auténtico" in pagina and informe.folio in pagina
    alterado = contenido.replace(b"En cumplimiento", b"En cumplimientX", 1)
    pagina = verificar(client, archivo=SimpleUploadedFile("informe.pdf", alterado + b"\n"))
    assert "No se pudo verificar" in pagina and "fue modificado" in pagina


@pytest.mark.parametrize("datos", [{}, {"folio": "IS-2020-000001"}, {"codigo": "ABCD-1234"}])
def test_verification_asks_for_folio_and_code_or_a_file(client, gerente, datos):
    pagina = verificar(client, **datos)
    assert "Escriba el folio y el código de verificación" in pagina


@pytest.mark.parametrize("folio", ["nada", "IS-1999-000001", "IS-2020-99999999", "../x"])
def test_an_unknown_folio_is_not_found_for_regeneration(client, gerente, folio):
    assert client.get(f"/reportes/emitidos/{folio}/pdf/").status_code == 404


# Bad input: 404 and 400 with a Spanish message, never a 500.


def rutas(semilla):
    return {
        "informe": reverse("reportes:informe", args=[semilla.slug]),
        "informe_pdf": reverse("reportes:informe_pdf", args=[semilla.slug]),
        "consolidado": reverse("reportes:consolidado"),
        "consolidado_pdf": reverse("reportes:consolidado_pdf"),
        "comision": reverse("reportes:comision", args=[COMISION]),
        "comision_pdf": reverse("reportes:comision_pdf", args=[COMISION]),
    }


@pytest.mark.parametrize("nombre", ["informe", "informe_pdf", "comision", "comision_pdf"])
def test_an_unknown_slug_is_not_found(client, gerente, semilla, nombre):
    assert client.get(reverse(f"reportes:{nombre}", args=["no-existe"])).status_code == 404


@pytest.mark.parametrize(
    "nombre", ["informe", "informe_pdf", "consolidado", "consolidado_pdf", "comision", "comision_pdf"]
)
@pytest.mark.parametrize(
    ("fecha", "mensaje"),
    [
        ("07/02/2020", "no es válida; use el formato AAAA-MM-DD"),
        ("2020-02-30", "no es válida"),
        ("mañana", "no es válida"),
        ("9999-12-31", "está en el futuro"),
        ("x" * 500, "no es válida"),
    ],
)
def test_a_malformed_or_future_date_is_a_400_with_a_spanish_message(
    client, gerente, semilla, nombre, fecha, mensaje
):
    respuesta = client.get(rutas(semilla)[nombre], {"fecha": fecha})
    assert respuesta.status_code == 400
    assert mensaje in respuesta.content.decode()
    assert not InformeEmitido.objects.exists()


def test_tomorrow_is_already_the_future(client, gerente, semilla):
    manana = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert client.get(rutas(semilla)["informe"], {"fecha": manana}).status_code == 400
    assert (
        client.get(rutas(semilla)["informe"], {"fecha": timezone.localdate().isoformat()}).status_code == 200
    )


def test_a_date_before_the_convenio_started_says_so(client, gerente, semilla):
    for nombre in ("informe", "informe_pdf"):
        respuesta = client.get(rutas(semilla)[nombre], {"fecha": "2017-05-02"})
        assert respuesta.status_code == 400
        assert "El convenio inició el 2017-05-03" in respuesta.content.decode()
    assert client.get(rutas(semilla)["informe"], {"fecha": "2017-05-03"}).status_code == 200


# Consolidated and commission reports.


def test_the_consolidated_report_counts_by_category_and_favourable_share(client, gerente, semilla, estatus):
    convenio = ConvenioFactory(nombre="Convenio de medición", fecha_inicio=datetime.date(2021, 1, 1))
    c1, c2, c3, _c4 = (CompromisoFactory(convenio=convenio) for _ in range(4))
    registrar_actualizacion(c1, estatus=estatus["cumplido"], fecha_efectiva=datetime.date(2021, 2, 1))
    registrar_actualizacion(c2, estatus=estatus["en-cumplimiento"], fecha_efectiva=datetime.date(2021, 5, 1))
    registrar_actualizacion(
        c3, estatus=estatus["incumplido"], fecha_efectiva=datetime.date(2021, 2, 1), nota="No."
    )

    def fila(fecha):
        pagina = normalizar(client.get(reverse("reportes:consolidado"), {"fecha": fecha}).content.decode())
        return pagina

    # favorable, en proceso, desfavorable, no aplica, sin estatus, total, % favorable
    assert "Convenio de medición 2 0 1 0 1 4 50.0 %" in fila("2021-06-01")
    assert "Convenio de medición 1 0 1 0 2 4 25.0 %" in fila("2021-03-01")
    assert "Convenio de Colaboración WWW.DATOS.GOB.MX. 11 0 0 0 0 11 100.0 %" in fila("2021-03-01")
    assert "Convenio de medición" not in fila("2020-12-31"), "aún no iniciaba"
    assert "Total 12 0 1 0 2 15 80.0 %" in fila("2021-03-01")


@pytest.mark.archivos
def test_the_commission_report_lists_duties_by_subject_with_their_status(client, gerente, semilla, estatus):
    comision = Comision.objects.get(slug=COMISION)
    atribucion = Atribucion.objects.filter(comision=comision).order_by("numero").first()
    registrar_actualizacion(
        atribucion, estatus=estatus["en-proceso"], fecha_efectiva=datetime.date(2024, 1, 10)
    )
    url = reverse("reportes:comision", args=[COMISION])

    pagina = normalizar(client.get(url).content.decode())
    for materia in comision.atribuciones.values_list("materia", flat=True).distinct():
        assert str(Atribucion.Materia(materia).label) in pagina
    for a in comision.atribuciones.all():
        assert a.texto in pagina
    assert "En proceso" in pagina and pagina.count("Sin estatus") == 8
    assert "Fecha de Actualización: 10 de enero de 2024" in pagina
    antes = normalizar(client.get(url, {"fecha": "2023-12-31"}).content.decode())
    assert "En proceso" not in antes and antes.count("Sin estatus") == 9

    respuesta = client.post(reverse("reportes:comision_pdf", args=[COMISION]))
    assert respuesta["Content-Disposition"].endswith(
        f'informe-comision-{COMISION}-{timezone.localdate()}.pdf"'
    )
    texto = texto_pdf(respuesta.content)
    assert comision.nombre in texto and "En proceso" in texto
    assert InformeEmitido.objects.get().comision == comision


@pytest.mark.archivos
def test_the_consolidated_pdf_is_registered_and_named_by_date(client, gerente, semilla):
    respuesta = client.post(reverse("reportes:consolidado_pdf"), {"fecha": "2021-01-01"})
    assert respuesta["Content-Disposition"] == 'attachment; filename="informe-consolidado-2021-01-01.pdf"'
    assert "INFORME CONSOLIDADO DE CONVENIOS" in texto_pdf(respuesta.content)
    informe = InformeEmitido.objects.get()
    assert informe.tipo == InformeEmitido.Tipo.CONSOLIDADO and informe.convenio is None


# Query counts do not grow with the data.


def con_historial(elementos) -> None:
    """Two updates each, so a query per row (status, who, previous status) would show in the count."""
    en_proceso, incumplido = Estatus.objects.get(slug="en-proceso"), Estatus.objects.get(slug="incumplido")
    for elemento in elementos:
        registrar_actualizacion(elemento, estatus=en_proceso, fecha_efectiva=datetime.date(2020, 1, 6))
        registrar_actualizacion(
            elemento, estatus=incumplido, fecha_efectiva=datetime.date(2020, 1, 7), nota="No"
        )


def convenio_con(n: int):
    convenio = ConvenioFactory()
    con_historial(CompromisoFactory.create_batch(n, convenio=convenio))
    return convenio


@pytest.mark.parametrize("n", [5, 120])
def test_the_report_page_needs_the_same_queries_at_any_size(
    client, gerente, n, django_assert_max_num_queries
):
    convenio = convenio_con(n)
    with django_assert_max_num_queries(8):
        respuesta = client.get(reverse("reportes:informe", args=[convenio.slug]))
    assert respuesta.status_code == 200 and respuesta.content.decode().count("Incumplido") >= n


@pytest.mark.parametrize("n", [2, 40])
def test_the_consolidated_page_needs_the_same_queries_at_any_size(
    client, gerente, n, django_assert_max_num_queries
):
    for _ in range(n):
        convenio_con(3)
    with django_assert_max_num_queries(8):  # one of them replays the history for the 24-month trend
        assert client.get(reverse("reportes:consolidado")).status_code == 200


@pytest.mark.parametrize("n", [1, 60])
def test_the_commission_page_needs_the_same_queries_at_any_size(
    client, gerente, semilla, n, django_assert_max_num_queries
):
    comision = Comision.objects.get(slug=COMISION)
    con_historial(
        Atribucion.objects.create(comision=comision, materia="ambas", numero=100 + i, texto=f"Atribución {i}")
        for i in range(n)
    )
    with django_assert_max_num_queries(7):
        respuesta = client.get(reverse("reportes:comision", args=[COMISION]))
    assert respuesta.status_code == 200 and respuesta.content.decode().count("Incumplido") >= n
