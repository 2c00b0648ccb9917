"""What the API (and the other doors that read JSON or dates) answer to malformed input: a Spanish 400
or a 404, never a 500, and nothing written."""

import datetime
import io
import json
import re
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from api.schema import patron_de_fechas
from comisiones.models import Comision
from convenios.importacion import ArchivoInvalido, leer_json
from seguimiento.json_seguro import PROFUNDIDAD_MAXIMA, JSONInvalido, leer
from seguimiento.models import Estatus

from .factories import AtribucionFactory, ComisionFactory, CompromisoFactory, ConvenioFactory
from .test_api import actualizar, con_token

ELEMENTOS = [lambda: CompromisoFactory(convenio=ConvenioFactory()), AtribucionFactory]


def cuerpo_valido() -> dict:
    return {"estatus": "cumplido", "fecha_efectiva": timezone.localdate().isoformat(), "version": 0}


# --- Item 10: bodies that are not an object, and text the database cannot store -----------------------


@pytest.mark.parametrize("crear", ELEMENTOS)
@pytest.mark.parametrize(
    "crudo",
    [
        "[]",
        '"x"',
        "null",
        "100",
        "[" * 100_000,
        "[" * 100_000 + "]" * 100_000,
        json.dumps({**cuerpo_valido(), "nota": "\ud800"}),
        json.dumps({**cuerpo_valido(), "nota": "a\u0000b"}),
        json.dumps({**cuerpo_valido(), "enlace": "https://x.mx/\udfff"}),
        json.dumps(
            {**cuerpo_valido(), "x": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}
        ),
    ],
    ids=[
        "lista",
        "texto",
        "null",
        "numero",
        "anidado",
        "anidado-cerrado",
        "sustituto",
        "nul",
        "enlace",
        "hondo",
    ],
)
def test_a_body_that_is_not_a_storable_object_is_a_spanish_400(usuarios, estatus, crear, crudo):
    elemento = crear()
    respuesta = con_token(usuarios["capturista"]).post(
        actualizar(elemento), crudo, content_type="application/json"
    )
    assert respuesta.status_code == 400, respuesta.content[:300]
    detalle = respuesta.json()["detail"]
    assert "JSON" in detalle and "parse error" not in detalle
    assert not elemento.actualizaciones.exists()


def test_the_json_reader_allows_the_deepest_documented_level_and_not_one_more():
    assert leer("[" * PROFUNDIDAD_MAXIMA + "]" * PROFUNDIDAD_MAXIMA)
    with pytest.raises(JSONInvalido, match="niveles"):
        leer("[" * (PROFUNDIDAD_MAXIMA + 1) + "]" * (PROFUNDIDAD_MAXIMA + 1))
    assert leer('{"nota": "\\ud83d\\ude00 ñ"}') == {"nota": "😀 ñ"}  # a valid pair is one character


@pytest.mark.parametrize(
    "texto",
    ['{"convenios": [{"nombre": "\\u0000"}]}', '{"convenios": [{"nombre": "\\ud800"}]}', "[" * 100_000],
    ids=["nul", "sustituto", "anidado"],
)
def test_an_imported_json_file_with_nul_surrogate_or_deep_nesting_is_refused_in_spanish(texto):
    with pytest.raises(ArchivoInvalido, match="El archivo no es un JSON válido"):
        leer_json(texto.encode())


@pytest.mark.parametrize(
    "texto", ['{"convenios": [{"nombre": "\\u0000"}]}', "[" * 100_000], ids=["nul", "anidado"]
)
def test_the_import_page_answers_400_to_such_a_json_file(client, importador, texto):
    client.force_login(importador)
    archivo = SimpleUploadedFile("datos.json", texto.encode(), "application/json")
    respuesta = client.post(reverse("convenios:importar"), {"archivo": archivo})
    assert respuesta.status_code == 400
    assert "no es un JSON válido" in respuesta.content.decode()


@pytest.mark.parametrize(
    "manifiesto",
    [b'{"formato": "\\u0000"}', b"[" * 100_000, b"[]", b'"x"'],
    ids=["nul", "anidado", "lista", "texto"],
)
def test_a_backup_whose_manifest_is_not_a_storable_object_is_refused_in_spanish(tmp_path, db, manifiesto):
    archivo = tmp_path / "respaldo.tar"
    with tarfile.open(archivo, "w") as tar:
        info = tarfile.TarInfo("manifiesto.json")
        info.size = len(manifiesto)
        tar.addfile(info, io.BytesIO(manifiesto))
    with pytest.raises(CommandError, match="manifiesto"):
        call_command("restaurar", str(archivo), stdout=io.StringIO())


# --- Item 17 (part): evidence ids and report dates --------------------------------------------------


@pytest.mark.parametrize("modelo", ["compromiso", "atribucion"])
@pytest.mark.parametrize("segmento", ["%C2%B9", "%D9%A1", "99999999999999999999999", "-1", "1.0"])
def test_an_evidence_id_that_is_not_a_plain_number_is_404(usuarios, semilla, modelo, segmento):
    ruta = reverse(f"api:{modelo}-evidencia", args=["0"]).replace("/0/", f"/{segmento}/")
    respuesta = con_token(usuarios["admin"]).get(ruta)
    assert respuesta.status_code == 404


@pytest.mark.parametrize("fecha", ["0001-01-01", "1899-12-31", "0999-06-30"])
def test_a_report_date_out_of_range_is_a_spanish_400(client, gerente, semilla, fecha):
    comision = ComisionFactory()
    for ruta in (
        reverse("reportes:informe", args=[semilla.slug]),
        reverse("reportes:consolidado"),
        reverse("reportes:comision", args=[comision.slug]),
        reverse("reportes:comision_pdf", args=[comision.slug]),
    ):
        respuesta = client.get(ruta, {"fecha": fecha})
        assert respuesta.status_code == 400, ruta
        assert "anterior a 1900" in respuesta.content.decode(), ruta
    indice = client.get(reverse("reportes:indice"), {"fecha": fecha})
    assert indice.status_code == 400 and "anterior a 1900" in indice.content.decode()
    respuesta = con_token(gerente).get("/api/v1/compromisos/", {"fecha": fecha})
    assert respuesta.status_code == 400 and "anterior a 1900" in respuesta.json()["fecha"][0]


def test_the_first_day_of_1900_is_a_valid_report_date(client, gerente):
    comision = ComisionFactory()
    assert (
        client.get(reverse("reportes:comision", args=[comision.slug]), {"fecha": "1900-01-01"}).status_code
        == 200
    )
    assert client.get(reverse("reportes:consolidado"), {"fecha": "1900-01-01"}).status_code == 200


# --- Item 11: the schema says what the API does, and every invalid parameter is a 400 --------------


def esquema(usuario) -> dict:
    respuesta = con_token(usuario).get("/api/v1/esquema/", {"format": "json"})
    assert respuesta.status_code == 200
    return respuesta.json()


def test_the_request_estatus_is_an_enum_of_the_active_statuses_read_when_the_schema_is(usuarios, estatus):
    documento = esquema(usuarios["capturista"])
    entrada = documento["components"]["schemas"]["ActualizacionEntradaRequest"]["properties"]["estatus"]
    nombre = entrada["allOf"][0]["$ref"].rsplit("/", 1)[1]
    activos = sorted(Estatus.objects.vigentes().values_list("slug", flat=True))
    assert sorted(documento["components"]["schemas"][nombre]["enum"]) == activos
    retirado = estatus["pendiente"]
    retirado.retirado = True
    retirado.save()
    documento = esquema(usuarios["capturista"])
    assert "pendiente" not in documento["components"]["schemas"][nombre]["enum"]
    assert "cumplido" in documento["components"]["schemas"][nombre]["enum"]


@pytest.mark.parametrize("recurso", ["compromisos", "atribuciones"])
def test_the_history_documents_no_list_filter_and_no_page(usuarios, recurso):
    operaciones = esquema(usuarios["capturista"])["paths"][f"/api/v1/{recurso}/{{id}}/actualizaciones/"]
    for metodo in ("get", "post"):
        assert [p["name"] for p in operaciones[metodo].get("parameters", [])] == ["id"], metodo
    lista = esquema(usuarios["capturista"])["paths"][f"/api/v1/{recurso}/"]["get"]["parameters"]
    assert {"pagina", "por_pagina", "fecha"} <= {p["name"] for p in lista}


def test_optional_fields_are_documented_nullable_and_null_means_absent(usuarios, estatus):
    propiedades = esquema(usuarios["capturista"])["components"]["schemas"]["ActualizacionEntradaRequest"][
        "properties"
    ]
    assert all(propiedades[c].get("nullable") for c in ("nota", "nota_publica", "enlace", "evidencia"))
    assert not any(propiedades[c].get("nullable") for c in ("estatus", "fecha_efectiva", "version"))
    for crear in ELEMENTOS:
        elemento = crear()
        cuerpo = {**cuerpo_valido(), "enlace": None, "nota": None, "nota_publica": None}
        respuesta = con_token(usuarios["capturista"]).post(
            actualizar(elemento), cuerpo, content_type="application/json"
        )
        assert respuesta.status_code == 201, respuesta.content
        assert respuesta.json()["actualizacion"]["enlace"] == ""


LISTAS = {"compromisos": "/api/v1/compromisos/", "atribuciones": "/api/v1/atribuciones/"}
INVALIDOS = [
    ("por_pagina", "abc"),
    ("por_pagina", "0"),
    ("por_pagina", "201"),
    ("por_pagina", "-1"),
    ("por_pagina", "1.5"),
    ("por_pagina", "²"),
    ("por_pagina", ""),
    ("pagina", "abc"),
    ("pagina", "0"),
    ("pagina", "last"),
    ("pagina", ""),
    ("fecha", ""),
    ("fecha", "2026-02-30"),
    ("fecha", "0001-01-01"),
]


@pytest.mark.parametrize("recurso", list(LISTAS))
@pytest.mark.parametrize(("parametro", "valor"), INVALIDOS)
def test_invalid_page_and_date_parameters_are_a_spanish_400(usuarios, semilla, recurso, parametro, valor):
    respuesta = con_token(usuarios["capturista"]).get(LISTAS[recurso], {parametro: valor})
    assert respuesta.status_code == 400, respuesta.content
    mensaje = " ".join(respuesta.json()[parametro])
    assert any(palabra in mensaje for palabra in ("Escriba", "Dé un valor", "fecha")), mensaje


@pytest.mark.parametrize(
    ("parametro", "valor"),
    [
        ("desde", ""),
        ("desde", "2026-13-01"),
        ("desde", "ayer"),
        ("hasta", ""),
        ("categoria", "inventada"),
        ("categoria", ""),
        ("estatus", ""),
        ("estatus", "inventado"),
        ("sin_actualizar", ""),
        ("sin_actualizar", "abc"),
        ("convenio", "no-existe"),
        ("orden", "x"),
    ],
)
def test_invalid_commitment_filters_are_a_400_including_empty_ones(usuarios, semilla, parametro, valor):
    respuesta = con_token(usuarios["capturista"]).get(LISTAS["compromisos"], {parametro: valor})
    assert respuesta.status_code == 400, respuesta.content
    assert parametro in respuesta.json()


@pytest.mark.parametrize(
    ("parametro", "valor"), [("comision", ""), ("comision", "no-existe"), ("materia", "x")]
)
def test_invalid_duty_filters_are_a_400(usuarios, semilla, parametro, valor):
    respuesta = con_token(usuarios["capturista"]).get(LISTAS["atribuciones"], {parametro: valor})
    assert respuesta.status_code == 400, respuesta.content
    assert parametro in respuesta.json()


@pytest.mark.parametrize("recurso", list(LISTAS))
@pytest.mark.parametrize(
    ("parametro", "valor"), [("por_pagina", "1"), ("por_pagina", "200"), ("pagina", "1")]
)
def test_page_parameters_just_inside_the_bounds_are_accepted(usuarios, semilla, recurso, parametro, valor):
    respuesta = con_token(usuarios["capturista"]).get(LISTAS[recurso], {parametro: valor, "q": ""})
    assert respuesta.status_code == 200, respuesta.content
    assert len(respuesta.json()["results"]) <= int(valor) or parametro == "pagina"


def test_a_page_past_the_end_is_404(usuarios, semilla):
    assert con_token(usuarios["capturista"]).get(LISTAS["compromisos"], {"pagina": "999"}).status_code == 404


@pytest.mark.parametrize("crear", ELEMENTOS)
def test_an_update_before_the_start_is_a_400_on_the_api_and_the_page(client, usuarios, estatus, crear):
    """A commitment's updates start on its convenio's start date; a duty's (no start date) in 1900."""
    elemento = crear()
    inicio = elemento.inicio_del_seguimiento()
    assert inicio == (getattr(elemento.contenedor, "fecha_inicio", None) or datetime.date(1900, 1, 1))
    antes = (inicio - datetime.timedelta(days=1)).isoformat()
    cliente = con_token(usuarios["capturista"])
    respuesta = cliente.post(
        actualizar(elemento), {**cuerpo_valido(), "fecha_efectiva": antes}, content_type="application/json"
    )
    assert respuesta.status_code == 400
    assert f"no puede ser anterior al {inicio.isoformat()}" in respuesta.json()["fecha_efectiva"][0]
    client.force_login(usuarios["capturista"])
    pagina = reverse(f"{elemento._meta.app_label}:actualizar", args=[elemento.pk])
    respuesta = client.post(pagina, {"estatus": "cumplido", "fecha": antes, "version": 0})
    assert respuesta.status_code == 400
    assert f"no puede ser anterior al {inicio.isoformat()}" in respuesta.content.decode()
    assert not elemento.actualizaciones.exists()
    respuesta = cliente.post(
        actualizar(elemento),
        {**cuerpo_valido(), "fecha_efectiva": inicio.isoformat()},
        content_type="application/json",
    )
    assert respuesta.status_code == 201, respuesta.content


@pytest.mark.parametrize(
    ("hoy", "dentro", "fuera"),
    [
        (
            datetime.date(2026, 12, 3),
            ["1900-01-01", "2025-12-31", "2026-11-30", "2026-12-03"],
            ["2026-12-04"],
        ),
        (datetime.date(2026, 1, 1), ["1999-02-28", "2025-12-31", "2026-01-01"], ["2026-01-02", "2026-02-01"]),
        (
            datetime.date(2028, 2, 29),
            ["2027-12-31", "2028-02-29", "2028-01-31"],
            ["2028-03-01", "2029-01-01"],
        ),
    ],
)
def test_the_schema_pattern_for_fecha_is_1900_to_today_inclusive(hoy, dentro, fuera):
    patron = re.compile(patron_de_fechas(hoy))
    assert all(patron.match(f) for f in dentro)
    assert not any(patron.match(f) for f in [*fuera, "1899-12-31", "0001-01-01", "19000-01-01"])


def test_the_served_schema_states_the_filters_rules(usuarios, semilla):
    documento = esquema(usuarios["capturista"])
    parametros = {
        p["name"]: p["schema"] for p in documento["paths"]["/api/v1/compromisos/"]["get"]["parameters"]
    }
    assert parametros["convenio"]["enum"] == [semilla.slug]
    assert parametros["desde"] == {"type": "string", "format": "date", "minLength": 1}
    assert parametros["sin_actualizar"]["minimum"] == 0 and parametros["q"]["maxLength"] == 200
    assert parametros["por_pagina"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert re.match(parametros["fecha"]["pattern"], timezone.localdate().isoformat())
    duties = {
        p["name"]: p["schema"] for p in documento["paths"]["/api/v1/atribuciones/"]["get"]["parameters"]
    }
    assert set(duties["comision"]["enum"]) == set(Comision.objects.values_list("slug", flat=True))


@pytest.mark.parametrize("crear", ELEMENTOS)
def test_multipart_without_a_boundary_is_a_json_400(usuarios, estatus, crear):
    elemento = crear()
    respuesta = con_token(usuarios["capturista"]).post(
        actualizar(elemento), b"x", content_type="multipart/form-data"
    )
    assert respuesta.status_code == 400
    assert "multipart/form-data está mal formado" in respuesta.json()["detail"]


@pytest.mark.parametrize("crear", ELEMENTOS)
@pytest.mark.parametrize(
    ("cambio", "campo"),
    [
        ({"evidencia": {}}, "evidencia"),
        ({"nota": 5}, "nota"),
        ({"enlace": ["https://x.mx"]}, "enlace"),
        ({"nota_publica": "sí"}, "nota_publica"),
        ({"version": "0"}, "version"),
        ({"version": True}, "version"),
        ({"fecha_efectiva": 20261203}, "fecha_efectiva"),
    ],
)
def test_a_json_field_of_another_type_than_the_schema_says_is_a_400(usuarios, estatus, crear, cambio, campo):
    elemento = crear()
    respuesta = con_token(usuarios["capturista"]).post(
        actualizar(elemento), {**cuerpo_valido(), **cambio}, content_type="application/json"
    )
    assert respuesta.status_code == 400, respuesta.content
    assert list(respuesta.json()) == [campo]
    assert not elemento.actualizaciones.exists()
