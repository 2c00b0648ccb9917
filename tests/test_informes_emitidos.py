"""An issued report stays recoverable: its PDF is archived (private, hash-checked) and served as
issued, and today's history still redraws it byte for byte after items are added."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from comisiones.models import Atribucion, Comision
from convenios.models import Compromiso, Convenio, Dependencia, Parte
from reportes.models import InformeEmitido

from .conftest import sin_disparador
from .factories import AtribucionFactory, CompromisoFactory, ConvenioFactory, DependenciaFactory, ParteFactory
from .test_reportes import COMISION, normalizar, texto_pdf

D = datetime.date


def emitir(client, nombre: str, *args, fecha: str = "2020-02-07") -> tuple[InformeEmitido, bytes]:
    respuesta = client.get(reverse(f"reportes:{nombre}", args=args), {"fecha": fecha})
    assert respuesta.status_code == 200, respuesta.content[:300]
    return InformeEmitido.objects.latest("pk"), respuesta.content


def regenerar(client, informe: InformeEmitido):
    return client.get(reverse("reportes:regenerar", args=[informe.folio]))


def sha(contenido: bytes) -> str:
    return hashlib.sha256(contenido).hexdigest()


# The archive -------------------------------------------------------------------------------------


def test_each_issued_pdf_is_archived_privately_with_its_hash(client, semilla, gerente, settings):
    informe, emitido = emitir(client, "informe_pdf", semilla.slug)
    assert informe.archivo.name.startswith("informes/") and informe.archivo.name.endswith(".pdf")
    ruta = settings.MEDIA_ROOT / informe.archivo.name
    assert ruta.read_bytes() == emitido and informe.sha256 == sha(emitido)
    with pytest.raises(ValueError):
        informe.archivo.url  # noqa: B018 - private: no public URL, only the permission-checked views


def test_regeneration_serves_the_archive_and_says_it_still_redraws(client, semilla, gerente, mas_tarde):
    informe, emitido = emitir(client, "informe_pdf", semilla.slug)
    mas_tarde()
    respuesta = regenerar(client, informe)
    assert respuesta.status_code == 200 and respuesta.content == emitido
    assert respuesta["X-Coincide-Con-Emitido"] == "si"
    assert respuesta["Content-Disposition"].endswith(f'-{semilla.slug}-2020-02-07.pdf"')
    assert InformeEmitido.objects.count() == 1, "regenerar no emite un informe nuevo"


def test_after_the_convenio_name_changes_it_still_redraws_with_the_name_it_had(
    client, semilla, gerente, mas_tarde
):
    """The name is versioned (``VersionTexto``): the redraw puts back the name known at the issue."""
    informe, emitido = emitir(client, "informe_pdf", semilla.slug)
    Convenio.objects.filter(pk=semilla.pk).update(nombre="Convenio con otro nombre")
    mas_tarde()
    respuesta = regenerar(client, informe)
    assert respuesta.status_code == 200
    assert sha(respuesta.content) == informe.sha256 and respuesta.content == emitido
    assert "Convenio con otro nombre" not in texto_pdf(respuesta.content)
    assert respuesta["X-Coincide-Con-Emitido"] == "si"


def test_after_an_unversioned_name_changes_the_archived_file_is_served_unchanged(
    client, semilla, gerente, mas_tarde
):
    """A party's institution is named by its own catalogue (not a text of the convenio, not
    versioned): the redraw differs, the issued file is still what is handed out."""
    informe, emitido = emitir(client, "informe_pdf", semilla.slug)
    Dependencia.objects.filter(partes__convenio=semilla).update(nombre=Concat("nombre", Value(" (nueva)")))
    mas_tarde()
    respuesta = regenerar(client, informe)
    assert respuesta.status_code == 200
    assert sha(respuesta.content) == informe.sha256 and respuesta.content == emitido
    assert "(nueva)" not in texto_pdf(respuesta.content)
    assert respuesta["X-Coincide-Con-Emitido"] == "no"


def test_a_different_pdf_engine_never_makes_an_issued_report_unrecoverable(
    client, semilla, gerente, mas_tarde, monkeypatch
):
    """As after a WeasyPrint or font upgrade: the same HTML gives other bytes."""
    from reportes import services

    informe, emitido = emitir(client, "informe_pdf", semilla.slug)
    dibujo = services.html_a_pdf
    monkeypatch.setattr(services, "html_a_pdf", lambda html: dibujo(html) + b"\n% otra version\n")
    mas_tarde()
    respuesta = regenerar(client, informe)
    assert respuesta.content == emitido and respuesta["X-Coincide-Con-Emitido"] == "no"


def test_a_tampered_archive_is_refused_with_a_spanish_error(client, semilla, gerente, settings):
    informe, emitido = emitir(client, "informe_pdf", semilla.slug)
    ruta = settings.MEDIA_ROOT / informe.archivo.name
    ruta.write_bytes(emitido.replace(b"/Title", b"/Titl\x65 ", 1) + b"%")
    respuesta = regenerar(client, informe)
    assert respuesta.status_code == 409
    assert respuesta["Content-Type"].startswith("text/html")
    pagina = normalizar(respuesta.content.decode())
    assert "fue alterado" in pagina and informe.folio in pagina and "no se entrega" in pagina
    assert b"%PDF" not in respuesta.content


def test_a_missing_archive_is_refused_with_a_spanish_error(client, semilla, gerente, settings):
    informe, _emitido = emitir(client, "informe_pdf", semilla.slug)
    (settings.MEDIA_ROOT / informe.archivo.name).unlink()
    respuesta = regenerar(client, informe)
    assert respuesta.status_code == 409
    assert "No se encuentra el archivo del informe" in normalizar(respuesta.content.decode())


def como_antes_de_archivar():
    """Rows as a database from before files were kept has them (the register is append-only now,
    so only the owner of the tables, with its trigger off, can write them so)."""
    return sin_disparador("reportes_informeemitido", "reportes_informeemitido_inmutable")


def test_a_report_issued_before_archiving_is_redrawn_as_before(client, semilla, gerente, mas_tarde):
    informe, emitido = emitir(client, "informe_pdf", semilla.slug)
    informe.archivo.delete(save=False)
    with como_antes_de_archivar():
        InformeEmitido.objects.filter(pk=informe.pk).update(archivo="")
    mas_tarde()
    respuesta = regenerar(client, informe)
    assert respuesta.content == emitido and respuesta["X-Coincide-Con-Emitido"] == "si"


def test_archivar_informes_keeps_the_older_reports_that_still_redraw(client, semilla, gerente, settings):
    viejo, emitido = emitir(client, "informe_pdf", semilla.slug)
    otro, _ = emitir(client, "consolidado_pdf")
    for informe in (viejo, otro):
        informe.archivo.delete(save=False)
    with como_antes_de_archivar():
        InformeEmitido.objects.update(archivo="")
        InformeEmitido.objects.filter(pk=otro.pk).update(sha256="0" * 64)  # no longer reproducible
    salida = StringIO()
    call_command("archivar_informes", stdout=salida)
    viejo.refresh_from_db()
    assert (settings.MEDIA_ROOT / viejo.archivo.name).read_bytes() == emitido
    assert not InformeEmitido.objects.get(pk=otro.pk).archivo
    assert "1 archivados" in salida.getvalue() and otro.folio in salida.getvalue()


# Today's history still redraws what was issued ---------------------------------------------------


def test_a_commitment_added_after_issuing_is_left_out_of_the_redraw(client, semilla, gerente, mas_tarde):
    informe, _emitido = emitir(client, "informe_pdf", semilla.slug)
    parte = ParteFactory(convenio=semilla, dependencia=DependenciaFactory(nombre="Dependencia Nueva"))
    CompromisoFactory(convenio=semilla, numero=12, responsable=parte, texto="Compromiso agregado después.")
    mas_tarde()
    respuesta = regenerar(client, informe)
    assert respuesta["X-Coincide-Con-Emitido"] == "si"
    hoy = texto_pdf(
        client.get(reverse("reportes:informe_pdf", args=[semilla.slug]), {"fecha": "2020-02-07"}).content
    )
    assert "Compromiso agregado después." in hoy and "Dependencia Nueva" in hoy, (
        "un informe nuevo sí lo muestra"
    )


def test_a_convenio_created_after_issuing_is_left_out_of_the_consolidated_redraw(
    client, semilla, gerente, mas_tarde
):
    informe, _emitido = emitir(client, "consolidado_pdf", fecha="2021-01-01")
    tardio = ConvenioFactory(nombre="Convenio registrado después", fecha_inicio=D(2018, 1, 1))
    CompromisoFactory(convenio=tardio)
    CompromisoFactory(convenio=semilla, numero=12)
    mas_tarde()
    assert regenerar(client, informe)["X-Coincide-Con-Emitido"] == "si"
    hoy = client.get(reverse("reportes:consolidado"), {"fecha": "2021-01-01"}).content.decode()
    assert "Convenio registrado después" in hoy


def test_a_duty_added_after_issuing_is_left_out_of_the_commission_redraw(client, semilla, gerente, mas_tarde):
    comision = Comision.objects.get(slug=COMISION)
    informe, _emitido = emitir(client, "comision_pdf", COMISION, fecha=timezone.localdate().isoformat())
    AtribucionFactory(comision=comision, numero=99, texto="Atribución agregada después.")
    mas_tarde()
    assert regenerar(client, informe)["X-Coincide-Con-Emitido"] == "si"


def test_items_get_their_creation_time_from_the_system(db):
    antes = timezone.now()
    atribucion = AtribucionFactory()
    compromiso = CompromisoFactory(responsable=None)
    parte = ParteFactory(convenio=compromiso.convenio)
    for registro in (atribucion, compromiso, compromiso.convenio, parte):
        assert antes <= registro.creado_en <= timezone.now()
    for modelo in (Convenio, Parte, Compromiso, Atribucion):
        assert not modelo._meta.get_field("creado_en").editable


def test_the_admin_never_offers_the_creation_time(client, usuarios):
    client.force_login(usuarios["admin"])
    pagina = client.get(reverse("admin:convenios_convenio_add")).content.decode()
    assert 'name="nombre"' in pagina and "creado_en" not in pagina


# The page that says it ---------------------------------------------------------------------------


def test_the_issued_report_page_says_whether_today_still_redraws_it(client, semilla, gerente, mas_tarde):
    informe, _emitido = emitir(client, "informe_pdf", semilla.slug)
    url = reverse("reportes:emitido", args=[informe.folio])
    mas_tarde()
    html = client.get(url).content.decode()
    assert f'href="{reverse("reportes:regenerar", args=[informe.folio])}"' in html
    pagina = normalizar(html)
    assert informe.folio in pagina and informe.sha256 in pagina
    assert "Copia archivada íntegra" in pagina
    assert "El historial de hoy lo vuelve a dibujar idéntico, byte por byte." in pagina

    Dependencia.objects.filter(partes__convenio=semilla).update(nombre=Concat("nombre", Value(" (nueva)")))
    pagina = normalizar(client.get(url).content.decode())
    assert "El historial de hoy ya no lo dibuja idéntico" in pagina


def test_the_issued_report_page_needs_the_report_permission(client, semilla, usuarios):
    client.force_login(usuarios["gerente"])
    informe, _ = emitir(client, "informe_pdf", semilla.slug)
    client.force_login(usuarios["sin_rol"])
    assert client.get(reverse("reportes:emitido", args=[informe.folio])).status_code == 403
    assert client.get(reverse("reportes:regenerar", args=[informe.folio])).status_code == 403


def test_the_admin_shows_an_issued_report_without_error(client, semilla, usuarios):
    client.force_login(usuarios["admin"])
    informe, _ = emitir(client, "informe_pdf", semilla.slug)
    respuesta = client.get(reverse("admin:reportes_informeemitido_change", args=[informe.pk]))
    assert respuesta.status_code == 200
    assert reverse("reportes:emitido", args=[informe.folio]) in respuesta.content.decode()
