"""The home page «Pendientes» (``inicio``): the attention rules on ``SeguibleQuerySet``, what each role
sees, the charts (pygal SVG as images, the trend replayed from the history), and query counts."""

import base64
import datetime
import re

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comisiones.models import Atribucion
from convenios.models import Compromiso
from reportes.graficas import cierres_de_mes, etiqueta_mes
from reportes.informes import contexto_consolidado
from seguimiento.templatetags.estatus import flecha

from .conftest import dias, en_los_dias_limite
from .datos_masivos import crear_compromisos
from .factories import (
    CompromisoFactory,
    ConvenioFactory,
    ParteFactory,
    UsuarioFactory,
    registrar_actualizacion,
)

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor

URL = "/"
GRAFICAS = "/graficas/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def compromisos(db, estatus):
    """Commitments on each side of every boundary of the rules."""
    convenio = ConvenioFactory(slug="alfa", nombre="Convenio Alfa", fecha_inicio=dias(-900))
    parte = ParteFactory(convenio=convenio, dependencia__nombre="Secretaría de Finanzas")

    def nuevo(clave, limite=None, estatus_=None, efectiva=0, responsable=None):
        compromiso = CompromisoFactory(
            convenio=convenio, texto=f"Compromiso {clave}.", fecha_limite=limite, responsable=responsable
        )
        if estatus_:
            registrar_actualizacion(
                compromiso, estatus=estatus[estatus_], fecha_efectiva=dias(efectiva), nota="Nota."
            )
        return compromiso

    return {
        "vencido": nuevo("vencido", dias(-1), "en-proceso", efectiva=-10, responsable=parte),
        "vencido_sin_estatus": nuevo("vencido_sin_estatus", dias(-30)),
        "vencido_cumplido": nuevo("vencido_cumplido", dias(-5), "cumplido"),
        "vencido_no_aplica": nuevo("vencido_no_aplica", dias(-5), "no-aplica"),
        "vence_hoy": nuevo("vence_hoy", dias(0), "incumplido", efectiva=-89),
        "vence_en_30": nuevo("vence_en_30", dias(30), "pendiente", efectiva=-90),
        "vence_en_31": nuevo("vence_en_31", dias(31), "pendiente", efectiva=-91),
        "sin_limite": nuevo("sin_limite", None, "pendiente", efectiva=-400),
    }


def claves(qs, datos) -> set[str]:
    pks = set(qs.values_list("pk", flat=True))
    return {clave for clave, c in datos.items() if c.pk in pks}


# --- The rules, defined once on SeguibleQuerySet --------------------------------------------------


@en_los_dias_limite
def test_overdue_is_past_due_and_neither_favourable_nor_not_applicable(compromisos):
    vencidos = Compromiso.objects.vencidos(timezone.localdate())
    assert claves(vencidos, compromisos) == {"vencido", "vencido_sin_estatus"}


@en_los_dias_limite
def test_due_soon_includes_today_and_the_thirtieth_day_and_leaves_settled_ones_out(compromisos, estatus):
    assert claves(Compromiso.objects.por_vencer(timezone.localdate(), 30), compromisos) == {
        "vence_hoy",
        "vence_en_30",
    }
    registrar_actualizacion(
        compromisos["vence_hoy"], estatus=estatus["cumplido"], fecha_efectiva=timezone.localdate()
    )
    assert claves(Compromiso.objects.por_vencer(timezone.localdate(), 30), compromisos) == {"vence_en_30"}
    assert claves(Compromiso.objects.por_vencer(timezone.localdate(), 31), compromisos) == {
        "vence_en_30",
        "vence_en_31",
    }


@en_los_dias_limite
def test_stale_means_no_update_effective_in_the_last_n_days(compromisos):
    rancios = claves(Compromiso.objects.sin_actualizar(timezone.localdate(), 90), compromisos)
    assert rancios == {"vencido_sin_estatus", "vence_en_30", "vence_en_31", "sin_limite"}


@en_los_dias_limite
def test_stale_and_unresolved_leaves_settled_items_out_for_commitments_and_duties(
    compromisos, semilla, estatus
):
    hoy = timezone.localdate()
    registrar_actualizacion(compromisos["sin_limite"], estatus=estatus["cumplido"], fecha_efectiva=dias(-400))
    assert "sin_limite" in claves(Compromiso.objects.sin_actualizar(hoy, 90), compromisos)
    pendientes = claves(Compromiso.objects.sin_actualizar_pendientes(hoy, 90), compromisos)
    assert pendientes == {"vencido_sin_estatus", "vence_en_30", "vence_en_31"}  # efectiva -90 is in
    pendientes = claves(Compromiso.objects.sin_actualizar_pendientes(hoy, 91), compromisos)
    assert pendientes == {"vencido_sin_estatus", "vence_en_31"}  # updated 90 days ago: not stale at 91

    cumplida, pendiente, *_ = Atribucion.objects.order_by("pk")
    registrar_actualizacion(cumplida, estatus=estatus["cumplido"], fecha_efectiva=dias(-200))
    registrar_actualizacion(pendiente, estatus=estatus["pendiente"], fecha_efectiva=dias(-200))
    assert cumplida in Atribucion.objects.sin_actualizar(hoy, 90)
    assert cumplida not in Atribucion.objects.sin_actualizar_pendientes(hoy, 90)
    assert pendiente in Atribucion.objects.sin_actualizar_pendientes(hoy, 90)
    assert pendiente not in Atribucion.objects.sin_actualizar_pendientes(hoy, 201)


def test_duties_have_no_due_date_so_they_are_never_overdue_nor_due_soon(semilla):
    assert Atribucion.CAMPO_FECHA_LIMITE is None
    assert not Atribucion.objects.vencidos(timezone.localdate()).exists()
    assert not Atribucion.objects.por_vencer(timezone.localdate(), 30).exists()
    assert Atribucion.objects.sin_actualizar(timezone.localdate(), 0).count() == Atribucion.objects.count()


def test_the_commitments_page_filters_use_the_same_rules(client, usuarios, compromisos):
    client.force_login(usuarios["auditor"])
    for consulta, esperado in [
        ("vencidos=1", Compromiso.objects.vencidos(timezone.localdate())),
        ("por_vencer=30", Compromiso.objects.por_vencer(timezone.localdate(), 30)),
        ("sin_actualizar=90", Compromiso.objects.sin_actualizar(timezone.localdate(), 90)),
        ("categoria=sin_estatus", Compromiso.objects.filter(ultima_actualizacion__isnull=True)),
    ]:
        respuesta = client.get(reverse("convenios:compromisos") + "?" + consulta)
        mostrados = {c.pk for c in respuesta.context["pagina"].object_list}
        assert mostrados == set(esperado.values_list("pk", flat=True)), consulta


# --- The trend: as of each month's end, from the history ------------------------------------------


@en_los_dias_limite
def test_favourable_at_each_month_end_agrees_with_the_consolidated_report_on_that_date(compromisos, estatus):
    alfa = compromisos["vencido"]
    hace_un_anio = dias(-365)
    registrar_actualizacion(alfa, estatus=estatus["cumplido"], fecha_efectiva=hace_un_anio)
    registrar_actualizacion(alfa, estatus=estatus["incumplido"], fecha_efectiva=dias(-200), nota="Regresó.")
    # Back-dated, recorded last: it rules from its effective date on, even if recorded afterwards.
    registrar_actualizacion(compromisos["sin_limite"], estatus=estatus["cumplido"], fecha_efectiva=dias(-300))
    # A convenio that starts in the middle of the period counts only from its start.
    tardio = ConvenioFactory(fecha_inicio=dias(-100))
    registrar_actualizacion(
        CompromisoFactory(convenio=tardio), estatus=estatus["cumplido"], fecha_efectiva=dias(-100)
    )
    hoy = timezone.localdate()
    fechas = cierres_de_mes(hoy)
    assert len(fechas) == 24 and fechas[-1] == hoy
    # Each earlier point is the last day of one of the 23 months before this one, in order.
    indices = [hoy.year * 12 + hoy.month - 1 - n for n in range(23, -1, -1)]
    assert [(f.year, f.month) for f in fechas] == [(i // 12, i % 12 + 1) for i in indices]
    assert all((f + datetime.timedelta(days=1)).day == 1 for f in fechas[:-1])

    with CaptureQueriesContext(connection) as consultas:
        favorables = Compromiso.objects.favorables_al_cierre(fechas)
    assert len(consultas.captured_queries) == 1
    for fecha in fechas:
        total = contexto_consolidado(None, fecha)["total"]
        assert favorables[fecha] == total.por_categoria["favorable"], fecha
    assert (
        favorables[fechas[-1]]
        == Compromiso.objects.filter(ultima_actualizacion__estatus__categoria="favorable").count()
    )


@en_los_dias_limite
def test_the_trend_leaves_out_what_was_recorded_after_known_at(compromisos, estatus):
    antes = timezone.now()
    registrar_actualizacion(compromisos["vence_en_30"], estatus=estatus["cumplido"], fecha_efectiva=dias(-60))
    fechas = cierres_de_mes(timezone.localdate())
    ahora = Compromiso.objects.favorables_al_cierre(fechas)
    conocido = Compromiso.objects.favorables_al_cierre(fechas, conocido_al=antes)
    assert ahora[fechas[-1]] == conocido[fechas[-1]] + 1
    assert ahora[fechas[0]] == conocido[fechas[0]]


def tendencia_de_la_pagina(client) -> dict:
    grafica = client.get(GRAFICAS, **HTMX).context["graficas"][2]
    return {datetime.date.fromisoformat(fecha): valores[0] for fecha, valores in grafica.filas}


def test_the_home_trend_follows_updates_effective_today_and_back_dated_into_a_closed_month(
    client, usuarios, compromisos, estatus
):
    client.force_login(usuarios["gerente"])
    fechas = cierres_de_mes(timezone.localdate())
    assert tendencia_de_la_pagina(client) == Compromiso.objects.favorables_al_cierre(fechas)

    registrar_actualizacion(
        compromisos["vencido"], estatus=estatus["cumplido"], fecha_efectiva=timezone.localdate()
    )
    with CaptureQueriesContext(connection) as consultas:
        ahora = tendencia_de_la_pagina(client)
    assert sum("LEAD(" in c["sql"] for c in consultas.captured_queries) == 1  # the history, read once
    assert ahora == Compromiso.objects.favorables_al_cierre(fechas)

    registrar_actualizacion(
        compromisos["vence_en_31"], estatus=estatus["cumplido"], fecha_efectiva=fechas[-3], nota="Tarde."
    )
    despues = tendencia_de_la_pagina(client)
    assert despues == Compromiso.objects.favorables_al_cierre(fechas)
    assert despues[fechas[-3]] == ahora[fechas[-3]] + 1


# --- The page, per role --------------------------------------------------------------------------


@en_los_dias_limite
def test_capturista_sees_counts_lists_charts_and_recent_changes_of_both_kinds(client, usuarios, compromisos):
    client.force_login(usuarios["capturista"])
    respuesta = client.get(URL)
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "<h1>Pendientes</h1>" in html
    seccion = respuesta.context["secciones"][0]
    conteos = {categoria: n for categoria, _etiqueta, n, _enlace in seccion.conteos}
    assert conteos == {"favorable": 1, "en_proceso": 4, "desfavorable": 1, "no_aplica": 1, "sin_estatus": 1}
    listas = {lista.clave: lista for lista in seccion.listas}
    assert listas["vencidos"].total == 2
    assert listas["por-vencer"].total == 2
    assert listas["sin-actualizar"].total == 4
    assert f'href="{compromisos["vencido"].get_absolute_url()}"' in html
    assert 'href="/convenios/compromisos/?vencidos=1&amp;orden=limite"' in html
    assert 'href="/convenios/compromisos/?categoria=en_proceso"' in html
    assert "Atribuciones de las comisiones" in html
    # The charts load after the page (htmx), or open as their own page without JavaScript.
    assert 'hx-get="/graficas/" hx-trigger="load"' in html and '<a href="/graficas/">' in html
    assert "data:image/svg+xml" not in html
    recientes = respuesta.context["recientes"]
    assert len(recientes) == 7 and recientes[0].registrado_en >= recientes[-1].registrado_en
    assert f"Sin estatus</span>{flecha()}<span" in html


def test_each_count_links_to_the_commitments_page_showing_exactly_that_many(client, usuarios, compromisos):
    client.force_login(usuarios["auditor"])
    seccion = client.get(URL).context["secciones"][0]
    enlaces = [(n, enlace) for _c, _e, n, enlace in seccion.conteos if enlace]
    enlaces += [(lista.total, lista.enlace) for lista in seccion.listas]
    assert len(enlaces) == 8
    for n, enlace in enlaces:
        assert client.get(enlace).context["pagina"].paginator.count == n, enlace


def test_importador_sees_commitments_but_nothing_of_the_commissions(client, semilla, compromisos, importador):
    client.force_login(importador)
    html = client.get(URL).content.decode()
    assert "Compromisos" in html and "Atribuciones" not in html
    assert "/comisiones/" not in html
    assert "Gobierno Abierto" not in html  # the seed commission's duties are not among recent changes


def test_a_user_without_a_role_is_told_so_and_sees_no_data(client, usuarios, compromisos):
    client.force_login(usuarios["sin_rol"])
    respuesta = client.get(URL)
    assert respuesta.status_code == 200
    assert "no tiene permiso para leer compromisos ni atribuciones" in respuesta.content.decode()
    assert respuesta.context["secciones"] == [] and respuesta.context["recientes"] == []


def test_login_lands_on_the_home_page(client, usuarios):
    respuesta = client.post(reverse("login"), {"username": "gerente", "password": "clave-de-prueba"})
    assert respuesta.status_code == 302 and respuesta["Location"] == reverse("inicio")


def test_stale_days_come_from_the_setting(client, usuarios, compromisos, settings):
    settings.DIAS_SIN_ACTUALIZAR = 10
    client.force_login(usuarios["gerente"])
    respuesta = client.get(URL)
    listas = {lista.clave: lista for lista in respuesta.context["secciones"][0].listas}
    assert listas["sin-actualizar"].total == 6
    assert "Sin actualizar en 10 días o más" in respuesta.content.decode()
    assert "?sin_actualizar=10&amp;orden=fecha" in respuesta.content.decode()


@pytest.mark.parametrize("sin_estatus", [3, 12])
def test_stale_list_shows_the_first_ten_in_the_commitments_page_order(
    client, usuarios, compromisos, sin_estatus
):
    """With fewer or more than ten commitments without status (then only those are read), the list is the
    first ten of the stale filter sorted by effective date, no status first, as its link opens it."""
    convenio = compromisos["vencido"].convenio
    for _ in range(sin_estatus):
        CompromisoFactory(convenio=convenio, texto="Sin estatus.")
    client.force_login(usuarios["gerente"])
    listas = {lista.clave: lista for lista in client.get(URL).context["secciones"][0].listas}
    esperados = list(
        Compromiso.objects.sin_actualizar(timezone.localdate(), 90)
        .order_by(F("ultima_actualizacion__fecha_efectiva").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)[:10]
    )
    assert [c.pk for c in listas["sin-actualizar"].elementos] == esperados
    assert (
        listas["sin-actualizar"].total == Compromiso.objects.sin_actualizar(timezone.localdate(), 90).count()
    )


# --- The charts ----------------------------------------------------------------------------------


def svgs(html: str) -> list[str]:
    return [
        base64.b64decode(d).decode() for d in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    ]


def test_charts_are_svg_with_no_script_no_external_resource_spanish_labels_and_a_description(
    client, usuarios, compromisos
):
    client.force_login(usuarios["gerente"])
    html = client.get(GRAFICAS, **HTMX).content.decode()
    dibujos = svgs(html)
    assert len(dibujos) == 3
    for svg in dibujos:
        # Namespace declarations name addresses but load nothing (pygal declares xlink on some runs).
        sin_espacios = re.sub(r' xmlns(:\w+)?="[^"]*"', "", svg)
        assert "<script" not in svg and "http" not in sin_espacios
        assert "<!--" not in svg  # no comment carrying pygal's generation date
        assert re.search(r"<title>[^<]+</title><desc>[^<]+</desc>", svg)
    assert 'id="chart-grafica-convenios"' in dibujos[0] and "Convenio Alfa" in dibujos[0]
    assert "Secretaría de Finanzas" in dibujos[1] and "LAS PARTES (conjuntos)" in dibujos[1]
    assert ">En proceso<" in dibujos[0] and ">Sin estatus<" in dibujos[0]
    assert "% favorable" in dibujos[2] and f">{etiqueta_mes(timezone.localdate())}<" in dibujos[2]
    # The text alternative: the same numbers as a table.
    assert "<caption>Compromisos por categoría de estatus, por institución responsable</caption>" in html
    assert svgs(client.get(GRAFICAS, **HTMX).content.decode()) == dibujos  # same data, same bytes


def test_the_charts_are_a_fragment_for_htmx_and_a_page_without_javascript(client, usuarios, compromisos):
    client.force_login(usuarios["capturista"])
    fragmento = client.get(GRAFICAS, **HTMX).content.decode()
    assert fragmento.lstrip().startswith('<div class="graficas">') and "<html" not in fragmento
    pagina = client.get(GRAFICAS).content.decode()
    assert "<h1>Gráficas de compromisos</h1>" in pagina and len(svgs(pagina)) == 3


def test_only_who_reads_commitments_gets_the_charts(client, semilla, usuarios, importador):
    client.force_login(importador)
    assert client.get(GRAFICAS, **HTMX).status_code == 200
    client.force_login(UsuarioFactory())
    assert client.get(GRAFICAS, **HTMX).status_code == 403
    client.logout()
    assert client.get(GRAFICAS).status_code == 302


@pytest.mark.archivos
def test_the_consolidated_report_shows_the_charts_in_html_and_pdf(client, usuarios, compromisos):
    import io

    from pypdf import PdfReader

    client.force_login(usuarios["gerente"])
    html = client.get(reverse("reportes:consolidado")).content.decode()
    assert len(svgs(html)) == 3
    pdf = PdfReader(io.BytesIO(client.post(reverse("reportes:consolidado_pdf")).content))
    texto = " ".join(" ".join(pagina.extract_text() for pagina in pdf.pages).split())
    assert "Compromisos por categoría de estatus, por convenio" in texto
    assert "Compromisos con estatus favorable al cierre de cada mes (%)" in texto
    assert "Secretaría de Finanzas" in texto


# --- Queries do not grow with the data -----------------------------------------------------------


def consultas(client, url=URL) -> int:
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = client.get(url)
    assert respuesta.status_code == 200
    return len(capturadas.captured_queries)


@pytest.mark.volumen
@pytest.mark.parametrize("rol", ["capturista", "importador"])
def test_query_count_is_the_same_for_100_and_2000_commitments(client, usuarios, semilla, rol):
    client.force_login(usuarios[rol])
    crear_compromisos(100, 500, semilla=1)
    con_cien, graficas_con_cien = consultas(client), consultas(client, GRAFICAS)
    crear_compromisos(1_900, 9_500, semilla=2)
    assert Compromiso.objects.count() == 2_000 + 11
    assert consultas(client) == con_cien <= 15
    assert consultas(client, GRAFICAS) == graficas_con_cien <= 8
