"""Who may import and export: role × URL × method for the import pages and the admin import."""

import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from convenios.models import Actualizacion

from .conftest import filas_de_importacion

# The seed and the users are built once for the module (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("mundo_del_modulo")

SEMILLA = "convenio-de-colaboracion-www-datos-gob-mx"


ACCESO = {
    # url name: roles that get 200 on GET
    "convenios:plantilla_importacion": {"capturista", "gerente", "auditor", "admin", "importador"},
    "convenios:plantilla_importacion_ods": {"capturista", "gerente", "auditor", "admin", "importador"},
    "convenios:exportar": {"gerente", "auditor", "admin", "importador"},
    "convenios:importar": {"admin", "importador"},
}
ROLES = ["capturista", "gerente", "auditor", "admin", "importador", "sin_rol"]


@pytest.mark.parametrize("nombre", ACCESO)
@pytest.mark.parametrize("rol", ROLES)
def test_role_matrix_for_the_import_pages(client, usuarios, semilla, nombre, rol):
    client.force_login(usuarios[rol])
    respuesta = client.get(reverse(nombre))
    assert respuesta.status_code == (200 if rol in ACCESO[nombre] else 403)
    if nombre != "convenios:importar":
        esperado = 405 if rol in ACCESO[nombre] else 403
        assert client.post(reverse(nombre)).status_code == esperado


@pytest.mark.parametrize("nombre", ACCESO)
def test_anonymous_users_are_sent_to_log_in_from_the_import_pages(client, db, nombre):
    for metodo in ("get", "post"):
        respuesta = getattr(client, metodo)(reverse(nombre))
        assert respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))


def test_the_template_path_is_not_taken_for_a_convenio(client, usuarios):
    client.force_login(usuarios["auditor"])
    assert reverse("convenios:plantilla_importacion") == "/convenios/importacion/plantilla.xlsx"
    assert client.get("/convenios/importacion/").status_code == 403  # the import page, not a convenio


def xlsx(filas) -> bytes:
    libro = Workbook()
    libro.active.title = "Actualizaciones"
    for fila in filas:
        libro.active.append(fila)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def subir(client, datos, nombre="a.xlsx", **extra):
    archivo = io.BytesIO(datos)
    archivo.name = nombre
    return client.post(reverse("convenios:importar"), {"archivo": archivo, **extra})


def test_the_import_page_reviews_then_imports_on_confirmation(client, usuarios, semilla):
    client.force_login(usuarios["importador"])
    datos = xlsx(
        [["convenio", "numero", "estatus", "fecha_efectiva"], [SEMILLA, 1, "cumplido", "2021-01-01"]]
    )
    revision = subir(client, datos)
    assert revision.status_code == 200 and Actualizacion.objects.count() == 11
    assert "Confirmar la importación" in revision.content.decode()
    confirmada = client.post(reverse("convenios:importar"), {"confirmar": revision.context["ficha"]})
    assert confirmada.status_code == 302
    nueva = Actualizacion.objects.get(fecha_efectiva="2021-01-01")
    assert nueva.registrado_por == usuarios["importador"]
    # A confirmation cannot be replayed by someone else.
    client.force_login(usuarios["admin"])
    assert (
        client.post(reverse("convenios:importar"), {"confirmar": revision.context["ficha"]}).status_code
        == 400
    )


def test_the_import_page_lists_errors_and_writes_nothing(client, usuarios, semilla):
    client.force_login(usuarios["importador"])
    datos = xlsx(
        [["convenio", "numero", "estatus", "fecha_efectiva"], [SEMILLA, 1, "inventado", "2021-01-01"]]
    )
    respuesta = subir(client, datos)
    assert respuesta.status_code == 400
    assert "No existe el estatus «inventado»" in respuesta.content.decode()
    assert "ficha" not in respuesta.context


# --- the admin's import ---------------------------------------------------------------------------


ADMIN_IMPORTS = [
    "admin:convenios_convenio_import",
    "admin:convenios_parte_import",
    "admin:convenios_compromiso_import",
    "admin:convenios_actualizacion_import",
]


@pytest.mark.parametrize("url", ADMIN_IMPORTS)
@pytest.mark.parametrize("rol", ["capturista", "gerente", "auditor"])
def test_roles_without_the_import_permission_cannot_import_in_the_admin(client, usuarios, url, rol):
    usuarios[rol].is_staff = True  # even as staff, the role lacks the permission
    usuarios[rol].save()
    client.force_login(usuarios[rol])
    assert client.get(reverse(url)).status_code == 403


@pytest.mark.parametrize("url", ADMIN_IMPORTS)
@pytest.mark.parametrize("rol", ["importador", "admin"])
def test_importers_and_superusers_see_the_admin_import_in_spanish(client, usuarios, url, rol):
    client.force_login(usuarios[rol])
    respuesta = client.get(reverse(url))
    assert respuesta.status_code == 200
    assert "Importar" in respuesta.content.decode()


def admin_importar(client, url, datos, nombre="a.xlsx"):
    archivo = io.BytesIO(datos)
    archivo.name = nombre
    formato = {"xlsx": "0", "csv": "1", "json": "2"}[nombre.rsplit(".", 1)[-1]]
    return client.post(reverse(url), {"import_file": archivo, "format": formato})


def test_admin_status_import_previews_then_only_appends(client, usuarios, semilla):
    client.force_login(usuarios["importador"])
    datos = xlsx(
        [["convenio", "numero", "estatus", "fecha_efectiva"], [SEMILLA, 2, "pendiente", "2021-01-01"]]
    )
    vista_previa = admin_importar(client, "admin:convenios_actualizacion_import", datos)
    assert vista_previa.status_code == 200 and Actualizacion.objects.count() == 11
    confirmacion = vista_previa.context["confirm_form"]
    respuesta = client.post(
        reverse("admin:convenios_actualizacion_process_import"),
        {**confirmacion.initial},
    )
    assert respuesta.status_code == 302
    assert Actualizacion.objects.count() == 12
    compromiso = Actualizacion.objects.get(fecha_efectiva="2021-01-01").compromiso
    assert compromiso.version == 2 and compromiso.ultima_actualizacion.estatus.slug == "pendiente"
    # The same file again: nothing is appended.
    otra = admin_importar(client, "admin:convenios_actualizacion_import", datos)
    client.post(
        reverse("admin:convenios_actualizacion_process_import"), {**otra.context["confirm_form"].initial}
    )
    assert Actualizacion.objects.count() == 12


def test_admin_import_refuses_a_formula_with_a_spanish_message(client, usuarios, semilla):
    client.force_login(usuarios["admin"])
    datos = xlsx([["convenio", "numero", "estatus", "fecha_efectiva"], [SEMILLA, 2, "pendiente", "=HOY()"]])
    respuesta = admin_importar(client, "admin:convenios_actualizacion_import", datos)
    assert respuesta.status_code == 200
    assert "fórmulas" in respuesta.content.decode()


# --- property-based: no input makes a 500 or a partial write ----------------------------------------

celdas = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=12),
    st.integers(-5, 200),
    st.sampled_from([SEMILLA, "cumplido", "incumplido", "2021-01-01", "2999-01-01", "1", "=1+1", ""]),
)
columnas = st.lists(
    st.sampled_from(["convenio", "numero", "estatus", "fecha_efectiva", "nota", "registrado_en", "x"]),
    min_size=1,
    max_size=6,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    encabezado=columnas,
    filas=st.lists(st.lists(celdas, max_size=7), max_size=6),
    formato=st.sampled_from(["xlsx", "csv", "json", "ods", "xls", "bytes"]),
    basura=st.binary(max_size=300),
)
def test_generated_broken_files_never_cause_a_500_nor_a_partial_write(
    client, usuarios, semilla, encabezado, filas, formato, basura
):
    # One valid row always comes first; whatever follows, the file is written whole or not at all.
    validas = [[SEMILLA, 3, "en-proceso", "2021-01-01", "ok"]]
    todas = [["convenio", "numero", "estatus", "fecha_efectiva", "nota"], *validas]
    todas += [[*f, *([None] * 5)][: len(encabezado)] for f in filas]
    if formato == "xlsx":
        datos, nombre = xlsx(todas), "a.xlsx"
    elif formato == "csv":
        datos = "\n".join(",".join("" if v is None else str(v).replace(",", " ") for v in f) for f in todas)
        datos, nombre = datos.encode(), "a.csv"
    elif formato == "json":
        import json

        datos = json.dumps({"actualizaciones": [dict(zip(todas[0], f, strict=False)) for f in todas[1:]]})
        datos, nombre = datos.encode(), "a.json"
    elif formato in ("ods", "xls"):
        from .test_importacion_libreoffice import ods, xls

        datos, nombre = {"ods": ods, "xls": xls}[formato]({"Actualizaciones": todas}), f"a.{formato}"
    else:
        datos, nombre = basura, "a.xlsx"
    client.force_login(usuarios["importador"])
    antes = filas_de_importacion()
    revision = subir(client, datos, nombre)
    assert revision.status_code in (200, 400)
    assert filas_de_importacion() == antes
    if revision.status_code == 200:
        confirmada = client.post(reverse("convenios:importar"), {"confirmar": revision.context["ficha"]})
        assert confirmada.status_code in (302, 400)
        despues = filas_de_importacion()
        assert despues == antes or despues["actualizacion"] > antes["actualizacion"]
    if formato in ("ods", "xls"):
        return  # the admin imports XLSX, CSV and JSON only
    respuesta = admin_importar(
        client, "admin:convenios_actualizacion_import", datos, nombre.replace("bytes", "xlsx")
    )
    assert respuesta.status_code == 200


def test_a_50_mb_upload_is_refused_with_its_size_and_nothing_is_written(client, usuarios, semilla):
    client.force_login(usuarios["importador"])
    antes = filas_de_importacion()
    respuesta = subir(client, b"convenio,numero\n" + b"x" * (50 * 1024 * 1024), "grande.csv")
    # Refused by its declared length before the body is read (config.middleware.LimiteDeSubida).
    assert respuesta.status_code == 413
    assert "El envío pesa 50.0 MB" in respuesta.content.decode()
    assert filas_de_importacion() == antes


@pytest.mark.parametrize(
    ("url", "recurso", "columnas"),
    [
        (
            "admin:convenios_compromiso_export",
            "CompromisoResource",
            "convenio,numero,responsable,texto,fecha_limite",
        ),
        (
            "admin:convenios_actualizacion_export",
            "ActualizacionResource",
            "convenio,numero,estatus,fecha_efectiva",
        ),
    ],
)
def test_admin_export_writes_natural_keys_that_import_back_unchanged(
    client, usuarios, semilla, url, recurso, columnas
):
    client.force_login(usuarios["importador"])
    formulario = client.get(reverse(url)).context["form"]
    datos = {"format": "1", "resource": "0"}
    datos.update({nombre: "on" for nombre in formulario.fields if nombre.startswith(recurso.lower())})
    respuesta = client.post(reverse(url), datos)
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode("utf-8-sig")
    assert contenido.startswith(columnas)
    assert SEMILLA in contenido and "\nid," not in contenido
    antes = filas_de_importacion()
    vista_previa = admin_importar(client, url.replace("_export", "_import"), contenido.encode(), "a.csv")
    resultado = vista_previa.context["result"]
    assert not resultado.has_errors() and not resultado.has_validation_errors()
    assert resultado.totals["skip"] == 11 and resultado.totals["new"] == 0
    assert filas_de_importacion() == antes


def test_the_admin_import_records_the_importer_whatever_the_file_says(client, usuarios, semilla):
    client.force_login(usuarios["importador"])
    datos = xlsx(
        [
            ["convenio", "numero", "estatus", "fecha_efectiva", "registrado_en", "registrado_por"],
            [SEMILLA, 2, "pendiente", "2021-01-01", "2021-01-02T10:00:00-06:00", "admin"],
        ]
    )
    vista_previa = admin_importar(client, "admin:convenios_actualizacion_import", datos)
    respuesta = client.post(
        reverse("admin:convenios_actualizacion_process_import"),
        {**vista_previa.context["confirm_form"].initial},
    )
    assert respuesta.status_code == 302
    nueva = Actualizacion.objects.get(fecha_efectiva="2021-01-01")
    assert nueva.registrado_por == usuarios["importador"]
    assert nueva.registrado_en > nueva.capturado_en_declarado
    assert nueva.capturado_por_declarado == "admin"
    assert nueva.capturado_en_declarado.isoformat() == "2021-01-02T16:00:00+00:00"
