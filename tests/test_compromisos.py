"""The commitments page (convenios:compromisos): filters, bad input, exports, permissions, query counts."""

import csv
import datetime
import io
from urllib.parse import urlencode

import openpyxl
import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convenios.filters import CompromisoFilterSet, compromisos_base
from convenios.models import Actualizacion, Compromiso
from seguimiento.busqueda import sin_acentos
from seguimiento.models import Estatus
from seguimiento.templatetags.fechas import fecha_en_palabras

from .conftest import dias
from .datos_masivos import crear_compromisos
from .factories import (
    CompromisoFactory,
    ConvenioFactory,
    DependenciaFactory,
    ParteFactory,
    registrar_actualizacion,
)

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor

URL = "/convenios/compromisos/"


@pytest.fixture
def datos(db, estatus):
    """Two convenios; commitments of a party, of another party, of LAS PARTES, and one with no status."""
    uno = ConvenioFactory(nombre="Convenio Alfa", slug="alfa")
    dos = ConvenioFactory(nombre="Convenio Beta", slug="beta")
    sfp = DependenciaFactory(nombre="Secretaría de la Función Pública")
    gob = DependenciaFactory(nombre="Gobierno del Estado")
    parte_sfp = ParteFactory(convenio=uno, dependencia=sfp)
    parte_gob = ParteFactory(convenio=dos, dependencia=gob)
    c = {
        "publicar": CompromisoFactory(
            convenio=uno, numero=1, responsable=parte_sfp, texto="Publicar datos abiertos."
        ),
        "capacitar": CompromisoFactory(
            convenio=uno, numero=2, texto="Capacitar a los municipios.", fecha_limite=dias(-10)
        ),
        "informar": CompromisoFactory(
            convenio=dos,
            numero=1,
            responsable=parte_gob,
            texto="Informar cada trimestre.",
            fecha_limite=dias(-5),
        ),
        "sin_estatus": CompromisoFactory(
            convenio=dos, numero=2, texto="Sin historial 100% real_.", fecha_limite=dias(-1)
        ),
    }
    registrar_actualizacion(c["publicar"], estatus=estatus["pendiente"], fecha_efectiva=dias(-400))
    registrar_actualizacion(
        c["publicar"], estatus=estatus["cumplido"], fecha_efectiva=dias(-200), nota="Oficio CG/77"
    )
    registrar_actualizacion(
        c["capacitar"], estatus=estatus["incumplido"], fecha_efectiva=dias(-30), nota="Sin avance"
    )
    registrar_actualizacion(c["informar"], estatus=estatus["cumplido"], fecha_efectiva=dias(-3))
    # Back-dated correction: recorded last, effective earlier; the current status stays "cumplido".
    registrar_actualizacion(
        c["informar"], estatus=estatus["incumplido"], fecha_efectiva=dias(-20), nota="Tardío"
    )
    return c


def encontrados(client, usuario, consulta: str) -> set[str]:
    client.force_login(usuario)
    respuesta = client.get(URL + "?" + consulta + "&formato=csv")
    assert respuesta.status_code == 200
    filas = list(csv.reader(io.StringIO(b"".join(respuesta.streaming_content).decode("utf-8-sig"))))
    return {fila[3] for fila in filas[1:]}


def textos(datos, *claves) -> set[str]:
    return {datos[k].texto for k in claves}


@pytest.mark.parametrize(
    ("consulta", "esperados"),
    [
        ("", ["publicar", "capacitar", "informar", "sin_estatus"]),
        ("estatus=cumplido", ["publicar", "informar"]),
        ("estatus=cumplido&estatus=incumplido", ["publicar", "informar", "capacitar"]),
        ("estatus=incumplido", ["capacitar"]),  # "informar" had "incumplido" only in its history
        ("categoria=desfavorable", ["capacitar"]),
        ("categoria=favorable", ["publicar", "informar"]),
        ("convenio=beta", ["informar", "sin_estatus"]),
        ("responsable=las-partes", ["capacitar", "sin_estatus"]),
        ("desde={hace_30}", ["capacitar", "informar"]),
        ("hasta={hace_30}", ["publicar", "capacitar"]),
        ("desde={hace_30}&hasta={hace_30}", ["capacitar"]),
        ("vencidos=1", ["capacitar", "sin_estatus"]),  # "informar" is past due but fulfilled
        ("sin_actualizar=30", ["publicar", "capacitar", "sin_estatus"]),
        ("sin_actualizar=31", ["publicar", "sin_estatus"]),
        ("categoria=sin_estatus", ["sin_estatus"]),
        ("por_vencer=30", []),  # "capacitar" and "sin_estatus" are past due, not due soon
        ("q=DATOS", ["publicar"]),
        ("q=cg/77", ["publicar"]),  # the note of its current status
        ("q=avance", ["capacitar"]),
        ("q=tardío", []),  # an older note, only in the history
        ("q_historial=tardío", ["informar"]),
        ("q_historial=CG/77", ["publicar"]),  # the current note is in the history too
        ("q_historial=datos", []),  # the commitment's text is not a note
        ("q=datos&q_historial=cg/77", ["publicar"]),
        ("q=informar&q_historial=avance", []),
        ("q_historial=%25", []),
        ("q=100%25", ["sin_estatus"]),
        ("q=l_s", []),  # "_" is a literal, not a wildcard
        ("q=%25", ["sin_estatus"]),
        ("q=' OR 1=1 --", []),
        ("estatus=cumplido&convenio=alfa&q=datos", ["publicar"]),
    ],
)
def test_each_filter_finds_exactly_its_commitments(client, usuarios, datos, consulta, esperados):
    consulta = consulta.format(hace_30=dias(-30).isoformat())
    assert encontrados(client, usuarios["auditor"], consulta) == textos(datos, *esperados)


def test_q_no_longer_finds_an_old_note_that_q_historial_finds_on_the_page_and_in_the_export(
    client, usuarios, datos
):
    client.force_login(usuarios["auditor"])
    informar = datos["informar"].texto
    assert informar not in client.get(URL + "?q=tard%C3%ADo").content.decode()
    assert informar in client.get(URL + "?q_historial=tard%C3%ADo").content.decode()
    assert encontrados(client, usuarios["auditor"], "q=tardío") == set()
    assert encontrados(client, usuarios["auditor"], "q_historial=tardío") == {informar}
    xlsx = client.get(URL + "?q_historial=tard%C3%ADo&formato=xlsx").content
    libro = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert [fila[3] for fila in libro.active.iter_rows(min_row=2, values_only=True)] == [informar]


def test_responsible_party_filter_by_institution(client, usuarios, datos):
    gob = datos["informar"].responsable.dependencia
    assert encontrados(client, usuarios["auditor"], f"responsable={gob.pk}") == textos(datos, "informar")


def test_current_status_comes_from_the_latest_effective_update(datos, estatus):
    compromiso = Compromiso.objects.con_estatus_actual().get(pk=datos["informar"].pk)
    assert compromiso.estatus_actual == estatus["cumplido"]


@pytest.mark.parametrize(
    ("consulta", "mensaje"),
    [
        ("estatus=no-existe", "no-existe no es una de las opciones"),
        ("categoria=rara", "no es una de las opciones"),
        ("convenio=no-existe", "Seleccione una opción válida"),
        ("responsable=999999", "no es una de las opciones"),
        ("responsable=abc", "no es una de las opciones"),
        ("desde=2020-13-45", "Introduzca una fecha válida"),
        ("hasta=ayer", "Introduzca una fecha válida"),
        ("desde=2024-05-01&hasta=2024-01-01", "es posterior a la fecha «hasta»"),
        ("sin_actualizar=-1", "mayor o igual a 0"),
        ("sin_actualizar=1.5", "decimal"),
        ("sin_actualizar=99999999999", "menor o igual a 36500"),
        ("sin_actualizar=NaN", "Introduzca un número"),
        ("vencidos=0", "no es una de las opciones"),
        ("orden=texto;DROP TABLE", "no es una de las opciones"),
        ("q=" + "x" * 201, "como máximo 200"),
        ("q_historial=" + "x" * 201, "como máximo 200"),
    ],
)
def test_bad_input_shows_a_spanish_message_and_no_rows(client, usuarios, datos, consulta, mensaje):
    client.force_login(usuarios["auditor"])
    respuesta = client.get(URL + "?" + consulta)
    contenido = respuesta.content.decode()
    assert respuesta.status_code == 400
    assert 'role="alert"' in contenido and mensaje in contenido
    assert "Publicar datos abiertos." not in contenido
    assert "0 compromisos" in contenido


@pytest.mark.parametrize("consulta", ["q=a%00b", "convenio=alfa%00", "formato=csv&q=%00"])
def test_a_nul_character_is_refused_in_spanish_before_any_row_is_read(client, usuarios, datos, consulta):
    client.force_login(usuarios["auditor"])
    respuesta = client.get(URL + "?" + consulta)
    contenido = respuesta.content.decode()
    assert respuesta.status_code == 400
    assert "carácter nulo" in contenido and "Publicar datos abiertos." not in contenido


def test_bad_input_exports_nothing(client, usuarios, datos):
    client.force_login(usuarios["auditor"])
    respuesta = client.get(URL + "?estatus=no-existe&formato=csv")
    assert respuesta.status_code == 400 and "Content-Disposition" not in respuesta


@pytest.mark.parametrize("pagina", ["99999999999999999999", "0", "-3", "abc", "1e9"])
def test_impossible_page_numbers_say_so_and_show_a_real_page(client, usuarios, datos, pagina):
    client.force_login(usuarios["auditor"])
    respuesta = client.get(URL + "?pagina=" + pagina)
    contenido = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "no existe; se muestra la página 1 de 1" in contenido
    assert "Publicar datos abiertos." in contenido


def test_unknown_export_format_is_explained(client, usuarios, datos):
    client.force_login(usuarios["auditor"])
    contenido = client.get(URL + "?formato=pdf").content.decode()
    assert "El formato «pdf» no existe" in contenido


def test_page_shows_counts_by_status_of_the_filtered_set(client, usuarios, datos):
    client.force_login(usuarios["auditor"])
    contenido = client.get(URL + "?convenio=alfa").content.decode()
    assert "2 compromisos" in contenido
    assert '<span class="estatus estatus-favorable">Cumplido</span> 1' in contenido
    assert '<span class="estatus estatus-desfavorable">Incumplido</span> 1' in contenido
    # the effective date of the current status
    assert f'<td data-etiqueta="Fecha efectiva">{fecha_en_palabras(dias(-200))}</td>' in contenido


def test_a_commitment_without_status_shows_dashes(client, usuarios, datos):
    client.force_login(usuarios["auditor"])
    contenido = client.get(URL + "?q=historial").content.decode()
    assert "Sin estatus" in contenido and contenido.count(">—</td>") == 2
    assert '<td data-etiqueta="Fecha efectiva">—</td>' in contenido
    assert '<td data-etiqueta="Última actualización">—</td>' in contenido


def test_pages_hold_fifty_and_links_keep_the_filter(client, usuarios, db):
    convenio = ConvenioFactory()
    for numero in range(1, 121):
        CompromisoFactory(convenio=convenio, numero=numero, texto=f"Tarea número {numero:03d}.")
    client.force_login(usuarios["auditor"])
    respuesta = client.get(URL + "?q=tarea&orden=-convenio&pagina=3")
    contenido = respuesta.content.decode()
    assert respuesta.context["pagina"].object_list[0].numero == 20
    assert len(respuesta.context["pagina"].object_list) == 20
    assert "Página 3 de 3" in contenido
    assert 'href="?q=tarea&amp;orden=-convenio&amp;pagina=2"' in contenido
    assert 'href="?q=tarea&amp;orden=-convenio&amp;formato=csv"' in contenido


@pytest.mark.parametrize("orden", ["fecha", "-fecha", "limite", "-limite", "actualizado", "estatus"])
def test_sorting_orders_rows_with_empty_values_last(client, usuarios, datos, orden):
    client.force_login(usuarios["auditor"])
    filas = list(client.get(URL + "?orden=" + orden).context["pagina"].object_list)
    clave = {
        "fecha": lambda c: c.ultima_actualizacion and c.ultima_actualizacion.fecha_efectiva,
        "actualizado": lambda c: c.ultima_actualizacion and c.ultima_actualizacion.registrado_en,
        "limite": lambda c: c.fecha_limite,
        "estatus": lambda c: c.ultima_actualizacion and c.ultima_actualizacion.estatus.orden,
    }[orden.lstrip("-")]
    valores = [clave(c) for c in filas]
    llenos = [v for v in valores if v is not None]
    assert valores == llenos + [None] * (len(valores) - len(llenos))
    assert llenos == sorted(llenos, reverse=orden.startswith("-"))


def test_csv_export_is_the_whole_filtered_set_with_bom_and_date(client, usuarios, datos):
    client.force_login(usuarios["auditor"])
    respuesta = client.get(URL + "?estatus=cumplido&formato=csv")
    contenido = b"".join(respuesta.streaming_content)
    hoy = timezone.localdate().isoformat()
    assert respuesta["Content-Type"].startswith("text/csv")
    assert (
        respuesta["Content-Disposition"] == f'attachment; filename="compromisos_estatus-cumplido_{hoy}.csv"'
    )
    assert contenido.startswith(b"\xef\xbb\xbf")
    filas = list(csv.reader(io.StringIO(contenido.decode("utf-8-sig"))))
    assert filas[0][:5] == ["Convenio", "Número", "Parte responsable", "Compromiso", "Estatus actual"]
    assert filas[0][-1] == "Estatus al"
    assert sorted((f[0], f[4], f[6], f[-1]) for f in filas[1:]) == [
        ("Convenio Alfa", "Cumplido", dias(-200).isoformat(), hoy),
        ("Convenio Beta", "Cumplido", dias(-3).isoformat(), hoy),
    ]
    assert "Secretaría de la Función Pública" in contenido.decode("utf-8")


def test_xlsx_export_matches_the_filter_and_never_runs_formulas(client, usuarios, datos, estatus):
    formula = CompromisoFactory(convenio=datos["publicar"].convenio, numero=9, texto='=HYPERLINK("x")\x0b')
    registrar_actualizacion(formula, estatus=estatus["cumplido"], fecha_efectiva=dias(-1))
    client.force_login(usuarios["gerente"])
    respuesta = client.get(URL + "?estatus=cumplido&formato=xlsx")
    assert (
        respuesta["Content-Disposition"]
        == f'attachment; filename="compromisos_estatus-cumplido_{timezone.localdate().isoformat()}.xlsx"'
    )
    hoja = openpyxl.load_workbook(io.BytesIO(respuesta.content)).active
    filas = list(hoja.iter_rows(values_only=True))
    assert len(filas) == 4
    # The control character an XLSX cannot hold is dropped; the apostrophe keeps the rest text.
    assert {f[3] for f in filas[1:]} == textos(datos, "publicar", "informar") | {'\'=HYPERLINK("x")'}
    assert all(celda.data_type != "f" for fila in hoja.iter_rows() for celda in fila)


def test_csv_neutralises_spreadsheet_formulas(client, usuarios, db):
    CompromisoFactory(texto="=1+2")
    assert encontrados(client, usuarios["auditor"], "q=1%2B2") == {"'=1+2"}


# --- Permissions: role × URL × method -------------------------------------------------------------

EXPORTES = [URL + "?formato=csv", URL + "?formato=xlsx"]


def test_the_url_is_not_taken_by_the_convenio_detail_pattern():
    assert resolve(reverse("convenios:compromisos")).view_name == "convenios:compromisos"
    assert reverse("convenios:compromisos") == URL


@pytest.mark.parametrize("url", [URL, *EXPORTES])
@pytest.mark.parametrize("metodo", ["get", "post"])
def test_anonymous_users_are_sent_to_log_in(client, db, url, metodo):
    respuesta = getattr(client, metodo)(url)
    assert respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("rol", "pagina", "exportar"),
    [
        ("capturista", 200, 403),
        ("gerente", 200, 200),
        ("auditor", 200, 200),
        ("admin", 200, 200),
        ("sin_rol", 403, 403),
    ],
)
def test_every_role_reads_and_only_gerente_auditor_export(client, usuarios, datos, rol, pagina, exportar):
    client.force_login(usuarios[rol])
    assert client.get(URL).status_code == pagina
    for url in EXPORTES:
        assert client.get(url).status_code == exportar, url


@pytest.mark.parametrize("rol", ["capturista", "gerente", "auditor", "admin", "sin_rol"])
@pytest.mark.parametrize("url", [URL, *EXPORTES])
def test_nobody_writes_through_the_page(client, usuarios, datos, rol, url):
    client.force_login(usuarios[rol])
    antes = Actualizacion.objects.count()
    for metodo in ("post", "put", "patch", "delete"):
        assert getattr(client, metodo)(url).status_code in (403, 405), metodo
    assert Actualizacion.objects.count() == antes


def test_export_links_only_for_those_who_may_export(client, usuarios, datos):
    client.force_login(usuarios["capturista"])
    contenido = client.get(URL).content.decode()
    assert "formato=csv" not in contenido
    assert 'method="post"' not in contenido.replace('method="post" action="/accounts/logout/"', "")
    client.force_login(usuarios["auditor"])
    assert "formato=csv" in client.get(URL).content.decode()


# --- Query counts do not grow with the data ----------------------------------------------------------


def consultas(client, consulta: str) -> int:
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = client.get(URL + consulta)
    assert respuesta.status_code == 200
    return len(capturadas.captured_queries)


@pytest.mark.volumen
@pytest.mark.parametrize(
    "consulta", ["", "?estatus=incumplido&orden=-fecha", "?sin_actualizar=90&q=datos", "?q_historial=portal"]
)
def test_query_count_is_the_same_for_100_and_2000_commitments(client, usuarios, consulta):
    client.force_login(usuarios["auditor"])
    crear_compromisos(100, 500, semilla=1)
    con_cien = consultas(client, consulta)
    crear_compromisos(1_900, 9_500, semilla=2)
    assert Compromiso.objects.count() == 2_000
    assert consultas(client, consulta) == con_cien <= 12


def test_bulk_test_data_points_each_commitment_at_its_latest_update(db):
    crear_compromisos(200, 1_000, semilla=3)
    for compromiso in Compromiso.objects.prefetch_related("actualizaciones"):
        historial = list(compromiso.actualizaciones.all())
        ultima = max(historial, key=lambda a: (a.fecha_efectiva, a.registrado_en, a.pk), default=None)
        assert compromiso.ultima_actualizacion_id == (ultima.pk if ultima else None)
        assert compromiso.version == len(historial)


# --- Random filter combinations against a plain Python filter --------------------------------------


def oraculo(filas: list[dict], p: dict, opciones: dict) -> set[int] | None:
    """The expected pks for parameters ``p``; None when the input is invalid (the page shows no rows)."""
    hoy = timezone.localdate()
    try:
        desde = datetime.date.fromisoformat(p["desde"]) if p.get("desde") else None
        hasta = datetime.date.fromisoformat(p["hasta"]) if p.get("hasta") else None
        n = int(p["sin_actualizar"]) if p.get("sin_actualizar") else None
    except ValueError:
        return None
    q = (p.get("q") or "").strip()
    q_historial = (p.get("q_historial") or "").strip()
    validos = (
        all(e in opciones["estatus"] for e in p.get("estatus", []))
        and p.get("categoria") in (None, *opciones["categoria"])
        and p.get("convenio") in (None, *opciones["convenio"])
        and p.get("responsable") in (None, *opciones["responsable"])
        and p.get("vencidos") in (None, "1")
        and (n is None or 0 <= n <= 36_500)
        and not (desde and hasta and desde > hasta)
    )
    if not validos:
        return None
    resultado = set()
    for f in filas:
        ok = (
            (not p.get("estatus") or f["estatus"] in p["estatus"])
            and (not p.get("categoria") or f["categoria"] == p["categoria"])
            and (not p.get("convenio") or f["convenio"] == p["convenio"])
            and (not p.get("responsable") or f["responsable"] == p["responsable"])
            and (not desde or (f["fecha"] is not None and f["fecha"] >= desde))
            and (not hasta or (f["fecha"] is not None and f["fecha"] <= hasta))
            and (
                not p.get("vencidos")
                or (
                    f["limite"] is not None
                    and f["limite"] < hoy
                    and f["categoria"] not in ("favorable", "no_aplica")
                )
            )
            and (n is None or f["fecha"] is None or f["fecha"] <= hoy - datetime.timedelta(days=n))
            and (not q or sin_acentos(q) in sin_acentos(f["texto"] + "\n" + (f["nota"] or "")))
            and (not q_historial or any(sin_acentos(q_historial) in sin_acentos(n) for n in f["notas"]))
        )
        if ok:
            resultado.add(f["pk"])
    return resultado


def filas_en_python() -> list[dict]:
    """Each commitment as plain data, its status computed here from the history (not from the pointer)."""
    filas = []
    for c in Compromiso.objects.select_related("convenio", "responsable").prefetch_related(
        "actualizaciones__estatus"
    ):
        historial = list(c.actualizaciones.all())
        ultima = max(historial, key=lambda a: (a.fecha_efectiva, a.registrado_en, a.pk), default=None)
        filas.append(
            {
                "pk": c.pk,
                "texto": c.texto,
                "notas": [a.nota for a in historial],
                "nota": ultima.nota if ultima else None,
                "convenio": c.convenio.slug,
                "responsable": str(c.responsable.dependencia_id) if c.responsable else "las-partes",
                "estatus": ultima.estatus.slug if ultima else None,
                "categoria": ultima.estatus.categoria if ultima else None,
                "fecha": ultima.fecha_efectiva if ultima else None,
                "limite": c.fecha_limite,
            }
        )
    return filas


PALABRAS = [
    "datos",
    "DATOS",
    "portal",
    "Oficio",
    "cg/1",
    "100%",
    "a_b",
    "' OR 1=1 --",
    "ñandú",
    "NANDU",
    "Informé",
    "   portal  ",
]


@pytest.mark.django_db
def test_random_filter_combinations_agree_with_a_plain_python_filter(estatus):
    import random

    rng = random.Random(6)
    convenios = [ConvenioFactory(slug=f"conv-{i}") for i in range(3)]
    partes = [ParteFactory(convenio=c) for c in convenios for _ in range(2)]
    for i in range(36):
        convenio = convenios[i % 3]
        propias = [p for p in partes if p.convenio_id == convenio.pk]
        compromiso = CompromisoFactory(
            convenio=convenio,
            responsable=rng.choice([None, *propias]),
            texto=" ".join(rng.choices(["datos", "portal", "ñandú", "100%", "a_b", "INFORME"], k=4)),
            fecha_limite=rng.choice([None, dias(-rng.randrange(-30, 400))]),
        )
        for _ in range(rng.randrange(0, 4)):
            registrar_actualizacion(
                compromiso,
                estatus=rng.choice(list(estatus.values())),
                fecha_efectiva=dias(-rng.choice([0, 5, 30, 90, 91, 365, 700])),
                nota=rng.choice(["Oficio CG/1", "sin novedad", "DATOS enviados", "nota"]),
            )
    filas = filas_en_python()
    opciones = {
        "estatus": list(estatus),
        "categoria": [c for c, _ in Estatus.Categoria.choices],
        "convenio": [c.slug for c in convenios],
        "responsable": ["las-partes", *sorted({str(p.dependencia_id) for p in partes})],
    }
    fechas = st.sampled_from([dias(-n).isoformat() for n in (0, 5, 30, 90, 365, 800)] + ["2020-02-30", "x"])
    parametros = st.fixed_dictionaries(
        {},
        optional={
            "estatus": st.lists(st.sampled_from([*opciones["estatus"], "otro"]), min_size=1, max_size=3),
            "categoria": st.sampled_from([*opciones["categoria"], "rara"]),
            "convenio": st.sampled_from([*opciones["convenio"], "no-existe"]),
            "responsable": st.sampled_from([*opciones["responsable"], "0", "abc"]),
            "desde": fechas,
            "hasta": fechas,
            "vencidos": st.sampled_from(["1", "0"]),
            "sin_actualizar": st.sampled_from(["0", "5", "30", "90", "400", "-1", "1.5"]),
            "q": st.sampled_from(PALABRAS),
            "q_historial": st.sampled_from(PALABRAS),
            "orden": st.sampled_from(["fecha", "-estatus", "limite", "-actualizado", "responsable"]),
        },
    )

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(parametros)
    def comprobar(p):
        filtro = CompromisoFilterSet(QueryDict(urlencode(p, doseq=True)), queryset=compromisos_base())
        esperado = oraculo(filas, p, opciones)
        obtenido = {c.pk for c in filtro.qs}
        assert obtenido == (esperado or set())
        assert filtro.is_valid() == (esperado is not None)
        assert sum(n for _, n in filtro.conteo_por_estatus()) == len(obtenido)

    comprobar()
