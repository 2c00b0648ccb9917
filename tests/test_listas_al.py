"""The lists as of a date (``fecha=``) on both pages built on one pipeline: the commitments page and the
commission duties page show, filter, count and export the status in effect on that date, by the rule
the reports and the API use (``con_estatus_al``, ``leer_fecha``)."""

import csv
import io
from collections import Counter

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comisiones.models import Atribucion
from convenios.models import Compromiso
from tests.factories import registrar_actualizacion

from .conftest import dias
from .factories import AtribucionFactory, ComisionFactory, CompromisoFactory, ConvenioFactory

pytestmark = pytest.mark.motor

COMPROMISOS = "/convenios/compromisos/"
ATRIBUCIONES = "/comisiones/atribuciones/"
PAGINAS = [COMPROMISOS, ATRIBUCIONES]


def crear(url, **campos):
    if url == COMPROMISOS:
        return CompromisoFactory(**campos)
    campos.pop("fecha_limite", None)
    return AtribucionFactory(**campos)


@pytest.fixture
def historia(db, estatus):
    """On each page: one item pending 30 days ago then fulfilled 5 days ago (the later update), one
    not fulfilled 20 days ago, one whose first update came 2 days ago."""

    def hacer(url):
        cambia = crear(url, texto="Cambia de estatus.", fecha_limite=dias(-15))
        registrar_actualizacion(cambia, estatus=estatus["pendiente"], fecha_efectiva=dias(-30))
        registrar_actualizacion(cambia, estatus=estatus["cumplido"], fecha_efectiva=dias(-5), nota="Hecho")
        incumplido = crear(url, texto="Incumplido desde antes.")
        registrar_actualizacion(
            incumplido, estatus=estatus["incumplido"], fecha_efectiva=dias(-20), nota="Sin avance"
        )
        nuevo = crear(url, texto="Actualizado hace poco.")
        registrar_actualizacion(nuevo, estatus=estatus["en-proceso"], fecha_efectiva=dias(-2))
        return {"cambia": cambia, "incumplido": incumplido, "nuevo": nuevo}

    return hacer


def exportar(client, url, consulta: dict) -> tuple[list[list[str]], str]:
    respuesta = client.get(url, {**consulta, "formato": "csv"})
    assert respuesta.status_code == 200, respuesta.content[:300]
    contenido = b"".join(respuesta.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(contenido))), respuesta["Content-Disposition"]


@pytest.mark.parametrize("url", PAGINAS)
def test_an_update_effective_after_the_date_is_not_shown(client, usuarios, historia, url):
    items = historia(url)
    client.force_login(usuarios["auditor"])
    fecha = dias(-10)
    respuesta = client.get(url, {"fecha": fecha.isoformat()})
    assert respuesta.status_code == 200
    filas = {e.pk: e for e in respuesta.context["pagina"].object_list}
    cambia = filas[items["cambia"].pk]
    assert cambia.estatus_vigente.slug == "pendiente" and cambia.fecha_vigente == dias(-30)
    assert filas[items["nuevo"].pk].estatus_vigente is None  # its first update came later
    html = respuesta.content.decode()
    assert "Hecho" not in html  # the later update's note
    assert "Estatus a la fecha" in html and "Se muestra el estatus vigente al" in html
    # Today the same item is fulfilled: the date, and only the date, changed what is shown.
    hoy = {e.pk: e for e in client.get(url).context["pagina"].object_list}
    assert hoy[items["cambia"].pk].estatus_vigente.slug == "cumplido"


@pytest.mark.parametrize("url", PAGINAS)
@pytest.mark.parametrize(
    ("consulta", "esperados"),
    [
        ({"estatus": "pendiente"}, ["cambia"]),
        ({"estatus": "cumplido"}, []),  # fulfilled only 5 days ago
        ({"categoria": "favorable"}, []),
        ({"categoria": "en_proceso"}, ["cambia"]),
        ({"categoria": "sin_estatus"}, ["nuevo"]),
        ({"categoria": "desfavorable"}, ["incumplido"]),
        ({"sin_actualizar": "10"}, ["cambia", "incumplido", "nuevo"]),  # counted from the date
        ({"sin_actualizar": "11"}, ["cambia", "nuevo"]),  # 20 days before the date: just outside
        ({"orden": "-fecha"}, ["incumplido", "cambia", "nuevo"]),
        ({"orden": "estatus"}, ["cambia", "incumplido", "nuevo"]),
    ],
)
def test_filters_and_sorting_read_the_status_on_the_date(
    client, usuarios, historia, estatus, url, consulta, esperados
):
    items = historia(url)
    client.force_login(usuarios["auditor"])
    al = {"fecha": dias(-10).isoformat(), **consulta}
    filas = client.get(url, al).context["pagina"].object_list
    assert [e.pk for e in filas] == [items[k].pk for k in esperados] or (
        "orden" not in consulta and {e.pk for e in filas} == {items[k].pk for k in esperados}
    )
    texto = {items[k].texto for k in esperados}
    filas_csv, _nombre = exportar(client, url, al)
    assert {f[3] for f in filas_csv[1:]} == texto  # the export is the same list


def test_overdue_and_due_soon_are_judged_on_the_date(client, usuarios, historia):
    items = historia(COMPROMISOS)  # «cambia» was due 15 days ago and fulfilled 5 days ago
    client.force_login(usuarios["auditor"])
    vencidos = client.get(COMPROMISOS, {"vencidos": "1", "fecha": dias(-10).isoformat()})
    assert [c.pk for c in vencidos.context["pagina"].object_list] == [items["cambia"].pk]
    assert not client.get(COMPROMISOS, {"vencidos": "1"}).context["pagina"].object_list
    por_vencer = client.get(COMPROMISOS, {"por_vencer": "5", "fecha": dias(-20).isoformat()})
    assert [c.pk for c in por_vencer.context["pagina"].object_list] == [items["cambia"].pk]
    # «desde»/«hasta» read the effective date on that day
    desde = client.get(COMPROMISOS, {"desde": dias(-31).isoformat(), "fecha": dias(-10).isoformat()})
    assert {c.pk for c in desde.context["pagina"].object_list} == {items["cambia"].pk, items["incumplido"].pk}


@pytest.mark.parametrize("url", PAGINAS)
def test_the_export_is_the_list_on_that_date_and_its_name_says_so(client, usuarios, historia, url):
    items = historia(url)
    client.force_login(usuarios["auditor"])
    fecha = dias(-10).isoformat()
    filas, nombre = exportar(client, url, {"fecha": fecha, "estatus": "pendiente"})
    hoy = timezone.localdate().isoformat()
    inicio = "compromisos" if url == COMPROMISOS else "atribuciones"
    assert nombre == f'attachment; filename="{inicio}_estatus-pendiente_fecha-{fecha}_{hoy}.csv"'
    encabezados, fila = filas[0], filas[1]
    assert len(filas) == 2 and fila[encabezados.index("Estatus a la fecha")] == "Pendiente"
    assert fila[encabezados.index("Categoría")] == "En proceso"
    assert fila[encabezados.index("Fecha efectiva")] == dias(-30).isoformat()
    assert fila[encabezados.index("Estatus al")] == fecha
    assert fila[encabezados.index("Última nota")] == ""  # not the later «Hecho»
    libro = client.get(url, {"fecha": fecha, "formato": "xlsx"})
    assert f"fecha-{fecha}_{hoy}.xlsx" in libro["Content-Disposition"]
    hoja = openpyxl.load_workbook(io.BytesIO(libro.content)).active
    encabezados = [c.value for c in hoja[1]]
    estados = {
        fila[encabezados.index("Estatus a la fecha")] for fila in hoja.iter_rows(min_row=2, values_only=True)
    }
    assert estados == {"Pendiente", "Incumplido", "Sin estatus"}
    assert items["cambia"].texto in {f[3] for f in hoja.iter_rows(min_row=2, values_only=True)}


@pytest.mark.parametrize("url", PAGINAS)
@pytest.mark.parametrize(
    ("fecha", "mensaje"),
    [
        ("0001-01-01", "anterior a 1900"),
        ("1899-12-31", "anterior a 1900"),
        ("2026-02-30", "no es válida"),
        ("ayer", "no es válida"),
        ("futuro", "en el futuro"),
    ],
)
def test_a_bad_or_future_date_is_a_400_in_spanish_with_no_rows_nor_file(
    client, usuarios, historia, url, fecha, mensaje
):
    historia(url)
    client.force_login(usuarios["auditor"])
    fecha = dias(1).isoformat() if fecha == "futuro" else fecha
    respuesta = client.get(url, {"fecha": fecha})
    assert respuesta.status_code == 400
    assert mensaje in respuesta.content.decode()
    assert not respuesta.context["pagina"].object_list
    archivo = client.get(url, {"fecha": fecha, "formato": "csv"})
    assert archivo.status_code == 400 and "Content-Disposition" not in archivo


@pytest.mark.parametrize("url", PAGINAS)
def test_the_first_allowed_day_and_today_are_accepted(client, usuarios, historia, url):
    historia(url)
    client.force_login(usuarios["auditor"])
    primera = client.get(url, {"fecha": "1900-01-01"})
    assert primera.status_code == 200
    # No status yet; commitments not even listed (their convenio had not started: as the reports)
    listadas = primera.context["pagina"].object_list
    assert len(listadas) == (0 if url == COMPROMISOS else 3)
    assert all(e.estatus_vigente is None for e in listadas)
    hoy = client.get(url, {"fecha": timezone.localdate().isoformat()})
    actual = client.get(url)
    assert [(e.pk, e.estatus_vigente) for e in hoy.context["pagina"].object_list] == [
        (e.pk, e.estatus_vigente) for e in actual.context["pagina"].object_list
    ]


def test_commitment_counts_on_a_date_match_the_consolidated_report(client, usuarios, historia, estatus):
    historia(COMPROMISOS)
    tarde = ConvenioFactory(fecha_inicio=dias(-3))  # started after the date: in neither
    registrar_actualizacion(
        CompromisoFactory(convenio=tarde), estatus=estatus["cumplido"], fecha_efectiva=dias(-1)
    )
    client.force_login(usuarios["auditor"])
    for dia in (-25, -10, 0):
        fecha = dias(dia).isoformat()
        pagina = client.get(COMPROMISOS, {"fecha": fecha})
        por_categoria = Counter()
        for estado, n in pagina.context["conteo"]:
            por_categoria[estado.categoria if estado else None] += n
        informe = client.get("/reportes/consolidado/", {"fecha": fecha})
        assert informe.status_code == 200
        total = informe.context["total"]
        assert por_categoria == Counter({**total.por_categoria, None: total.sin_estatus}) - Counter()
        assert pagina.context["pagina"].paginator.count == total.total
    assert total.total == 4  # today the late convenio's commitment counts too


def test_duty_counts_on_a_date_match_the_commission_report(client, usuarios, historia):
    items = historia(ATRIBUCIONES)
    comisiones = {a.comision for a in items.values()}
    client.force_login(usuarios["auditor"])
    fecha = dias(-10).isoformat()
    pagina = Counter(
        {(e.slug if e else None): n for e, n in client.get(ATRIBUCIONES, {"fecha": fecha}).context["conteo"]}
    )
    informe = Counter()
    for comision in comisiones:
        respuesta = client.get(f"/reportes/comision/{comision.slug}/", {"fecha": fecha})
        for _materia, atribuciones in respuesta.context["materias"]:
            informe.update(a.estatus_al.slug if a.estatus_al else None for a in atribuciones)
    assert pagina == informe == Counter({"pendiente": 1, "incumplido": 1, None: 1})


def muchos(url, n: int, estatus) -> None:
    if url == COMPROMISOS:
        convenio = ConvenioFactory()
        creados = Compromiso.objects.bulk_create(
            [Compromiso(convenio=convenio, numero=i + 1, texto=f"Compromiso {i}.") for i in range(n)]
        )
    else:
        comision = ComisionFactory()
        creados = Atribucion.objects.bulk_create(
            [Atribucion(comision=comision, numero=i + 1, texto=f"Atribución {i}.") for i in range(n)]
        )
    for i, elemento in enumerate(creados[::3]):
        registrar_actualizacion(
            elemento, estatus=estatus[("cumplido", "incumplido")[i % 2]], fecha_efectiva=dias(-i), nota="N"
        )


def pedir(client, url: str, consulta: dict) -> list[bytes]:
    """The page, or the whole exported file (read to its end, so its queries are counted)."""
    respuesta = client.get(url, consulta)
    assert respuesta.status_code == 200
    return b"".join(respuesta.streaming_content).splitlines() if respuesta.streaming else []


def consultas(client, url: str, consulta: dict) -> int:
    with CaptureQueriesContext(connection) as capturadas:
        pedir(client, url, consulta)
    return len(capturadas.captured_queries)


@pytest.mark.parametrize("url", PAGINAS)
@pytest.mark.parametrize(
    "consulta",
    [
        {},
        {"estatus": "incumplido", "orden": "-fecha"},
        {"categoria": "sin_estatus", "sin_actualizar": "3", "orden": "estatus"},
        {"formato": "csv"},
    ],
)
def test_query_count_is_flat_on_a_date_for_30_and_300_items(
    client, usuarios, estatus, django_assert_max_num_queries, url, consulta
):
    client.force_login(usuarios["auditor"])
    consulta = {**consulta, "fecha": dias(-5).isoformat()}
    muchos(url, 30, estatus)
    con_pocos = consultas(client, url, consulta)
    muchos(url, 270, estatus)
    with django_assert_max_num_queries(con_pocos):
        lineas = pedir(client, url, consulta)
    assert len(lineas) == (301 if consulta.get("formato") else 0)
    assert con_pocos <= 12


@pytest.mark.parametrize("modelo", [Compromiso, Atribucion])
def test_the_as_of_lookup_reads_the_history_once_not_once_per_item(modelo):
    """``con_copias_al`` (and ``con_estatus_al`` in it) joins each item's update in effect, picked in
    one pass over the history (``DISTINCT ON`` / a window): the history table appears once in a
    subquery and once as the join, however many copies the lists read, not once per copy per item."""
    tabla = modelo.modelo_actualizacion()._meta.db_table
    sql = str(modelo.objects.con_copias_al(dias(-5)).query)
    assert sql.count(f'"{tabla}"') == 2
    assert "vigente_al" in sql


@pytest.mark.parametrize("url", PAGINAS)
def test_the_update_in_effect_breaks_ties_as_the_latest_update_does(estatus, url):
    """Same effective date: the later recorded wins; as of today every item's update in effect is the
    one the services keep as its latest (``ultima_actualizacion``), on either database."""
    empatado, otro = crear(url), crear(url)
    registrar_actualizacion(empatado, estatus=estatus["pendiente"], fecha_efectiva=dias(-3))
    registrar_actualizacion(empatado, estatus=estatus["incumplido"], fecha_efectiva=dias(-3), nota="N")
    registrar_actualizacion(otro, estatus=estatus["cumplido"], fecha_efectiva=dias(-9))
    registrar_actualizacion(otro, estatus=estatus["incumplido"], fecha_efectiva=dias(-12), nota="N")
    modelo = type(empatado)
    al = {e.pk: e for e in modelo.objects.con_estatus_al(timezone.localdate())}
    for elemento in (empatado, otro):
        elemento.refresh_from_db()
        assert al[elemento.pk].actualizacion_al_id == elemento.ultima_actualizacion_id
    assert al[empatado.pk].estatus_al_id == estatus["incumplido"].pk
    assert al[otro.pk].estatus_al_id == estatus["cumplido"].pk
    antes = modelo.objects.con_estatus_al(dias(-10)).get(pk=otro.pk)
    assert antes.estatus_al_id == estatus["incumplido"].pk
