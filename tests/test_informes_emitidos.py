"""An issued report stays recoverable: its PDF is archived (private, hash-checked) and served as
issued, and today's history still redraws it byte for byte after items are added."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from comisiones.models import Atribucion, Comision
from convenios.models import Compromiso, Convenio, Dependencia, Parte
from reportes.models import InformeEmitido

from .conftest import con_token, escribir_privado, sin_disparador
from .factories import (
    AtribucionFactory,
    CompromisoFactory,
    ConvenioFactory,
    DependenciaFactory,
    ParteFactory,
    registrar_actualizacion,
)
from .test_reportes import COMISION, normalizar, texto_pdf

pytestmark = pytest.mark.archivos

D = datetime.date


def emitir(client, nombre: str, *args, fecha: str = "2020-02-07") -> tuple[InformeEmitido, bytes]:
    respuesta = client.post(reverse(f"reportes:{nombre}", args=args), {"fecha": fecha})
    assert respuesta.status_code == 200, respuesta.content[:300]
    return InformeEmitido.objects.latest("pk"), respuesta.content


def regenerar(client, informe: InformeEmitido):
    return client.get(reverse("reportes:regenerar", args=[informe.folio]))


def sha(contenido: bytes) -> str:
    return hashlib.sha256(contenido).hexdigest()


# The archive -------------------------------------------------------------------------------------


def test_each_issued_pdf_is_archived_privately_with_its_hash(client, semilla, gerente, almacen):
    informe, emitido = emitir(client, "informe_pdf", semilla.slug)
    assert informe.archivo.name.startswith("informes/") and informe.archivo.name.endswith(".pdf")
    assert almacen() == [informe.archivo.name]  # on disk and in a bucket of ALMACEN_URL
    with informe.archivo.open("rb") as guardado:
        assert guardado.read() == emitido and informe.sha256 == sha(emitido)
    with pytest.raises(ValueError):
        informe.archivo.url  # noqa: B018 - private: no public URL, only the permission-checked views


def test_regeneration_serves_the_archive_and_says_it_still_redraws(
    client, semilla, gerente, mas_tarde, almacen
):
    informe, emitido = emitir(client, "informe_pdf", semilla.slug)
    assert almacen() == [informe.archivo.name]
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


@pytest.mark.parametrize("nombre", ["informe_pdf", "comision_pdf"])
def test_an_issue_whose_transaction_fails_leaves_no_archived_file(
    client, semilla, gerente, almacen, monkeypatch, nombre
):
    """The PDF is stored before its row is written; the row's write fails: the file goes too."""
    from seguimiento import integridad

    def falla(*args, **kwargs):
        raise DatabaseError("la base se cayó a media transacción")

    monkeypatch.setattr(integridad, "encadenar", falla)
    argumento = semilla.slug if nombre == "informe_pdf" else Comision.objects.order_by("pk")[0].slug
    with pytest.raises(DatabaseError):
        client.post(reverse(f"reportes:{nombre}", args=[argumento]), {"fecha": "2020-02-07"})
    assert not InformeEmitido.objects.exists()
    assert almacen() == []


def test_a_tampered_archive_is_refused_with_a_spanish_error(client, semilla, gerente):
    informe, emitido = emitir(client, "informe_pdf", semilla.slug)
    escribir_privado(informe.archivo.name, emitido.replace(b"/Title", b"/Titl\x65 ", 1) + b"%")
    respuesta = regenerar(client, informe)
    assert respuesta.status_code == 409
    assert respuesta["Content-Type"].startswith("text/html")
    pagina = normalizar(respuesta.content.decode())
    assert "fue alterado" in pagina and informe.folio in pagina and "no se entrega" in pagina
    assert b"%PDF" not in respuesta.content


def test_a_missing_archive_is_refused_with_a_spanish_error(client, semilla, gerente, almacen):
    informe, _emitido = emitir(client, "informe_pdf", semilla.slug)
    informe.archivo.storage.delete(informe.archivo.name)
    assert almacen() == []
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


def test_archivar_informes_keeps_the_older_reports_that_still_redraw(client, semilla, gerente, almacen):
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
    assert almacen() == [viejo.archivo.name]
    with viejo.archivo.open("rb") as guardado:
        assert guardado.read() == emitido
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
        client.post(reverse("reportes:informe_pdf", args=[semilla.slug]), {"fecha": "2020-02-07"}).content
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


# Issued once per content, by a POST, within a limit ---------------------------------------------


def test_two_identical_downloads_give_one_folio_and_the_same_file(client, semilla, gerente, mas_tarde):
    informe, primero = emitir(client, "informe_pdf", semilla.slug)
    mas_tarde()  # the content compared leaves out folio, code and time
    otra_vez = client.post(reverse("reportes:informe_pdf", args=[semilla.slug]), {"fecha": "2020-02-07"})
    assert otra_vez.status_code == 200 and otra_vez.content == primero
    assert otra_vez["X-Folio"] == informe.folio
    assert InformeEmitido.objects.count() == 1
    assert len(informe.sha256_contenido) == 64 and informe.sha256_contenido != informe.sha256


def test_another_date_issues_another_folio(client, semilla, gerente):
    informe, _ = emitir(client, "informe_pdf", semilla.slug)
    otro, _ = emitir(client, "informe_pdf", semilla.slug, fecha="2021-06-30")
    assert otro.pk != informe.pk and InformeEmitido.objects.count() == 2


def test_a_commitment_status_change_issues_a_new_folio(client, semilla, gerente, estatus, mas_tarde):
    informe, _ = emitir(client, "informe_pdf", semilla.slug)
    compromiso = Compromiso.objects.filter(convenio=semilla).order_by("numero").first()
    registrar_actualizacion(compromiso, estatus=estatus["cumplido"], fecha_efectiva=D(2020, 2, 7))
    mas_tarde()
    nuevo, pdf = emitir(client, "informe_pdf", semilla.slug)
    assert nuevo.pk != informe.pk and "Cumplido" in texto_pdf(pdf)
    assert emitir(client, "informe_pdf", semilla.slug)[0].pk == nuevo.pk, "y ese contenido, una vez"


def test_a_duty_status_change_issues_a_new_commission_folio(client, semilla, gerente, estatus, mas_tarde):
    hoy = timezone.localdate().isoformat()
    informe, _ = emitir(client, "comision_pdf", COMISION, fecha=hoy)
    assert emitir(client, "comision_pdf", COMISION, fecha=hoy)[0].pk == informe.pk
    atribucion = Atribucion.objects.filter(comision__slug=COMISION).order_by("numero").first()
    registrar_actualizacion(atribucion, estatus=estatus["en-proceso"], fecha_efectiva=timezone.localdate())
    mas_tarde()
    assert emitir(client, "comision_pdf", COMISION, fecha=hoy)[0].pk != informe.pk


def test_another_person_gets_their_own_folio_for_the_same_content(client, semilla, usuarios):
    client.force_login(usuarios["gerente"])
    del_gerente, _ = emitir(client, "consolidado_pdf", fecha="2021-01-01")
    client.force_login(usuarios["auditor"])
    del_auditor, _ = emitir(client, "consolidado_pdf", fecha="2021-01-01")
    assert del_auditor.pk != del_gerente.pk and del_auditor.emitido_por == usuarios["auditor"]
    assert del_auditor.sha256_contenido == del_gerente.sha256_contenido


def test_the_database_keeps_one_folio_per_person_and_content(client, semilla, gerente):
    informe, _ = emitir(client, "consolidado_pdf", fecha="2021-01-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        InformeEmitido.objects.create(
            tipo=informe.tipo,
            fecha=informe.fecha,
            emitido_por=informe.emitido_por,
            sha256_contenido=informe.sha256_contenido,
        )


def test_a_repeated_download_whose_archive_was_tampered_with_is_a_409(client, semilla, gerente):
    informe, emitido = emitir(client, "informe_pdf", semilla.slug)
    escribir_privado(informe.archivo.name, emitido + b"%")
    respuesta = client.post(reverse("reportes:informe_pdf", args=[semilla.slug]), {"fecha": "2020-02-07"})
    assert respuesta.status_code == 409 and "fue alterado" in normalizar(respuesta.content.decode())
    assert InformeEmitido.objects.count() == 1


@pytest.mark.parametrize("limite", ["20/hour", "3/min"])
def test_issuing_is_limited_per_person_with_a_spanish_429(client, semilla, usuarios, settings, limite):
    """Within the limit every download answers (identical ones reuse the folio, so they are cheap);
    the next is a 429 that says how long to wait, and issues nothing; another person still may."""
    settings.EMITIR_LIMITE = limite
    n = int(limite.split("/")[0])
    url = reverse("reportes:consolidado_pdf")
    client.force_login(usuarios["gerente"])
    client.get(url)  # the form that issues: not counted
    estados = [client.post(url, {"fecha": "2021-01-01"}).status_code for _ in range(n)]
    assert estados == [200] * n
    fuera = client.post(url, {"fecha": "2021-06-30"})
    assert fuera.status_code == 429
    assert 0 < int(fuera["Retry-After"]) <= (3600 if "hour" in limite else 60)
    assert "Cada persona puede emitir hasta" in normalizar(fuera.content.decode())
    assert InformeEmitido.objects.count() == 1
    client.force_login(usuarios["auditor"])
    assert client.post(url, {"fecha": "2021-01-01"}).status_code == 200


# Who sees an issued report: its issuer, Gerente, Auditor, superusers -----------------------------


def test_a_capturista_sees_only_the_reports_they_issued_in_pages_and_api(client, semilla, usuarios):
    client.force_login(usuarios["gerente"])
    del_gerente, _ = emitir(client, "consolidado_pdf", fecha="2021-01-01")
    client.force_login(usuarios["capturista"])
    propio, _ = emitir(client, "consolidado_pdf", fecha="2021-01-01")
    for nombre in ("reportes:emitido", "reportes:regenerar"):
        assert client.get(reverse(nombre, args=[del_gerente.folio])).status_code == 403
        assert client.get(reverse(nombre, args=[propio.folio])).status_code == 200
    assert del_gerente.folio not in client.get(reverse("reportes:indice")).content.decode()
    api = con_token(usuarios["capturista"])
    assert [i["folio"] for i in api.get("/api/v1/informes/").json()["results"]] == [propio.folio]
    assert api.get(f"/api/v1/informes/{del_gerente.folio}/").status_code == 403
    for rol in ("auditor", "admin"):
        folios = {i["folio"] for i in con_token(usuarios[rol]).get("/api/v1/informes/").json()["results"]}
        assert folios == {propio.folio, del_gerente.folio}


# The register's search ---------------------------------------------------------------------------


def test_the_register_is_searched_by_folio_convenio_and_issuer(client, semilla, usuarios):
    usuarios["capturista"].first_name, usuarios["capturista"].last_name = "Carla", "Captura"
    usuarios["capturista"].save()
    client.force_login(usuarios["capturista"])
    del_convenio, _ = emitir(client, "informe_pdf", semilla.slug)
    client.force_login(usuarios["gerente"])
    consolidado, _ = emitir(client, "consolidado_pdf", fecha="2021-01-01")
    comision = InformeEmitido.objects.create(
        tipo=InformeEmitido.Tipo.COMISION,
        comision=Comision.objects.get(slug=COMISION),
        fecha=D(2024, 1, 2),
        emitido_por=usuarios["auditor"],
    )

    def encontrados(**criterios) -> set[str]:
        html = client.get(reverse("reportes:indice"), criterios).content.decode()
        return {i.folio for i in (del_convenio, consolidado, comision) if f">{i.folio}</a>" in html}

    todos = {del_convenio.folio, consolidado.folio, comision.folio}
    assert encontrados() == todos
    assert encontrados(folio=consolidado.folio) == {consolidado.folio}
    assert encontrados(folio=str(comision.pk)) == {comision.folio}
    assert encontrados(folio="IS-1999-" + f"{comision.pk:06d}") == set()
    assert encontrados(folio="no es folio") == set()
    assert encontrados(objeto="datos.gob") == {del_convenio.folio}
    assert encontrados(objeto="gobierno abierto") == {comision.folio}
    assert encontrados(emisor="carla") == {del_convenio.folio}
    assert encontrados(emisor="gerente") == {consolidado.folio}
    assert encontrados(objeto="datos", emisor="gerente") == set()
    html = client.get(reverse("reportes:indice"), {"objeto": "nada así"}).content.decode()
    assert "Ningún informe del registro coincide con la búsqueda." in html
