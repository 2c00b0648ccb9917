"""The REST API (/api/v1/): the pages' data, rules and rights, through a token or the session."""

import datetime
import io
import threading

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from api.models import ClaveDeAPI
from comisiones.models import Atribucion
from convenios.filters import CompromisoFilterSet, compromisos_base
from convenios.models import Compromiso
from reportes.models import InformeEmitido
from reportes.services import emitir_informe

from .conftest import a_la_vez, con_token, restaurar_datos_de_migraciones
from .datos_masivos import crear_compromisos
from .factories import (
    AtribucionFactory,
    CompromisoFactory,
    ConvenioFactory,
    UsuarioFactory,
    registrar_actualizacion,
)

LISTA = "/api/v1/compromisos/"


def actualizar(elemento) -> str:
    return reverse(f"api:{elemento._meta.model_name}-actualizaciones", args=[elemento.pk])


def pdf(texto: str = "Oficio") -> SimpleUploadedFile:
    return SimpleUploadedFile("oficio.pdf", HTML(string=f"<p>{texto}</p>").write_pdf(), "application/pdf")


# --- Authentication -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ruta",
    ["/api/v1/convenios/", LISTA, "/api/v1/estatus/", "/api/v1/informes/", "/api/v1/esquema/?format=json"],
)
def test_anonymous_gets_401_with_a_token_challenge_not_the_login_page(client, db, ruta):
    respuesta = client.get(ruta)
    assert respuesta.status_code == 401
    assert respuesta["WWW-Authenticate"] == "Token"
    assert respuesta.json()["detail"] == "Las credenciales de autenticación no se proveyeron."


def test_anonymous_browser_on_the_docs_is_sent_to_log_in(client, db):
    respuesta = client.get("/api/v1/docs/")
    assert respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))


def test_answers_to_a_token_are_stored_by_no_cache(usuarios, semilla):
    respuesta = con_token(usuarios["auditor"]).get(LISTA)
    assert respuesta.status_code == 200
    assert {"private", "no-store"} <= {v.strip() for v in respuesta["Cache-Control"].split(",")}


def test_a_wrong_token_is_401_and_a_revoked_one_stops_working(usuarios, semilla):
    assert Client(HTTP_AUTHORIZATION="Token no-existe").get(LISTA).status_code == 401
    cliente = con_token(usuarios["auditor"])
    assert cliente.get(LISTA).status_code == 200
    ClaveDeAPI.objects.filter(usuario=usuarios["auditor"]).delete()
    assert cliente.get(LISTA).status_code == 401


def test_session_writes_need_the_csrf_token_and_token_writes_do_not(usuarios, semilla, estatus):
    compromiso = semilla.compromisos.first()
    version = compromiso.version
    cuerpo = {"estatus": "cumplido", "fecha_efectiva": timezone.localdate().isoformat(), "version": version}
    navegador = Client(enforce_csrf_checks=True)
    navegador.force_login(usuarios["capturista"])
    respuesta = navegador.post(actualizar(compromiso), cuerpo)
    assert respuesta.status_code == 403 and "CSRF" in respuesta.json()["detail"]
    compromiso.refresh_from_db()
    assert compromiso.version == version

    programa = con_token(usuarios["capturista"])
    programa.handler.enforce_csrf_checks = True
    assert programa.post(actualizar(compromiso), cuerpo).status_code == 201


# --- Reading ------------------------------------------------------------------------------------------


def test_commitments_list_pages_with_the_current_status(usuarios, semilla, estatus):
    primero = semilla.compromisos.order_by("numero").first()
    registrar_actualizacion(
        primero, estatus=estatus["cumplido"], fecha_efectiva=timezone.localdate(), nota="Listo."
    )
    datos = con_token(usuarios["auditor"]).get(LISTA).json()
    assert datos["count"] == 11 and datos["next"] is None
    fila = next(f for f in datos["results"] if f["id"] == primero.pk)
    assert fila["convenio"] == semilla.slug and fila["numero"] == primero.numero
    assert fila["vigente"]["estatus"] == {"slug": "cumplido", "nombre": "Cumplido", "categoria": "favorable"}
    assert fila["vigente"]["nota"] == "Listo." and fila["version"] == 2


@pytest.mark.parametrize(
    "consulta",
    [
        {"estatus": "en-cumplimiento"},
        {"estatus": ["incumplido", "cumplido"]},
        {"categoria": "desfavorable"},
        {"q": "datos", "orden": "-texto"},
        {"vencidos": "1", "orden": "limite"},
        {"responsable": "las-partes"},
        {"sin_actualizar": "30", "orden": "-fecha"},
    ],
)
def test_filters_are_the_commitments_pages_own(usuarios, semilla, estatus, consulta):
    """Same parameters, same rows in the same order as the FilterSet the page uses."""
    for compromiso in semilla.compromisos.order_by("numero")[:4]:
        registrar_actualizacion(
            compromiso, estatus=estatus["incumplido"], fecha_efectiva=timezone.localdate(), nota="No."
        )
    respuesta = con_token(usuarios["auditor"]).get(LISTA, consulta)
    assert respuesta.status_code == 200
    datos = QueryDict(mutable=True)
    for clave, valor in consulta.items():
        datos.setlist(clave, valor if isinstance(valor, list) else [valor])
    esperados = [c.pk for c in CompromisoFilterSet(datos, queryset=compromisos_base()).qs]
    assert [f["id"] for f in respuesta.json()["results"]] == esperados


@pytest.mark.parametrize(
    ("consulta", "campo", "mensaje"),
    [
        ("?estatus=no-existe", "estatus", "no-existe no es una de las opciones disponibles"),
        ("?desde=2024-13-01", "desde", "Introduzca una fecha válida."),
        ("?desde=2024-05-01&hasta=2024-01-01", "non_field_errors", "es posterior a la fecha «hasta»"),
        ("?fecha=2999-01-01", "fecha", "está en el futuro"),
        ("?fecha=ayer", "fecha", "use el formato AAAA-MM-DD"),
    ],
)
def test_invalid_filters_are_a_400_in_spanish_never_a_partial_list(
    usuarios, semilla, consulta, campo, mensaje
):
    respuesta = con_token(usuarios["auditor"]).get(LISTA + consulta)
    assert respuesta.status_code == 400
    assert mensaje in " ".join(respuesta.json()[campo])


def test_fecha_shows_each_status_as_it_was_that_day(usuarios, estatus):
    compromiso = CompromisoFactory(convenio=ConvenioFactory())
    antes = timezone.localdate() - datetime.timedelta(days=30)
    registrar_actualizacion(compromiso, estatus=estatus["en-proceso"], fecha_efectiva=antes, nota="Inicio.")
    registrar_actualizacion(compromiso, estatus=estatus["cumplido"], fecha_efectiva=timezone.localdate())
    cliente = con_token(usuarios["auditor"])

    def vigente(consulta: str) -> dict | None:
        return cliente.get(LISTA + consulta).json()["results"][0]["vigente"]

    assert vigente("")["estatus"]["slug"] == "cumplido"
    pasado = vigente(f"?fecha={(timezone.localdate() - datetime.timedelta(days=10)).isoformat()}")
    assert pasado["estatus"]["slug"] == "en-proceso" and pasado["nota"] == "Inicio."
    assert pasado["fecha_efectiva"] == antes.isoformat()
    assert vigente(f"?fecha={(antes - datetime.timedelta(days=1)).isoformat()}") is None
    uno = cliente.get(f"{LISTA}{compromiso.pk}/?fecha={antes.isoformat()}").json()
    assert uno["vigente"]["estatus"]["slug"] == "en-proceso"


@pytest.mark.archivos
def test_history_lists_every_update_latest_first(usuarios, estatus, tmp_path):
    compromiso = CompromisoFactory(convenio=ConvenioFactory())
    registrar_actualizacion(
        compromiso, estatus=estatus["pendiente"], fecha_efectiva=timezone.localdate(), evidencia=pdf()
    )
    registrar_actualizacion(
        compromiso, estatus=estatus["incumplido"], fecha_efectiva=timezone.localdate(), nota="Tarde."
    )
    cliente = con_token(usuarios["gerente"])
    historial = cliente.get(actualizar(compromiso)).json()
    assert [h["estatus"]["slug"] for h in historial] == ["incumplido", "pendiente"]
    assert historial[0]["estatus_anterior"] == "pendiente" and historial[1]["estatus_anterior"] is None
    assert historial[0]["evidencia"] is None
    descarga = cliente.get(historial[1]["evidencia"])
    assert descarga.status_code == 200 and b"".join(descarga.streaming_content).startswith(b"%PDF")


def test_convenios_commissions_duties_and_the_status_catalogue(usuarios, semilla):
    cliente = con_token(usuarios["auditor"])
    convenio = cliente.get(f"/api/v1/convenios/{semilla.slug}/").json()
    assert convenio["nombre"] == semilla.nombre
    assert [p["dependencia"] for p in convenio["partes"]] == [
        p.dependencia.nombre for p in semilla.partes.all()
    ]
    comisiones = cliente.get("/api/v1/comisiones/").json()["results"]
    gobierno_abierto = next(
        c for c in comisiones if c["slug"] == "gobierno-abierto-y-transparencia-proactiva"
    )
    assert len(gobierno_abierto["objetivos"]) == 2 and len(gobierno_abierto["colabora_con"]) == 1
    atribuciones = cliente.get("/api/v1/atribuciones/?comision=gobierno-abierto-y-transparencia-proactiva")
    assert atribuciones.json()["count"] == 9
    assert cliente.get("/api/v1/atribuciones/?materia=ninguna").status_code == 400
    catalogo = cliente.get("/api/v1/estatus/").json()
    assert {"cumplido", "incumplido", "no-aplica"} <= {e["slug"] for e in catalogo}


@pytest.mark.archivos
def test_issued_reports_show_folio_date_and_sha256_only_of_what_the_user_reads(usuarios, semilla):
    informe, _pdf = emitir_informe(
        InformeEmitido.Tipo.CONVENIO, semilla, timezone.localdate(), usuarios["gerente"]
    )
    informe.refresh_from_db()
    datos = con_token(usuarios["auditor"]).get("/api/v1/informes/").json()["results"]
    assert datos == [
        {
            "folio": informe.folio,
            "tipo": "convenio",
            "convenio": semilla.slug,
            "comision": None,
            "fecha": timezone.localdate().isoformat(),
            "emitido_en": datos[0]["emitido_en"],
            "emitido_por": "gerente",
            "sha256": informe.sha256,
        }
    ]
    assert len(informe.sha256) == 64
    uno = con_token(usuarios["auditor"]).get(f"/api/v1/informes/{informe.folio}/")
    assert uno.json()["sha256"] == informe.sha256
    assert con_token(usuarios["auditor"]).get("/api/v1/informes/IS-1999-000001/").status_code == 404
    # A role that reads reports but not convenios sees none of them, as on the pages.
    lector = UsuarioFactory(username="solo-informes")
    lector.user_permissions.add(Permission.objects.get(codename="descargar_informe"))
    assert con_token(lector).get("/api/v1/informes/").json()["count"] == 0
    assert con_token(lector).get(f"/api/v1/informes/{informe.folio}/").status_code == 403


# --- Writing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("crear", [lambda: CompromisoFactory(convenio=ConvenioFactory()), AtribucionFactory])
def test_recording_an_update_answers_201_with_it_and_the_new_version(usuarios, estatus, crear):
    elemento = crear()
    cuerpo = {
        "estatus": "en-proceso",
        "fecha_efectiva": timezone.localdate().isoformat(),
        "nota": "  Calendario definido. ",
        "enlace": "https://www.datos.gob.mx/",
        "version": 0,
    }
    respuesta = con_token(usuarios["capturista"]).post(
        actualizar(elemento), cuerpo, content_type="application/json"
    )
    assert respuesta.status_code == 201, respuesta.content
    datos = respuesta.json()
    elemento.refresh_from_db()
    assert datos["version"] == elemento.version == 1
    assert datos["actualizacion"]["id"] == elemento.ultima_actualizacion_id
    assert datos["actualizacion"]["nota"] == "Calendario definido."
    assert datos["actualizacion"]["nota_publica"] is False  # internal unless marked public
    assert datos["actualizacion"]["registrado_por"] == "capturista"
    assert elemento.ultima_actualizacion.estatus.slug == "en-proceso"

    publica = {**cuerpo, "estatus": "cumplido", "nota": "Publicado.", "nota_publica": True, "version": 1}
    respuesta = con_token(usuarios["capturista"]).post(
        actualizar(elemento), publica, content_type="application/json"
    )
    assert respuesta.status_code == 201, respuesta.content
    assert respuesta.json()["actualizacion"]["nota_publica"] is True
    elemento.refresh_from_db()
    assert elemento.ultima_actualizacion.nota_publica is True


@pytest.mark.archivos
def test_evidence_goes_as_multipart_and_is_checked_like_the_pages(usuarios, estatus):
    compromiso = CompromisoFactory(convenio=ConvenioFactory())
    cliente = con_token(usuarios["capturista"])
    cuerpo = {"estatus": "cumplido", "fecha_efectiva": timezone.localdate().isoformat(), "version": 0}
    falso = SimpleUploadedFile("oficio.pdf", b"no soy un PDF", "application/pdf")
    rechazo = cliente.post(actualizar(compromiso), {**cuerpo, "evidencia": falso})
    assert rechazo.status_code == 400 and "evidencia" in rechazo.json()
    aceptada = cliente.post(actualizar(compromiso), {**cuerpo, "evidencia": pdf("Acta")})
    assert aceptada.status_code == 201
    actualizacion = compromiso.actualizaciones.get()
    with actualizacion.evidencia.open("rb") as archivo:
        assert archivo.read().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("cambio", "campo", "mensaje"),
    [
        ({"estatus": "incumplido"}, "nota", "Escriba una nota que explique"),
        ({"fecha_efectiva": "2999-01-01"}, "fecha_efectiva", "no puede estar en el futuro"),
        ({"fecha_efectiva": "07/02/2020"}, "fecha_efectiva", "Escriba la fecha como AAAA-MM-DD."),
        ({"estatus": "inventado"}, "estatus", "Seleccione una opción válida"),
        ({"enlace": "no es una dirección"}, "enlace", "Escriba una dirección web válida"),
        ({"version": None}, "version", "Falta la versión del formulario"),
        ({"estatus": None}, "estatus", "Este campo es obligatorio."),  # Django's wording, not DRF's
        ({"version": [1]}, "version", "Introduzca un número entero."),
    ],
)
def test_invalid_updates_are_400_with_spanish_field_errors_and_write_nothing(
    usuarios, estatus, cambio, campo, mensaje
):
    compromiso = CompromisoFactory(convenio=ConvenioFactory())
    cuerpo = {
        "estatus": "cumplido",
        "fecha_efectiva": timezone.localdate().isoformat(),
        "version": 0,
        **cambio,
    }
    cuerpo = {k: v for k, v in cuerpo.items() if v is not None}
    respuesta = con_token(usuarios["capturista"]).post(
        actualizar(compromiso), cuerpo, content_type="application/json"
    )
    assert respuesta.status_code == 400
    assert mensaje in " ".join(respuesta.json()[campo])
    assert not compromiso.actualizaciones.exists()


def test_a_stale_version_is_409_with_the_current_version_and_what_changed(usuarios, estatus):
    compromiso = CompromisoFactory(convenio=ConvenioFactory())
    otra = UsuarioFactory(username="otra", rol="Capturista")
    registrar_actualizacion(
        compromiso, estatus=estatus["en-proceso"], fecha_efectiva=timezone.localdate(), usuario=otra
    )
    cuerpo = {"estatus": "cumplido", "fecha_efectiva": timezone.localdate().isoformat(), "version": 0}
    respuesta = con_token(usuarios["capturista"]).post(
        actualizar(compromiso), cuerpo, content_type="application/json"
    )
    assert respuesta.status_code == 409
    datos = respuesta.json()
    assert datos["version_actual"] == 1 and datos["version_enviada"] == 0
    assert "Otra persona registró una actualización" in datos["detail"]
    assert [(a["estatus"]["slug"], a["registrado_por"]) for a in datos["registradas_despues"]] == [
        ("en-proceso", "otra")
    ]
    assert compromiso.actualizaciones.count() == 1


@pytest.mark.parametrize("rol", ["gerente", "auditor", "importador", "sin_rol"])
def test_roles_that_may_not_record_get_403(usuarios, estatus, rol):
    compromiso = CompromisoFactory(convenio=ConvenioFactory())
    cuerpo = {"estatus": "cumplido", "fecha_efectiva": timezone.localdate().isoformat(), "version": 0}
    respuesta = con_token(usuarios[rol]).post(actualizar(compromiso), cuerpo, content_type="application/json")
    assert respuesta.status_code == 403
    assert not compromiso.actualizaciones.exists()


@pytest.mark.parametrize("metodo", ["put", "patch", "delete"])
def test_nothing_is_changed_or_deleted_through_the_api(usuarios, estatus, metodo):
    compromiso = CompromisoFactory(convenio=ConvenioFactory())
    registrar_actualizacion(compromiso, estatus=estatus["pendiente"], fecha_efectiva=timezone.localdate())
    cliente = con_token(usuarios["admin"])
    for ruta in (actualizar(compromiso), f"{LISTA}{compromiso.pk}/", LISTA):
        assert getattr(cliente, metodo)(ruta, {}, content_type="application/json").status_code == 405
    assert compromiso.actualizaciones.count() == 1


def test_unknown_item_is_404(usuarios, estatus):
    cuerpo = {"estatus": "cumplido", "fecha_efectiva": timezone.localdate().isoformat(), "version": 0}
    cliente = con_token(usuarios["capturista"])
    assert cliente.post("/api/v1/compromisos/999999/actualizaciones/", cuerpo).status_code == 404
    assert cliente.get("/api/v1/atribuciones/abc/").status_code == 404


# --- Limits -------------------------------------------------------------------------------------------


def test_each_token_has_its_own_request_limit_and_429_says_when_to_retry(usuarios, semilla, settings):
    settings.API_LIMITE = "3/min"
    auditor, gerente = con_token(usuarios["auditor"]), con_token(usuarios["gerente"])
    assert [auditor.get("/api/v1/estatus/").status_code for _ in range(3)] == [200] * 3
    respuesta = auditor.get("/api/v1/estatus/")
    assert respuesta.status_code == 429
    assert 0 < int(respuesta["Retry-After"]) <= 60
    assert "Solicitud fue regulada" in respuesta.json()["detail"]
    assert gerente.get("/api/v1/estatus/").status_code == 200


# --- Tokens -------------------------------------------------------------------------------------------


def test_crear_token_prints_a_working_token_and_rotates_it(usuarios, semilla):
    salida = io.StringIO()
    call_command("crear_token", "auditor", stdout=salida, stderr=io.StringIO())
    primera = salida.getvalue().strip()
    assert Client(HTTP_AUTHORIZATION=f"Token {primera}").get(LISTA).status_code == 200
    salida = io.StringIO()
    call_command("crear_token", "auditor", stdout=salida, stderr=io.StringIO())
    segunda = salida.getvalue().strip()
    assert segunda != primera and len(segunda) == 40
    assert Client(HTTP_AUTHORIZATION=f"Token {primera}").get(LISTA).status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Token {segunda}").get(LISTA).status_code == 200


def test_crear_token_refuses_unknown_and_inactive_users(usuarios):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No existe el usuario «nadie»"):
        call_command("crear_token", "nadie")
    usuarios["gerente"].is_active = False
    usuarios["gerente"].save()
    with pytest.raises(CommandError, match="está inactivo"):
        call_command("crear_token", "gerente")


def test_admin_issues_a_key_shows_it_once_and_revokes_it(client, usuarios, semilla):
    client.force_login(usuarios["admin"])
    emitida = client.post(reverse("admin:api_clavedeapi_add"), {"usuario": usuarios["auditor"].pk})
    assert emitida.status_code == 200
    clave = emitida.context["clave"]
    assert len(clave) == 40 and clave in emitida.content.decode()
    assert "única vez que se muestra" in emitida.content.decode()
    assert Client(HTTP_AUTHORIZATION=f"Token {clave}").get(LISTA).status_code == 200
    fila = ClaveDeAPI.objects.get(usuario=usuarios["auditor"])
    lista = client.get(reverse("admin:api_clavedeapi_changelist")).content.decode()
    assert "auditor" in lista and fila.prefijo in lista and clave not in lista
    detalle = client.get(reverse("admin:api_clavedeapi_change", args=[fila.pk])).content.decode()
    assert fila.prefijo in detalle and clave not in detalle

    otra = client.post(reverse("admin:api_clavedeapi_add"), {"usuario": usuarios["auditor"].pk})
    assert otra.status_code == 200  # issuing again replaces the key, as crear_token does
    assert Client(HTTP_AUTHORIZATION=f"Token {clave}").get(LISTA).status_code == 401
    nueva = otra.context["clave"]
    borrar = reverse("admin:api_clavedeapi_delete", args=[ClaveDeAPI.objects.get().pk])
    assert client.post(borrar, {"post": "yes"}).status_code == 302
    assert not ClaveDeAPI.objects.exists()
    assert Client(HTTP_AUTHORIZATION=f"Token {nueva}").get(LISTA).status_code == 401


def test_drf_token_admin_is_not_offered(client, usuarios):
    """DRF's own token admin would store keys in clear."""
    client.force_login(usuarios["admin"])
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404


# --- Schema -------------------------------------------------------------------------------------------


def test_schema_validates_without_warnings(tmp_path, db):
    destino = tmp_path / "esquema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(destino))
    texto = destino.read_text(encoding="utf-8")
    assert "/api/v1/compromisos/{id}/actualizaciones/" in texto
    assert "Registrar una actualización de estatus" in texto


def test_schema_is_served_to_authenticated_users(usuarios):
    respuesta = con_token(usuarios["auditor"]).get("/api/v1/esquema/?format=json")
    assert respuesta.status_code == 200
    assert respuesta.json()["openapi"].startswith("3.")


# --- Speed --------------------------------------------------------------------------------------------


def consultas(cliente, consulta: str) -> int:
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = cliente.get(LISTA + consulta)
    assert respuesta.status_code == 200
    assert respuesta.json()["results"]
    return len(capturadas.captured_queries)


@pytest.mark.parametrize(
    "consulta", ["", "?estatus=incumplido&orden=-fecha", "?sin_actualizar=90&q=datos", "?fecha=2022-06-30"]
)
def test_commitment_list_query_count_is_the_same_for_100_and_2000_commitments(usuarios, consulta):
    cliente = con_token(usuarios["auditor"])
    cliente.get("/api/v1/estatus/")  # the key's first use of the minute is recorded (one more query)
    crear_compromisos(100, 2_000, semilla=1, por_convenio=50)
    con_cien = consultas(cliente, consulta)
    crear_compromisos(1_900, 9_500, semilla=2)
    assert Compromiso.objects.count() == 2_000
    assert consultas(cliente, consulta) == con_cien <= 10


# --- Concurrency --------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("modelo", [Compromiso, Atribucion])
def test_api_and_page_submitting_the_same_version_at_once_accept_exactly_one(modelo):
    if connection.vendor != "postgresql":
        pytest.skip("los bloqueos de fila reales se prueban en PostgreSQL")
    restaurar_datos_de_migraciones()
    elemento = CompromisoFactory(convenio=ConvenioFactory()) if modelo is Compromiso else AtribucionFactory()
    pagina = reverse(f"{modelo._meta.app_label}:actualizar", args=[elemento.pk])
    personas = [UsuarioFactory(username=f"capturista{i}", rol="Capturista") for i in range(4)]
    barrera = threading.Barrier(len(personas))
    respuestas = []

    def enviar(persona, i):
        if i % 2:
            cliente, ruta = Client(), pagina
            cliente.force_login(persona)
            cuerpo = {
                "estatus": "en-proceso",
                "fecha": timezone.localdate().isoformat(),
                "nota": f"página {i}",
                "version": 0,
            }
        else:
            cliente, ruta = con_token(persona), actualizar(elemento)
            cuerpo = {
                "estatus": "en-proceso",
                "fecha_efectiva": timezone.localdate().isoformat(),
                "nota": f"api {i}",
                "version": 0,
            }
        barrera.wait()
        respuestas.append(("api" if i % 2 == 0 else "página", cliente.post(ruta, cuerpo).status_code))

    a_la_vez(enviar, personas)

    codigos = sorted(codigo for _, codigo in respuestas)
    assert len(respuestas) == len(personas)
    assert codigos in ([201] + [409] * 3, [302] + [409] * 3), respuestas
    elemento.refresh_from_db()
    assert elemento.version == 1 and elemento.actualizaciones.count() == 1
