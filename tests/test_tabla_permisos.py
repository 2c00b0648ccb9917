"""THE permission table: who may open every named page, written once, as data.

The matrix is generated from the URL resolver itself: every named URL (outside the admin, which
has its own rules) × every role × GET and POST is asserted, and a URL missing from ``TABLA`` fails
the suite, so a new view cannot ship without deciding who may use it. The menu is checked against
the same table: it never offers a page its user cannot open.

The API's endpoints (``api:``) are rows like any page; they answer an anonymous request with 401 and
a token challenge instead of the login page, and refuse PUT, PATCH and DELETE to everyone.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from weasyprint import HTML

from comisiones.models import Atribucion
from convenios.models import Compromiso
from convenios.services import solicitar_prorroga
from reportes.models import InformeEmitido
from reportes.services import emitir_informe
from seguimiento.models import Estatus
from seguimiento.services import proponer

from .conftest import enlaces_del_menu
from .factories import registrar_actualizacion

# The seed and the users are built once for the module (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("mundo_del_modulo")

ROLES = ["anonimo", "sin_rol", "capturista", "gerente", "auditor", "importador", "enlace", "admin"]

# Who may use a page, by role. PUBLICO includes anonymous visitors; SESION, anyone logged in.
PUBLICO = frozenset(ROLES)
SESION = PUBLICO - {"anonimo"}
NADIE = frozenset()
# «enlace» is the Enlace of the seed's state government and commission: it reads them (and only them;
# see TABLA_DE_OBJETOS below for an Enlace of other ones).
LEEN_CONVENIOS = frozenset({"capturista", "gerente", "auditor", "importador", "enlace", "admin"})
LEEN_COMISIONES = frozenset({"capturista", "gerente", "auditor", "enlace", "admin"})
INFORMES_DE_CONVENIO = LEEN_CONVENIOS  # descargar_informe + reading convenios
INFORMES_DE_COMISION = LEEN_COMISIONES  # descargar_informe + reading commissions
CONSOLIDADO = INFORMES_DE_CONVENIO - {"enlace"}  # every convenio at once: never an Enlace's (404)
# An issued report (the sample one is the gerente's): its issuer, and who sees the whole register.
VEN_EL_REGISTRO = frozenset({"gerente", "auditor", "admin"})
REGISTRAN = frozenset({"capturista", "admin"})
IMPORTAN = frozenset({"importador", "admin"})
EXPORTAN = frozenset({"gerente", "auditor", "importador", "admin"})
# Proposals (docs/propuestas.md): an Enlace proposes for its own items (TABLA_DE_OBJETOS), whoever
# records updates decides, and whoever reads the items (but the Importador) sees the proposals.
PROPONEN = frozenset({"enlace", "admin"})
VEN_PROPUESTAS_DE_CONVENIO = LEEN_CONVENIOS - {"importador"}
VEN_PROPUESTAS_DE_COMISION = LEEN_COMISIONES
FIRMAN = frozenset({"gerente", "admin"})  # firmar_informe (reportes/0010)

# URL name: (who may GET, who may POST). A write view answers a POST with missing fields with 400;
# that still counts as "let in", as opposed to 302-to-login, 403 or 405.
TABLA = {
    "inicio": (SESION, NADIE),
    "graficas": (LEEN_CONVENIOS, NADIE),
    "login": (PUBLICO, PUBLICO),
    "logout": (NADIE, SESION),
    "password_change": (SESION, SESION),
    "password_change_done": (SESION, NADIE),
    "password_reset": (PUBLICO, PUBLICO),
    "password_reset_done": (PUBLICO, NADIE),
    "password_reset_confirm": (PUBLICO, PUBLICO),
    "password_reset_complete": (PUBLICO, NADIE),
    "convenios:lista": (LEEN_CONVENIOS, NADIE),
    "convenios:detalle": (LEEN_CONVENIOS, NADIE),
    "convenios:compromisos": (LEEN_CONVENIOS, NADIE),
    "convenios:actualizar": (REGISTRAN, REGISTRAN),
    "convenios:historial": (LEEN_CONVENIOS, NADIE),
    "convenios:fila": (LEEN_CONVENIOS, NADIE),
    "convenios:evidencia": (LEEN_CONVENIOS, NADIE),
    "convenios:importar": (IMPORTAN, IMPORTAN),
    "convenios:plantilla_importacion": (LEEN_CONVENIOS, NADIE),
    "convenios:plantilla_importacion_ods": (LEEN_CONVENIOS, NADIE),
    "convenios:exportar": (EXPORTAN, NADIE),
    "convenios:proponer": (PROPONEN, PROPONEN),
    "convenios:decidir": (NADIE, REGISTRAN),
    "convenios:evidencia_propuesta": (VEN_PROPUESTAS_DE_CONVENIO, NADIE),
    # Extensions (docs/prorrogas.md): an Enlace asks for its own commitments, the Capturista decides.
    "convenios:prorrogar": (PROPONEN, PROPONEN),
    "convenios:prorrogas": (REGISTRAN, NADIE),
    "convenios:decidir_prorroga": (NADIE, REGISTRAN),
    "comisiones:lista": (LEEN_COMISIONES, NADIE),
    "comisiones:atribuciones": (LEEN_COMISIONES, NADIE),
    "comisiones:detalle": (LEEN_COMISIONES, NADIE),
    "comisiones:actualizar": (REGISTRAN, REGISTRAN),
    "comisiones:historial": (LEEN_COMISIONES, NADIE),
    "comisiones:fila": (LEEN_COMISIONES, NADIE),
    "comisiones:evidencia": (LEEN_COMISIONES, NADIE),
    "comisiones:proponer": (PROPONEN, PROPONEN),
    "comisiones:decidir": (NADIE, REGISTRAN),
    "comisiones:evidencia_propuesta": (VEN_PROPUESTAS_DE_COMISION, NADIE),
    "seguimiento:por_validar": (REGISTRAN, NADIE),
    "reportes:informe": (INFORMES_DE_CONVENIO, NADIE),
    "reportes:informe_pdf": (INFORMES_DE_CONVENIO, INFORMES_DE_CONVENIO),  # GET: the form; POST issues
    "reportes:consolidado": (CONSOLIDADO, NADIE),
    "reportes:consolidado_pdf": (CONSOLIDADO, CONSOLIDADO),
    "reportes:comision": (INFORMES_DE_COMISION, NADIE),
    "reportes:comision_pdf": (INFORMES_DE_COMISION, INFORMES_DE_COMISION),
    "reportes:verificar": (PUBLICO, PUBLICO),
    "reportes:emitido": (VEN_EL_REGISTRO, NADIE),
    "reportes:regenerar": (VEN_EL_REGISTRO, NADIE),
    "reportes:firmar": (FIRMAN, FIRMAN),
    "reportes:indice": (INFORMES_DE_CONVENIO, NADIE),
    "avisos:seguir": (NADIE, LEEN_CONVENIOS),
    "salud": (PUBLICO, NADIE),
    "favicon": (PUBLICO, NADIE),
    "api:convenio-list": (LEEN_CONVENIOS, NADIE),
    "api:convenio-detail": (LEEN_CONVENIOS, NADIE),
    "api:compromiso-list": (LEEN_CONVENIOS, NADIE),
    "api:compromiso-detail": (LEEN_CONVENIOS, NADIE),
    "api:compromiso-actualizaciones": (LEEN_CONVENIOS, REGISTRAN),
    "api:compromiso-evidencia": (LEEN_CONVENIOS, NADIE),
    "api:comision-list": (LEEN_COMISIONES, NADIE),
    "api:comision-detail": (LEEN_COMISIONES, NADIE),
    "api:atribucion-list": (LEEN_COMISIONES, NADIE),
    "api:atribucion-detail": (LEEN_COMISIONES, NADIE),
    "api:atribucion-actualizaciones": (LEEN_COMISIONES, REGISTRAN),
    "api:atribucion-evidencia": (LEEN_COMISIONES, NADIE),
    "api:estatus-list": (LEEN_CONVENIOS, NADIE),
    "api:informe-list": (INFORMES_DE_CONVENIO, NADIE),
    "api:informe-detail": (VEN_EL_REGISTRO, NADIE),
    "api:compromiso-propuestas": (NADIE, PROPONEN),
    "api:atribucion-propuestas": (NADIE, PROPONEN),
    "api:propuesta-list": (VEN_PROPUESTAS_DE_CONVENIO | VEN_PROPUESTAS_DE_COMISION, NADIE),
    "api:propuesta-decision": (NADIE, REGISTRAN),
    # Extensions by API (docs/api.md): the same rules as the pages.
    "api:compromiso-prorrogas": (NADIE, PROPONEN),
    "api:prorroga-list": (VEN_PROPUESTAS_DE_CONVENIO, NADIE),
    "api:prorroga-decision": (NADIE, REGISTRAN),
    "api:esquema": (SESION, NADIE),
    "api:docs": (SESION, NADIE),  # a page for people: anonymous visitors go to the login page
    "datos:portal": (PUBLICO, NADIE),
    "datos:convenio": (PUBLICO, NADIE),
    "datos:comision": (PUBLICO, NADIE),
    "datos:archivo": (PUBLICO, NADIE),
    "datos:archivo_excel": (PUBLICO, NADIE),
    "datos:diccionario": (PUBLICO, NADIE),
    "datos:paquete": (PUBLICO, NADIE),
    "datos:catalogo": (PUBLICO, NADIE),
    "datos:catalogo_turtle": (PUBLICO, NADIE),
    "datos:integridad": (PUBLICO, NADIE),
}
# Pages a role is refused with 404, not 403: an Enlace is never told that what it may not read exists.
NO_EXISTEN_PARA = {"reportes:consolidado": {"enlace"}, "reportes:consolidado_pdf": {"enlace"}}
# Who passes an endpoint's permission though the sample object may still be refused to them (another
# person's issued report): a write is refused for its method (405) before the object is looked up.
POR_OBJETO = {"api:informe-detail": INFORMES_DE_CONVENIO}
# Endpoints with API semantics: anonymous → 401 with ``WWW-Authenticate: Token``; no PUT/PATCH/DELETE.
API = frozenset(nombre for nombre in TABLA if nombre.startswith("api:") and nombre != "api:docs")

# The URLs whose example object holds a private file (an update's or a proposal's evidence, an issued
# report) or that issue a report: their cases touch private files, so `make test` runs them on S3 too.
CON_ARCHIVOS = {
    *(
        f"{espacio}:{vista}"
        for espacio in ("convenios", "comisiones")
        for vista in ("evidencia", "evidencia_propuesta", "decidir")
    ),
    *(
        f"reportes:{vista}"
        for vista in ("emitido", "regenerar", "firmar", "informe_pdf", "comision_pdf", "consolidado_pdf")
    ),
    "api:compromiso-evidencia",
    "api:atribucion-evidencia",
    "api:propuesta-decision",
    "api:informe-detail",
}


def caso(nombre: str, *resto):
    """A parametrized case of URL ``nombre``, marked ``archivos`` when it touches private files."""
    marcas = [pytest.mark.archivos] if nombre in CON_ARCHIVOS else []
    return pytest.param(nombre, *resto, marks=marcas)


NEGADO = {403, 405}
# The pages the menu may offer, main entries and the user's menu (the admin has its own rule: staff).
MENU = [
    "convenios:lista",
    "convenios:compromisos",
    "comisiones:lista",
    "comisiones:atribuciones",
    "reportes:indice",
    "reportes:verificar",
    "convenios:importar",
    "seguimiento:por_validar",
    "convenios:prorrogas",
    "password_change",
]


def nombres_de_urls(patrones=None, espacio=None):
    """Every named URL the resolver knows, outside the admin."""
    for patron in get_resolver().url_patterns if patrones is None else patrones:
        if isinstance(patron, URLResolver):
            if patron.namespace != "admin":
                yield from nombres_de_urls(patron.url_patterns, patron.namespace or espacio)
        elif isinstance(patron, URLPattern) and patron.name:
            yield f"{espacio}:{patron.name}" if espacio else patron.name


def test_every_named_url_has_a_row_in_the_table():
    assert sorted(set(nombres_de_urls())) == sorted(TABLA)
    assert set(TABLA) >= CON_ARCHIVOS, CON_ARCHIVOS - set(TABLA)


@pytest.fixture
def mundo(semilla, usuarios):
    """The seed, one user per role, and what a URL needs, made only when it is asked for (an update
    with evidence on each kind of item, an issued report): the matrix runs ~500 requests."""
    compromiso = Compromiso.objects.filter(convenio=semilla).first()
    atribucion = Atribucion.objects.order_by("pk").first()
    elementos = {"convenios": compromiso, "comisiones": atribucion}

    def con_evidencia(espacio: str) -> int:
        actualizacion = registrar_actualizacion(
            elementos[espacio],
            estatus=Estatus.objects.get(slug="cumplido"),
            fecha_efectiva=timezone.localdate(),
            evidencia=SimpleUploadedFile("oficio.pdf", HTML(string="<p>Oficio</p>").write_pdf()),
        )
        return actualizacion.pk

    def con_propuesta(espacio: str) -> int:
        """A pending proposal with evidence on the seed's item (one at a time: the one there, if any)."""
        elemento = elementos[espacio]
        if pendiente := elemento.propuestas.pendientes().first():
            return pendiente.pk
        propuesta = proponer(
            elemento,
            estatus=Estatus.objects.get(slug="cumplido"),
            fecha_efectiva=timezone.localdate(),
            usuario=usuarios["admin"],
            version=elemento.version,
            evidencia=SimpleUploadedFile("oficio.pdf", HTML(string="<p>Oficio</p>").write_pdf()),
        )
        return propuesta.pk

    def con_prorroga() -> int:
        """A pending extension request on the seed's commitment (one at a time: the one there, if any)."""
        if pendiente := elementos["convenios"].solicitudes_prorroga.pendientes().first():
            return pendiente.pk
        return solicitar_prorroga(
            elementos["convenios"],
            fecha_nueva=timezone.localdate() + datetime.timedelta(days=30),
            justificacion="Razón.",
            usuario=usuarios["admin"],
        ).pk

    def emitido() -> str:
        informe, _pdf = emitir_informe(
            InformeEmitido.Tipo.CONVENIO, semilla, timezone.localdate(), usuarios["gerente"]
        )
        return informe.folio

    def argumentos(nombre: str) -> list:
        espacio, _, vista = nombre.rpartition(":")
        if espacio == "api":
            return argumentos_api(*vista.rpartition("-")[::2])
        if vista == "decidir_prorroga":
            return [con_prorroga()]
        if vista in ("actualizar", "historial", "fila", "proponer", "prorrogar"):
            return [elementos[espacio].pk]
        if vista in ("decidir", "evidencia_propuesta"):
            return [con_propuesta(espacio)]
        if vista == "evidencia":
            return [con_evidencia(espacio)]
        if vista in ("emitido", "regenerar", "firmar"):
            return [emitido()]
        if vista == "archivo":
            return ["compromisos", "csv"]
        if vista in ("diccionario", "archivo_excel"):
            return ["compromisos"]
        if vista in ("detalle", "informe", "informe_pdf", "comision", "comision_pdf", "seguir", "convenio"):
            convenio = (
                vista.startswith("informe") or vista == "convenio" or espacio in ("convenios", "avisos")
            )
            return [semilla.slug if convenio else atribucion.comision.slug]
        if vista == "password_reset_confirm":
            return ["MQ", "clave-falsa"]
        return []

    def argumentos_api(recurso: str, accion: str) -> list:
        de_la_pagina = {"compromiso": "convenios", "atribucion": "comisiones"}.get(recurso)
        if accion in ("actualizaciones", "detail", "propuestas", "prorrogas") and de_la_pagina:
            return [elementos[de_la_pagina].pk]
        if accion == "decision" and recurso == "prorroga":
            return [con_prorroga()]
        if accion == "decision":
            return [f"compromiso-{con_propuesta('convenios')}"]
        if accion == "evidencia":
            return [con_evidencia(de_la_pagina)]
        if accion == "detail":
            claves = {"convenio": semilla.slug, "comision": atribucion.comision.slug}
            return [claves[recurso]] if recurso in claves else [emitido()]
        return []

    return {"usuarios": usuarios, "argumentos": argumentos}


def pedir(client, mundo, nombre: str, metodo: str, rol: str, url: str | None = None):
    if rol != "anonimo":
        client.force_login(mundo["usuarios"][rol])
    return getattr(client, metodo)(url or reverse(nombre, args=mundo["argumentos"](nombre)))


@pytest.mark.parametrize("rol", ROLES)
@pytest.mark.parametrize("metodo", ["get", "post"])
@pytest.mark.parametrize("nombre", [caso(nombre) for nombre in sorted(TABLA)])
def test_each_role_may_do_exactly_what_the_table_says(client, mundo, nombre, metodo, rol):
    permitidos = TABLA[nombre][0 if metodo == "get" else 1]
    respuesta = pedir(client, mundo, nombre, metodo, rol)
    a_iniciar_sesion = respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))
    if nombre == "logout" and rol in permitidos:
        assert a_iniciar_sesion, respuesta.status_code  # logging out ends on the login page
    elif rol in permitidos:
        assert respuesta.status_code not in NEGADO | {404, 500} and not a_iniciar_sesion, (
            respuesta.status_code
        )
    elif rol == "anonimo" and nombre in API:
        assert respuesta.status_code == 401 and respuesta["WWW-Authenticate"] == "Token", (
            respuesta.status_code
        )
    elif rol == "anonimo" and PUBLICO not in TABLA[nombre]:
        assert a_iniciar_sesion, respuesta.status_code
    elif rol in NO_EXISTEN_PARA.get(nombre, ()) and (metodo == "get" or TABLA[nombre][1]):
        assert respuesta.status_code == 404, respuesta.status_code
    else:
        assert respuesta.status_code in NEGADO, respuesta.status_code


@pytest.mark.parametrize("rol", ROLES)
def test_the_menu_offers_exactly_the_pages_the_table_lets_the_role_open(client, mundo, rol):
    """Every link of the menu is a page of the table the role may open, and every such page of
    ``MENU`` is offered (the admin by its own rule: staff with some admin permission)."""
    if rol != "anonimo":
        client.force_login(mundo["usuarios"][rol])
    enlaces = enlaces_del_menu(client.get(reverse("reportes:verificar")).content.decode())
    admin = reverse("admin:index")
    por_nombre = {reverse(nombre): nombre for nombre in MENU}
    assert enlaces - {admin} <= set(por_nombre), enlaces - set(por_nombre)
    ofrecidos = {por_nombre[enlace] for enlace in enlaces - {admin}}
    assert ofrecidos == {nombre for nombre in MENU if rol in TABLA[nombre][0] and rol != "anonimo"}
    assert (admin in enlaces) == (rol in {"importador", "admin"})


@pytest.mark.parametrize("rol", ROLES)
@pytest.mark.parametrize("nombre", [caso(nombre) for nombre in sorted(API)])
def test_the_api_lets_no_role_change_or_delete_anything(client, mundo, nombre, rol):
    url = reverse(nombre, args=mundo["argumentos"](nombre))
    for metodo in ("put", "patch", "delete"):
        respuesta = pedir(client, mundo, nombre, metodo, rol, url)
        # Whoever may use the endpoint at all (by GET or POST, or on another object) is told the method
        # is not allowed.
        usan = TABLA[nombre][0] | TABLA[nombre][1] | POR_OBJETO.get(nombre, NADIE)
        assert respuesta.status_code == (401 if rol == "anonimo" else 403 if rol not in usan else 405), (
            metodo,
            respuesta.status_code,
        )


@pytest.mark.parametrize("rol", [r for r in ROLES if r != "anonimo"])
def test_the_menu_offers_only_pages_the_table_lets_the_role_open(client, mundo, rol):
    client.force_login(mundo["usuarios"][rol])
    html = client.get(reverse("reportes:verificar")).content.decode()
    menu = re.search(r'<nav aria-label="Principal">(.*?)</nav>', html, re.S).group(1)
    ofrecidos = {nombre for nombre in MENU if f'<a href="{reverse(nombre)}"' in menu}
    assert ofrecidos == {nombre for nombre in MENU if rol in TABLA[nombre][0]}


# ---- The object-level table: the same URLs × {Enlace of the seed, Enlace of others} ---------------------
#
# Every URL that names one object (a convenio, a commission, an item, an update's evidence, an issued
# report) and is not public, with the seed's objects as arguments: what «enlace» (linked to them) and
# «enlace_ajeno» (linked to another institution and commission) get. PASA: let in (200, or 400 for a
# POST without fields); 403: refused by permission whoever the object belongs to; 404: not told it exists.
PASA = "pasa"
OBJETO = {
    # name: ((enlace GET, enlace_ajeno GET), (enlace POST, enlace_ajeno POST)); None: POST not asked
    "convenios:detalle": ((PASA, 404), None),
    "convenios:actualizar": ((403, 404), (403, 404)),
    "convenios:historial": ((PASA, 404), None),
    "convenios:fila": ((PASA, 404), None),
    "convenios:evidencia": ((PASA, 404), None),
    "comisiones:detalle": ((PASA, 404), None),
    "comisiones:actualizar": ((403, 404), (403, 404)),
    "comisiones:historial": ((PASA, 404), None),
    "comisiones:fila": ((PASA, 404), None),
    "comisiones:evidencia": ((PASA, 404), None),
    "reportes:informe": ((PASA, 404), None),
    "reportes:informe_pdf": ((PASA, 404), (PASA, 404)),
    "reportes:comision": ((PASA, 404), None),
    "reportes:comision_pdf": ((PASA, 404), (PASA, 404)),
    # The sample issued report is the gerente's: only its issuer and who sees the whole register read it.
    "reportes:emitido": ((403, 404), None),
    "reportes:regenerar": ((403, 404), None),
    "reportes:firmar": ((403, 404), (403, 404)),
    "avisos:seguir": (None, (PASA, 404)),
    "api:convenio-detail": ((PASA, 404), None),
    "api:compromiso-detail": ((PASA, 404), None),
    "api:compromiso-actualizaciones": ((PASA, 404), (403, 404)),
    "api:compromiso-evidencia": ((PASA, 404), None),
    "api:comision-detail": ((PASA, 404), None),
    "api:atribucion-detail": ((PASA, 404), None),
    "api:atribucion-actualizaciones": ((PASA, 404), (403, 404)),
    "api:atribucion-evidencia": ((PASA, 404), None),
    "api:informe-detail": ((403, 404), None),
    "convenios:proponer": ((PASA, 404), (PASA, 404)),
    "comisiones:proponer": ((PASA, 404), (PASA, 404)),
    "convenios:evidencia_propuesta": ((PASA, 404), None),
    "comisiones:evidencia_propuesta": ((PASA, 404), None),
    "convenios:decidir": (None, (403, 403)),  # deciding is the Capturista's, whoever's the proposal
    "comisiones:decidir": (None, (403, 403)),
    "api:compromiso-propuestas": (None, (PASA, 404)),
    "api:atribucion-propuestas": (None, (PASA, 404)),
    "api:propuesta-decision": (None, (403, 403)),
    "convenios:prorrogar": ((PASA, 404), (PASA, 404)),
    # Deciding is the Capturista's; a request about a commitment it may not read is not told to exist.
    "convenios:decidir_prorroga": (None, (403, 404)),
    "api:compromiso-prorrogas": (None, (PASA, 404)),
    "api:prorroga-decision": (None, (403, 404)),
}
ENLACES = ["enlace", "enlace_ajeno"]


@pytest.mark.archivos
def test_every_url_that_names_an_object_has_a_row_in_the_object_table(mundo):
    con_objeto = {
        nombre
        for nombre in TABLA
        if mundo["argumentos"](nombre)
        and TABLA[nombre] != (PUBLICO, NADIE)
        and nombre != "password_reset_confirm"
    }
    assert sorted(con_objeto) == sorted(OBJETO)


# The (URL, method) pairs the object table decides; the other method is the main table's.
CASOS_DE_OBJETO = [
    (nombre, metodo)
    for nombre in sorted(OBJETO)
    for i, metodo in enumerate(["get", "post"])
    if OBJETO[nombre][i] is not None
]


@pytest.mark.parametrize("enlace", ENLACES)
@pytest.mark.parametrize(("nombre", "metodo"), [caso(*par) for par in CASOS_DE_OBJETO])
def test_an_enlace_reaches_its_own_objects_and_finds_no_other(client, mundo, nombre, metodo, enlace):
    esperados = OBJETO[nombre][0 if metodo == "get" else 1]
    esperado = esperados[ENLACES.index(enlace)]
    respuesta = pedir(client, mundo, nombre, metodo, enlace)
    if esperado == PASA:
        assert respuesta.status_code in {200, 400}, respuesta.status_code
    else:
        assert respuesta.status_code == esperado, respuesta.status_code
