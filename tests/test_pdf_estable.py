"""A long-running server redraws an issued report byte for byte even after drawing other reports,
and WeasyPrint subsets fonts with HarfBuzz (its fontTools fallback was seen to change the bytes)."""

import hashlib
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

from reportes.models import InformeEmitido
from reportes.services import dibujar

from .factories import CompromisoFactory, ConvenioFactory
from .test_reportes import COMISION, texto_pdf

pytestmark = pytest.mark.archivos

AVISO_FONTTOOLS = "Using fontTools instead of HarfBuzz-Subset"


@pytest.fixture
def registro_weasyprint(caplog):
    """Every message WeasyPrint logs while the test runs (its logger has only a NullHandler)."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    return caplog


def pdf(client, nombre: str, *args, fecha: str = "2020-02-07") -> bytes:
    respuesta = client.post(reverse(f"reportes:{nombre}", args=args), {"fecha": fecha})
    assert respuesta.status_code == 200, respuesta.content[:300]
    assert respuesta["Content-Type"] == "application/pdf"
    return respuesta.content


def avisos_de_fonttools(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if AVISO_FONTTOOLS in r.getMessage()]


def test_an_issued_report_redraws_identically_after_other_reports_in_the_same_process(
    client, semilla, gerente, mas_tarde, registro_weasyprint
):
    otro = ConvenioFactory(nombre="Convenio de prueba con otra tipografía: ÁÉÍÓÚ ñ ü «» €")
    CompromisoFactory.create_batch(3, convenio=otro)
    emitido = pdf(client, "informe_pdf", semilla.slug)
    informe = InformeEmitido.objects.latest("pk")
    assert informe.sha256 == hashlib.sha256(emitido).hexdigest()

    mas_tarde()
    for fecha in ["2020-02-07", "2021-06-30", "2019-01-15"]:
        pdf(client, "consolidado_pdf", fecha=fecha)
        pdf(client, "comision_pdf", COMISION, fecha=fecha)
        pdf(client, "informe_pdf", otro.slug, fecha=fecha)
        pdf(client, "informe_pdf", semilla.slug, fecha=fecha)

    assert hashlib.sha256(dibujar(informe)).hexdigest() == informe.sha256
    respuesta = client.get(reverse("reportes:regenerar", args=[informe.folio]))
    assert respuesta.status_code == 200 and respuesta.content == emitido
    assert respuesta["X-Coincide-Con-Emitido"] == "si"
    assert avisos_de_fonttools(registro_weasyprint) == []


def test_the_fonttools_fallback_would_be_noticed(client, semilla, gerente, monkeypatch, registro_weasyprint):
    """The check above is not vacuous: without HarfBuzz-Subset WeasyPrint says so on every PDF."""
    monkeypatch.setattr("weasyprint.pdf.fonts.harfbuzz_subset", None)
    pdf(client, "informe_pdf", semilla.slug)
    assert avisos_de_fonttools(registro_weasyprint)


def test_a_pdf_draws_with_the_hashed_static_files_that_production_serves(
    client, semilla, gerente, settings, tmp_path
):
    """`make serve` names collected copies (``impresion.<hash>.css``), which only STATIC_ROOT holds."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert "INFORME DE SEGUIMIENTO DE CONVENIO" in texto_pdf(pdf(client, "informe_pdf", semilla.slug))
