"""The lists of followed-up items through ONE pipeline (``seguimiento.filters``, ``.tables``, ``.listas``):
the commission duties page (``comisiones:atribuciones``) filters, counts and exports as the commitments
page does; both exports carry column widths, typed dates and the filters in the file name."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comisiones.models import Atribucion
from seguimiento.tables import ANCHO_FECHA, ANCHO_MAXIMO, ANCHO_MOMENTO, LARGO_FILTROS, nombre_archivo

from .conftest import dias
from .factories import AtribucionFactory, ComisionFactory, CompromisoFactory, registrar_actualizacion

pytestmark = pytest.mark.motor

URL = "/comisiones/atribuciones/"
COMPROMISOS = "/convenios/compromisos/"


@pytest.fixture
def duties(db, estatus):
    """Two commissions; duties of each subject, in each kind of status, one with none."""
    uno = ComisionFactory(nombre="Comisión de Gobierno Abierto", slug="gobierno-abierto")
    dos = ComisionFactory(nombre="Comisión de Archivos", slug="archivos")
    a = {
        "capacitar": AtribucionFactory(
            comision=uno, numero=1, texto="Impulsar la capacitación de los enlaces.", materia="apertura"
        ),
        "publicar": AtribucionFactory(
            comision=uno, numero=2, texto="Publicar datos abiertos.", materia="transparencia-proactiva"
        ),
        "archivar": AtribucionFactory(comision=dos, numero=1, texto="Organizar archivos.", materia="ambas"),
        "sin_estatus": AtribucionFactory(comision=dos, numero=2, texto="Sin historial.", materia="apertura"),
    }
    registrar_actualizacion(
        a["capacitar"], estatus=estatus["incumplido"], fecha_efectiva=dias(-30), nota="Sin avance"
    )
    registrar_actualizacion(a["publicar"], estatus=estatus["pendiente"], fecha_efectiva=dias(-400))
    registrar_actualizacion(
        a["publicar"], estatus=estatus["cumplido"], fecha_efectiva=dias(-31), nota="Oficio SNT/9"
    )
    registrar_actualizacion(
        a["archivar"], estatus=estatus["en-proceso"], fecha_efectiva=dias(-2), nota="Revisión técnica"
    )
    return a


def encontradas(client, usuario, consulta: str) -> set[str]:
    client.force_login(usuario)
    respuesta = client.get(URL + "?" + consulta + "&formato=csv")
    assert respuesta.status_code == 200, respuesta.content[:500]
    filas = list(csv.reader(io.StringIO(b"".join(respuesta.streaming_content).decode("utf-8-sig"))))
    assert filas[0][:4] == ["Comisión", "Número", "Materia", "Atribución"]
    return {fila[3] for fila in filas[1:]}


@pytest.mark.parametrize(
    ("consulta", "esperadas"),
    [
        ("", ["capacitar", "publicar", "archivar", "sin_estatus"]),
        ("estatus=incumplido", ["capacitar"]),
        ("estatus=cumplido&estatus=en-proceso", ["publicar", "archivar"]),
        ("estatus=pendiente", []),  # «publicar» was pending only in its history
        ("categoria=desfavorable", ["capacitar"]),
        ("categoria=sin_estatus", ["sin_estatus"]),
        ("comision=archivos", ["archivar", "sin_estatus"]),
        ("materia=apertura", ["capacitar", "sin_estatus"]),
        ("sin_actualizar=30", ["capacitar", "publicar", "sin_estatus"]),  # 30 days ago: just inside
        ("sin_actualizar=31", ["publicar", "sin_estatus"]),  # 30 days ago: just outside
        ("q=CAPACITACION", ["capacitar"]),
        ("q=capacitacion", ["capacitar"]),
        ("q=Capacitación", ["capacitar"]),
        ("q=revision tecnica", ["archivar"]),  # the current note
        ("q=oficio", ["publicar"]),
        ("q_historial=REVISIÓN", ["archivar"]),
        ("q_historial=datos", []),  # the duty's text is not a note
        ("q=%25", []),
        ("comision=gobierno-abierto&categoria=favorable&q=datos", ["publicar"]),
    ],
)
def test_each_filter_finds_exactly_its_duties(client, usuarios, duties, consulta, esperadas):
    assert encontradas(client, usuarios["auditor"], consulta) == {duties[k].texto for k in esperadas}


@pytest.mark.parametrize(
    ("consulta", "mensaje"),
    [
        ("estatus=no-existe", "no-existe no es una de las opciones"),
        ("categoria=rara", "no es una de las opciones"),
        ("comision=no-existe", "Seleccione una opción válida"),
        ("materia=ninguna", "Seleccione una opción válida"),
        ("sin_actualizar=-1", "mayor o igual a 0"),
        ("sin_actualizar=36501", "menor o igual a 36500"),
        ("orden=texto;DROP", "no es una de las opciones"),
        ("q=" + "x" * 201, "como máximo 200"),
    ],
)
def test_bad_input_is_a_400_in_spanish_with_no_rows(client, usuarios, duties, consulta, mensaje):
    client.force_login(usuarios["auditor"])
    respuesta = client.get(URL + "?" + consulta)
    assert respuesta.status_code == 400
    contenido = respuesta.content.decode()
    assert mensaje in contenido and "no se muestra ninguna atribución" in contenido
    assert not respuesta.context["pagina"].object_list


def test_the_page_shows_counts_by_status_and_links_each_duty_to_its_commission(client, usuarios, duties):
    client.force_login(usuarios["capturista"])
    respuesta = client.get(URL, {"comision": "gobierno-abierto"})
    assert respuesta.status_code == 200
    conteo = {(e.slug if e else None): n for e, n in respuesta.context["conteo"]}
    assert conteo == {"incumplido": 1, "cumplido": 1}
    html = respuesta.content.decode()
    assert '<h2 id="titulo-resumen">2 atribuciones</h2>' in html
    capacitar = duties["capacitar"]
    assert f'href="/comisiones/gobierno-abierto/#atribucion-{capacitar.pk}"' in html
    assert "Exportar las 2 atribuciones filtradas" in html  # whoever reads commissions may export


def test_sorting_by_a_column_and_its_link(client, usuarios, duties):
    client.force_login(usuarios["auditor"])
    respuesta = client.get(URL, {"orden": "-fecha"})
    orden = [a.pk for a in respuesta.context["pagina"].object_list]
    assert orden == [duties[k].pk for k in ("archivar", "capacitar", "publicar", "sin_estatus")]
    assert 'aria-sort="descending"' in respuesta.content.decode()


def test_the_importer_who_reads_no_commission_cannot_open_or_export_duties(client, duties, importador):
    client.force_login(importador)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "?formato=xlsx").status_code == 403


def test_incumplido_duties_appear_on_the_home_page_and_their_link_lists_them(client, usuarios, duties):
    client.force_login(usuarios["auditor"])
    seccion = next(s for s in client.get("/").context["secciones"] if s.clave == "atribuciones")
    conteos = {categoria: (n, enlace) for categoria, _e, n, enlace in seccion.conteos}
    n, enlace = conteos["desfavorable"]
    assert n == 1 and enlace == f"{URL}?categoria=desfavorable"
    pagina = client.get(enlace).context["pagina"]
    assert [a.texto for a in pagina.object_list] == [duties["capacitar"].texto]
    for _c, _e, n, enlace in seccion.conteos:
        if enlace:
            assert client.get(enlace).context["pagina"].paginator.count == n, enlace
    for lista in seccion.listas:
        assert client.get(lista.enlace).context["pagina"].paginator.count == lista.total


# --- Query counts do not grow with the data ----------------------------------------------------------


def muchas_atribuciones(n: int, estatus) -> None:
    comision = ComisionFactory()
    creadas = Atribucion.objects.bulk_create(
        [
            Atribucion(comision=comision, numero=i + 1, texto=f"Atribución {i}.", materia="apertura")
            for i in range(n)
        ]
    )
    for i, atribucion in enumerate(creadas[::3]):
        registrar_actualizacion(
            atribucion,
            estatus=estatus[("cumplido", "incumplido")[i % 2]],
            fecha_efectiva=dias(-i),
            nota=f"N{i}",
        )


def consultas(client, consulta: str) -> int:
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = client.get(URL + consulta)
    assert respuesta.status_code == 200
    return len(capturadas.captured_queries)


@pytest.mark.parametrize(
    "consulta", ["", "?estatus=incumplido&orden=-fecha", "?sin_actualizar=9&q=atribucion"]
)
def test_query_count_is_the_same_for_20_and_200_duties(client, usuarios, estatus, consulta):
    client.force_login(usuarios["auditor"])
    muchas_atribuciones(20, estatus)
    con_veinte = consultas(client, consulta)
    muchas_atribuciones(180, estatus)
    assert consultas(client, consulta) == con_veinte <= 12


# --- Exports: widths, typed dates, file names (commitments and duties) -------------------------------


@pytest.fixture
def compromiso(db, estatus):
    compromiso = CompromisoFactory(texto="Capacitar a los municipios " * 10, fecha_limite=dias(20))
    registrar_actualizacion(compromiso, estatus=estatus["incumplido"], fecha_efectiva=dias(-3), nota="No.")
    return compromiso


@pytest.mark.parametrize(
    ("url", "consulta", "nombre", "fechas"),
    [
        (
            COMPROMISOS,
            "estatus=incumplido",
            "compromisos_estatus-incumplido",
            ["Fecha efectiva", "Fecha límite"],
        ),
        (URL, "estatus=incumplido", "atribuciones_estatus-incumplido", ["Fecha efectiva"]),
    ],
)
def test_xlsx_has_column_widths_typed_dates_and_a_name_with_filter_and_date(
    client, usuarios, duties, compromiso, url, consulta, nombre, fechas
):
    client.force_login(usuarios["auditor"])
    respuesta = client.get(f"{url}?{consulta}&formato=xlsx")
    hoy = timezone.localdate()
    assert respuesta["Content-Disposition"] == f'attachment; filename="{nombre}_{hoy.isoformat()}.xlsx"'
    hoja = openpyxl.load_workbook(io.BytesIO(respuesta.content)).active
    encabezados = [c.value for c in hoja[1]]
    filas = list(hoja.iter_rows(min_row=2))
    assert len(filas) == 1
    anchos = {
        encabezado: hoja.column_dimensions[openpyxl.utils.get_column_letter(i)].width
        for i, encabezado in enumerate(encabezados, start=1)
    }
    for columna in [*fechas, "Estatus al"]:
        celda = filas[0][encabezados.index(columna)]
        assert type(celda.value) is datetime.datetime and celda.is_date, columna  # a date, not text
        assert celda.number_format == "yyyy-mm-dd"
        assert anchos[columna] >= ANCHO_FECHA, columna
    actualizado = filas[0][encabezados.index("Última actualización")]
    assert actualizado.is_date and actualizado.number_format == "yyyy-mm-dd h:mm:ss"
    assert anchos["Última actualización"] >= ANCHO_MOMENTO
    texto = "Compromiso" if url == COMPROMISOS else "Atribución"
    assert ANCHO_FECHA < anchos[texto] <= ANCHO_MAXIMO  # a long text: wide, not unbounded
    assert hoja.freeze_panes == "A2"


@pytest.mark.parametrize("url", [COMPROMISOS, URL])
def test_csv_name_carries_every_filter_and_the_date_but_not_the_order(
    client, usuarios, duties, compromiso, url
):
    client.force_login(usuarios["auditor"])
    respuesta = client.get(
        url, {"formato": "csv", "estatus": ["incumplido", "cumplido"], "q": "Capacitación", "orden": "-fecha"}
    )
    hoy = timezone.localdate().isoformat()
    inicio = "compromisos" if url == COMPROMISOS else "atribuciones"
    esperado = f"{inicio}_estatus-incumplido-cumplido_q-capacitacion_{hoy}.csv"
    assert respuesta["Content-Disposition"] == f'attachment; filename="{esperado}"'
    sin_filtros = client.get(url, {"formato": "csv"})
    assert sin_filtros["Content-Disposition"] == f'attachment; filename="{inicio}_{hoy}.csv"'


def test_file_names_stay_short_and_plain_whatever_the_filter():
    hoy = datetime.date(2026, 12, 3)
    nombre = nombre_archivo("compromisos", [("q", ['"; rm -rf / ' + "ñ" * 300])], hoy, "xlsx")
    filtros = nombre.removeprefix("compromisos_").removesuffix("_2026-12-03.xlsx")
    assert len(filtros) <= LARGO_FILTROS and filtros.startswith("q-rm-rf-nnn")
    assert all(c.isalnum() or c in "-_." for c in nombre)
    assert nombre_archivo("x", [("desde", ["2026-01-01"]), ("sin_actualizar", ["30"])], hoy, "csv") == (
        "x_desde-2026-01-01_sin-actualizar-30_2026-12-03.csv"
    )


@pytest.mark.parametrize(
    ("consulta", "filtros"),
    [
        ({"sin_actualizar": "30"}, "sin-actualizar-30"),
        (
            {"materia": "transparencia-proactiva", "comision": "archivos"},
            "comision-archivos_materia-transparencia-proactiva",
        ),
        (
            {"categoria": "sin_estatus", "q_historial": "Revisión"},
            "categoria-sin_estatus_q-historial-revision",
        ),
    ],
)
def test_duties_file_names_spell_each_kind_of_filter(client, usuarios, duties, consulta, filtros):
    client.force_login(usuarios["auditor"])
    respuesta = client.get(URL, {**consulta, "formato": "xlsx"})
    hoy = timezone.localdate().isoformat()
    assert respuesta["Content-Disposition"] == f'attachment; filename="atribuciones_{filtros}_{hoy}.xlsx"'
