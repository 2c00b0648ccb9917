"""What the API (and the other doors that read JSON or dates) answer to malformed input: a Spanish 400
or a 404, never a 500, and nothing written."""

import io
import json
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from convenios.importacion import ArchivoInvalido, leer_json
from seguimiento.json_seguro import PROFUNDIDAD_MAXIMA, JSONInvalido, leer

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
