"""Bulk import and export: round trip, idempotence, all-or-nothing, the service's rules."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from convenios import importacion
from convenios.models import Actualizacion, Compromiso, Convenio, Dependencia, Parte
from seguimiento.models import Estatus

from .conftest import filas_de_importacion
from .factories import CompromisoFactory, ConvenioFactory, registrar_actualizacion

# Its results depend on the database engine: it runs on SQLite even when PostgreSQL answers.
pytestmark = pytest.mark.motor


def instantanea(captura: str = "registrada") -> dict:
    """Everything the import writes, by natural keys, so two databases can be compared.

    Each update's capture (who, when) is the system's record (``registrada``) or what an imported
    file declared (``declarada``): importing an export turns the first into the second.
    """
    quien, cuando = {
        "registrada": ("registrado_por__username", "registrado_en"),
        "declarada": ("capturado_por_declarado", "capturado_en_declarado"),
    }[captura]
    return {
        "convenios": sorted(
            Convenio.objects.values_list(
                "slug",
                "nombre",
                "nota",
                "fecha_inicio",
                "fecha_fin",
                "objeto",
                "contacto_unidad",
                "contacto_institucion",
                "contacto_telefono",
                "contacto_extension",
            )
        ),
        "dependencias": sorted(Dependencia.objects.values_list("nombre", "siglas", "padre__nombre")),
        "partes": sorted(
            Parte.objects.values_list("convenio__slug", "dependencia__nombre", "rol", "etiqueta", "orden")
        ),
        "compromisos": sorted(
            Compromiso.objects.values_list(
                "convenio__slug",
                "numero",
                "responsable__dependencia__nombre",
                "texto",
                "fecha_limite",
                "version",
                "ultima_actualizacion__estatus__slug",
                "ultima_actualizacion__fecha_efectiva",
                "ultima_actualizacion__nota",
            )
        ),
        "historial": sorted(
            (*fila[:-2], fila[-2] or "", fila[-1])
            for fila in Actualizacion.objects.values_list(
                "compromiso__convenio__slug",
                "compromiso__numero",
                "estatus__slug",
                "estatus_anterior__slug",
                "fecha_efectiva",
                "nota",
                "enlace",
                quien,
                cuando,
            )
        ),
    }


def libro_xlsx(convenios: list[list] | None = None, actualizaciones: list[list] | None = None) -> bytes:
    libro = Workbook()
    libro.remove(libro.active)
    if convenios is not None:
        hoja = libro.create_sheet("Convenios")
        for fila in convenios:
            hoja.append(fila)
    if actualizaciones is not None:
        hoja = libro.create_sheet("Actualizaciones")
        for fila in actualizaciones:
            hoja.append(fila)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


ENCABEZADO_ACT = ["convenio", "numero", "estatus", "fecha_efectiva", "nota"]
SEMILLA = "convenio-de-colaboracion-www-datos-gob-mx"


def crear_historial(usuarios, estatus) -> Convenio:
    """The seed plus a varied history: two users, a back-dated update, an unfavourable one."""
    call_command("cargar_semilla", stdout=io.StringIO())
    semilla = Convenio.objects.get(slug=SEMILLA)
    uno, dos = Compromiso.objects.filter(convenio=semilla).order_by("numero")[:2]
    registrar_actualizacion(
        uno,
        estatus=estatus["en-proceso"],
        fecha_efectiva=datetime.date(2021, 3, 1),
        nota="=50% «parcial»",
        usuario=usuarios["capturista"],
    )
    registrar_actualizacion(
        uno,
        estatus=estatus["incumplido"],
        fecha_efectiva=datetime.date(2020, 6, 1),
        nota="Retroactiva",
        usuario=usuarios["admin"],
        enlace="https://example.org/x",
    )
    registrar_actualizacion(
        dos, estatus=estatus["cumplido"], fecha_efectiva=timezone.localdate(), usuario=usuarios["admin"]
    )
    return semilla


@pytest.fixture
def historial(db, usuarios, estatus):
    return crear_historial(usuarios, estatus)


@pytest.mark.parametrize("formato", ["todo.xlsx", "carpeta", "todo.json"])
def test_export_then_import_into_a_fresh_database_gives_back_the_same_data(
    usuarios, estatus, importador, tmp_path, formato
):
    destino = tmp_path / formato
    punto = transaction.savepoint()
    crear_historial(usuarios, estatus)
    call_command("exportar", str(destino), stdout=io.StringIO())
    antes = instantanea()
    exportado = importacion.exportar()
    transaction.savepoint_rollback(punto)  # back to a database with no convenios at all
    assert Convenio.objects.count() == 0 and Actualizacion.objects.count() == 0

    inicio = timezone.now()
    call_command("importar", str(destino), "--usuario", "importador", stdout=io.StringIO())

    # Who captured each update and when travel as declared data; the recording is the import's.
    assert instantanea(captura="declarada") == antes
    assert len(antes["historial"]) == 14
    registros = set(Actualizacion.objects.values_list("registrado_por__username", flat=True))
    assert registros == {"importador"}
    assert Actualizacion.objects.filter(registrado_en__lt=inicio).count() == 0
    # Exporting again writes the same data: the record is now the import's, and what the first file
    # said of each capture (its declared columns, else its record) is in the declared columns.
    otra_vez = importacion.exportar()
    assert otra_vez["convenios"] == exportado["convenios"]
    assert {f["registrado_por"] for f in otra_vez["actualizaciones"]} == {"importador"}
    assert [sin_registro(f) for f in otra_vez["actualizaciones"]] == [
        sin_registro(f, declarando_el_registro=True) for f in exportado["actualizaciones"]
    ]


def sin_registro(fila: dict, declarando_el_registro: bool = False) -> dict:
    """An exported update without its record (who, when); with ``declarando_el_registro``, the record
    moved to the declared columns where it declared nothing, as an import reads it."""
    fila = dict(fila)
    por, en = fila.pop("registrado_por"), fila.pop("registrado_en")
    declara = fila["capturado_por_declarado"] or fila["capturado_en_declarado"]
    if declarando_el_registro and not declara:
        fila["capturado_por_declarado"], fila["capturado_en_declarado"] = por, en
    return fila


def test_an_export_keeps_the_record_apart_from_the_declared_capture_and_a_reimport_records_no_claim(
    usuarios, estatus, importador, mas_tarde
):
    punto = transaction.savepoint()
    crear_historial(usuarios, estatus)
    importacion.importar(
        importacion.leer(libro_xlsx(actualizaciones=FALSIFICADA), "a.xlsx"), usuario=usuarios["capturista"]
    )
    declarada = Actualizacion.objects.get(nota="Nunca se cumplió.")
    propia = Actualizacion.objects.get(nota="Retroactiva")
    exportado = importacion.exportar()["actualizaciones"]
    fila = {f["nota"]: f for f in exportado}
    # The record columns carry the system's facts only; the declared ones, the file's claims only.
    assert (fila["Nunca se cumplió."]["registrado_por"], fila["Retroactiva"]["registrado_por"]) == (
        "capturista",
        "admin",
    )
    assert (
        fila["Nunca se cumplió."]["registrado_en"] == timezone.localtime(declarada.registrado_en).isoformat()
    )
    assert fila["Retroactiva"]["registrado_en"] == timezone.localtime(propia.registrado_en).isoformat()
    assert fila["Nunca se cumplió."]["capturado_por_declarado"] == "admin"
    assert fila["Nunca se cumplió."]["capturado_en_declarado"] == "2020-03-01T00:00:00-06:00"
    assert (
        fila["Retroactiva"]["capturado_por_declarado"],
        fila["Retroactiva"]["capturado_en_declarado"],
    ) == (
        "",
        "",
    )
    archivo = importacion.como_xlsx(importacion.exportar())
    transaction.savepoint_rollback(punto)  # a database without any of it
    assert Actualizacion.objects.count() == 0

    mas_tarde()
    inicio = timezone.now()
    informe = importacion.importar(importacion.leer(archivo, "todo.xlsx"), usuario=importador)
    assert not informe.errores and informe.creados
    # Recorded by whoever imports, when they import; never what the file said.
    assert set(Actualizacion.objects.values_list("registrado_por__username", flat=True)) == {"importador"}
    assert not Actualizacion.objects.filter(registrado_en__lt=inicio).exists()
    # The file's claim stays declared, and the old record of a row declaring nothing becomes one.
    nueva = Actualizacion.objects.get(nota="Nunca se cumplió.")
    assert nueva.capturado_por_declarado == "admin"
    assert nueva.capturado_en_declarado == timezone.make_aware(datetime.datetime(2020, 3, 1))
    retroactiva = Actualizacion.objects.get(nota="Retroactiva")
    assert retroactiva.capturado_por_declarado == "admin"
    assert retroactiva.capturado_en_declarado == propia.registrado_en
    # Importing the same file again changes nothing.
    otra = importacion.importar(importacion.leer(archivo, "todo.xlsx"), usuario=importador)
    assert (otra.creados, otra.actualizados, otra.errores) == (0, 0, [])


def test_reimporting_the_same_file_changes_nothing(historial, importador, tmp_path):
    destino = tmp_path / "todo.xlsx"
    call_command("exportar", str(destino), stdout=io.StringIO())
    antes = instantanea()
    salida = io.StringIO()
    call_command("importar", str(destino), "--usuario", "importador", stdout=salida)
    assert "Creados: 0. Actualizados: 0. Sin cambios: 31. Errores: 0." in salida.getvalue()
    assert instantanea() == antes


def test_reimporting_a_file_without_capture_columns_changes_nothing(historial, importador):
    filas = [ENCABEZADO_ACT, [SEMILLA, 1, "incumplido", "2020-06-01", "Retroactiva"]]
    filas.append([SEMILLA, 4, "pendiente", "2021-01-01", "Nueva"])
    primera = importacion.importar(
        importacion.leer(libro_xlsx(actualizaciones=filas), "a.xlsx"), usuario=importador
    )
    assert (primera.creados, primera.sin_cambios) == (1, 1)
    antes = instantanea()
    segunda = importacion.importar(
        importacion.leer(libro_xlsx(actualizaciones=filas), "a.xlsx"), usuario=importador
    )
    assert (segunda.creados, segunda.sin_cambios) == (0, 2)
    assert instantanea() == antes


def test_a_different_declared_capture_is_a_different_update(historial, importador):
    """Two captures of the same status on the same date, by different people, are both history."""
    encabezado = [*ENCABEZADO_ACT, "capturado_por_declarado", "capturado_en_declarado"]
    filas = [
        encabezado,
        [SEMILLA, 1, "incumplido", "2020-06-01", "Retroactiva", "admin", None],
        [SEMILLA, 1, "incumplido", "2020-06-01", "Retroactiva", "Otra persona", "2020-06-02"],
        [SEMILLA, 1, "incumplido", "2020-06-01", "Retroactiva", "Otra persona", "2020-06-02"],
    ]
    informe = importacion.importar(
        importacion.leer(libro_xlsx(actualizaciones=filas), "a.xlsx"), usuario=importador
    )
    assert [(e.fila, e.mensaje) for e in informe.errores] == [
        (4, "Esta actualización repite la de la fila 3.")
    ]
    del filas[3]
    informe = importacion.importar(
        importacion.leer(libro_xlsx(actualizaciones=filas), "a.xlsx"), usuario=importador
    )
    assert (informe.creados, informe.sin_cambios) == (1, 1)
    nueva = Actualizacion.objects.get(capturado_por_declarado="Otra persona")
    assert nueva.registrado_por == importador
    assert (
        timezone.localtime(nueva.capturado_en_declarado).isoformat() == "2020-06-02T00:00:00-05:00"
    )  # summer time, still in force in 2020


def test_bulk_import_leaves_the_pointer_on_the_update_in_effect_today(historial, usuarios):
    filas = [ENCABEZADO_ACT]
    for numero in range(1, 12):
        filas += [
            [SEMILLA, numero, "pendiente", "2022-01-10", ""],
            [SEMILLA, numero, "en-proceso", "2021-05-05", ""],
            [SEMILLA, numero, "Incumplido", "2019-01-01", "Antes del convenio semilla"],
        ]
    informe = importacion.importar(
        importacion.leer(libro_xlsx(actualizaciones=filas), "a.xlsx"), usuario=usuarios["admin"]
    )
    assert not informe.errores and informe.creados == 33
    vigentes = dict(
        Compromiso.objects.con_estatus_al(timezone.localdate()).values_list("pk", "actualizacion_al_id")
    )
    for compromiso in Compromiso.objects.filter(convenio=historial):
        assert compromiso.ultima_actualizacion_id == vigentes[compromiso.pk]
        assert compromiso.version == compromiso.actualizaciones.count()
    nuevas = Actualizacion.objects.filter(fecha_efectiva=datetime.date(2021, 5, 5))
    assert set(nuevas.values_list("registrado_por__username", flat=True)) == {"admin"}
    assert set(nuevas.values_list("estatus_anterior__slug", flat=True)) <= {"pendiente", "cumplido"}


CASOS = {
    "estatus desconocido": ([SEMILLA, 1, "casi-listo", "2021-01-01", ""], "estatus", "No existe el estatus"),
    "convenio desconocido": (
        ["no-existe", 1, "cumplido", "2021-01-01", ""],
        "numero",
        "No existe un convenio",
    ),
    "fecha mal escrita": ([SEMILLA, 1, "cumplido", "31/31/2021", ""], "fecha_efectiva", "Fecha no válida"),
    "fecha futura": (
        [SEMILLA, 1, "cumplido", (timezone.localdate() + datetime.timedelta(days=3)).isoformat(), ""],
        "fecha_efectiva",
        "futuro",
    ),
    "nota faltante": ([SEMILLA, 1, "incumplido", "2021-01-01", ""], "nota", "nota"),
    "compromiso inexistente": ([SEMILLA, 99, "cumplido", "2021-01-01", ""], "numero", "número 99"),
}


@pytest.mark.parametrize("caso", CASOS)
def test_one_bad_status_row_rejects_the_whole_file_with_row_column_and_message(historial, importador, caso):
    mala, columna, mensaje = CASOS[caso]
    filas = [
        ENCABEZADO_ACT,
        [SEMILLA, 2, "pendiente", "2021-01-01", ""],
        mala,
        [SEMILLA, 3, "cumplido", "2021-02-02", ""],
    ]
    antes = filas_de_importacion()
    informe = importacion.importar(
        importacion.leer(libro_xlsx(actualizaciones=filas), "a.xlsx"), usuario=importador
    )
    assert [(e.hoja, e.fila, e.columna) for e in informe.errores] == [("Actualizaciones", 3, columna)]
    assert mensaje in informe.errores[0].mensaje
    assert not informe.escrito and filas_de_importacion() == antes


ENCABEZADO_CONV = [
    "tipo",
    "convenio",
    "nombre",
    "fecha_inicio",
    "objeto",
    "dependencia",
    "numero",
    "responsable",
    "texto",
]


def importar_un_compromiso(texto: str, usuario) -> Convenio:
    """Import a workbook holding the convenio «nuevo» and its commitment 1 with ``texto`` (again: an edit)."""
    filas = [
        ENCABEZADO_CONV,
        ["convenio", "nuevo", "Nuevo convenio", "2023-01-01", "Objeto", None, None, None, None],
        ["compromiso", "nuevo", None, None, None, None, 1, "", texto],
    ]
    informe = importacion.importar(importacion.leer(libro_xlsx(convenios=filas), "a.xlsx"), usuario=usuario)
    assert informe.escrito and not informe.errores
    return Convenio.objects.get(slug="nuevo")


def test_bad_convenio_rows_are_all_listed_and_nothing_is_written(importador):
    filas = [
        ENCABEZADO_CONV,
        ["convenio", "nuevo", "Nuevo convenio", "2023-01-01", "Objeto", None, None, None, None],
        ["parte", "nuevo", None, None, None, "Secretaría Nueva", None, None, None],
        ["compromiso", "nuevo", None, None, None, None, 1, "Secretaría Nueva", "Texto uno"],
        ["compromiso", "nuevo", None, None, None, None, 1, None, "Repetido"],
        ["compromiso", "nuevo", None, None, None, None, 2, None, None],
        ["compromiso", "otro", None, None, None, None, 1, None, "Sin convenio"],
        ["convenio", "malo", "Malo", "ayer", "Objeto", None, None, None, None],
        ["parte", "nuevo", None, None, None, "X", None, None, None],
        ["compromiso", "nuevo", None, None, None, None, 3, "Nadie", "Responsable inexistente"],
        ["acuerdo", "nuevo", None, None, None, None, None, None, None],
    ]
    antes = filas_de_importacion()
    informe = importacion.importar(
        importacion.leer(libro_xlsx(convenios=filas), "a.xlsx"), usuario=importador
    )
    errores = {(e.fila, e.columna) for e in informe.errores}
    assert errores == {
        (5, "numero"),
        (6, "texto"),
        (7, "convenio"),
        (8, "fecha_inicio"),
        (10, "responsable"),
        (11, "tipo"),
    }
    assert all(e.mensaje and e.hoja == "Convenios" for e in informe.errores)
    duplicado = next(e for e in informe.errores if e.fila == 5)
    assert duplicado.mensaje == "Número de compromiso duplicado en el convenio (ya está en la fila 4)."
    assert filas_de_importacion() == antes


def test_a_clean_convenio_file_creates_everything_and_nests_dependencias(importador):
    filas = [
        [*ENCABEZADO_CONV, "pertenece_a", "etiqueta"],
        ["convenio", "nuevo", "Nuevo convenio", "2023-01-01", "Objeto", None, None, None, None, None, None],
        ["parte", "nuevo", None, None, None, "Unidad", None, None, None, "Gobierno", None],
        ["parte", "nuevo", None, None, None, "Gobierno", None, None, None, None, "GOB"],
        ["compromiso", "nuevo", None, None, None, None, 1, "GOB", "Texto uno", None, None],
        ["compromiso", "nuevo", None, None, None, None, 2, "", "Texto dos", None, None],
    ]
    informe = importacion.importar(
        importacion.leer(libro_xlsx(convenios=filas), "a.xlsx"), usuario=importador
    )
    assert not informe.errores and informe.creados == 5
    assert Dependencia.objects.get(nombre="Unidad").padre.nombre == "Gobierno"
    uno, dos = Compromiso.objects.order_by("numero")
    assert uno.encabezado == "COMPROMISOS GOB" and dos.responsable is None


def test_dependencia_rules_of_the_model_reject_a_circular_parent_and_long_acronym(importador):
    """The import asks the model (``Dependencia.clean`` and its field limits), it has no copy of them."""
    filas = [
        [*ENCABEZADO_CONV, "pertenece_a", "siglas"],
        ["convenio", "nuevo", "Nuevo convenio", "2023-01-01", "Objeto", None, None, None, None, None, None],
        ["parte", "nuevo", None, None, None, "Unidad", None, None, None, "Gobierno", None],
        ["parte", "nuevo", None, None, None, "Gobierno", None, None, None, "Unidad", None],
        ["parte", "nuevo", None, None, None, "Tercera", None, None, None, None, "S" * 31],
    ]
    antes = filas_de_importacion()
    informe = importacion.importar(
        importacion.leer(libro_xlsx(convenios=filas), "a.xlsx"), usuario=importador
    )
    errores = {(e.fila, e.columna): e.mensaje for e in informe.errores}
    assert errores[(4, "pertenece_a")] == "Una dependencia no puede pertenecer a sí misma."
    assert "30" in errores[(5, "siglas")]
    assert filas_de_importacion() == antes


def test_importing_the_downloadable_template_works(client, usuarios, importador):
    client.force_login(usuarios["auditor"])
    respuesta = client.get("/convenios/importacion/plantilla.xlsx")
    assert respuesta.status_code == 200
    libro = load_workbook(io.BytesIO(respuesta.content))
    assert libro.sheetnames == ["Convenios", "Actualizaciones", "Instrucciones"]
    informe = importacion.importar(importacion.leer(respuesta.content, "plantilla.xlsx"), usuario=importador)
    assert not informe.errores and informe.creados == 8
    assert Actualizacion.objects.filter(compromiso__convenio__slug="convenio-de-ejemplo").count() == 2


@pytest.mark.parametrize(
    ("nombre", "datos", "mensaje"),
    [
        ("informe.pdf", b"%PDF-1.4", "Tipo de archivo no admitido"),
        ("vacio.xlsx", b"", "vacío"),
        ("vacio.csv", b"\n\n", "vacío"),
        ("falso.xlsx", b"esto no es una hoja de calculo" * 10, "no es una hoja de cálculo"),
        ("falso.csv", b"\xff\xfe\x00a\x00b", "UTF-8"),
        ("falso.json", b"{no es json", "JSON"),
        ("grande.xlsx", b"0" * (50 * 1024 * 1024), "50.0 MB"),
    ],
)
def test_unreadable_files_are_refused_with_a_spanish_message(nombre, datos, mensaje):
    with pytest.raises(importacion.ArchivoInvalido, match=mensaje):
        importacion.leer(datos, nombre)


def test_formulas_are_refused(db):
    datos = libro_xlsx(actualizaciones=[ENCABEZADO_ACT, [SEMILLA, 1, "cumplido", "=TODAY()", ""]])
    with pytest.raises(importacion.ArchivoInvalido, match=r"fórmulas .*D2"):
        importacion.leer(datos, "a.xlsx")
    with pytest.raises(importacion.ArchivoInvalido, match="fórmulas"):
        importacion.leer(b"convenio,numero,estatus\n=1+1,1,cumplido\n", "a.csv")


def test_the_command_exits_non_zero_and_lists_the_rejected_rows(historial, importador, tmp_path):
    archivo = tmp_path / "malo.csv"
    archivo.write_text(f"convenio,numero,estatus,fecha_efectiva\n{SEMILLA},1,inventado,2021-01-01\n")
    errores = io.StringIO()
    antes = filas_de_importacion()
    with pytest.raises(CommandError, match="no se escribió nada"):
        call_command(
            "importar", str(archivo), "--usuario", "importador", stdout=io.StringIO(), stderr=errores
        )
    assert "fila 2, columna «estatus»: No existe el estatus «inventado»" in errores.getvalue()
    assert filas_de_importacion() == antes


def test_dry_run_writes_nothing_and_a_large_file_shows_progress(historial, importador, tmp_path):
    archivo = tmp_path / "muchas.csv"
    filas = [f"{SEMILLA},{1 + i % 11},en-proceso,2021-01-01,nota {i}" for i in range(1200)]
    archivo.write_text("convenio,numero,estatus,fecha_efectiva,nota\n" + "\n".join(filas))
    antes = filas_de_importacion()
    salida = io.StringIO()
    call_command("importar", str(archivo), "--dry-run", "--usuario", "importador", stdout=salida)
    assert "100 %" in salida.getvalue() and "Se crearían: 1200." in salida.getvalue()
    assert filas_de_importacion() == antes


def test_bulk_service_validates_everything_before_writing_anything(historial, estatus, importador):
    from django.core.exceptions import ValidationError

    from seguimiento.services import registrar_actualizaciones

    compromiso = Compromiso.objects.filter(convenio=historial).first()
    buenas = Actualizacion(
        compromiso=compromiso, estatus=estatus["cumplido"], fecha_efectiva=timezone.localdate()
    )
    futura = Actualizacion(
        compromiso=compromiso,
        estatus=estatus["cumplido"],
        fecha_efectiva=timezone.localdate() + datetime.timedelta(days=1),
    )
    sin_nota = Actualizacion(
        compromiso=compromiso, estatus=estatus["incumplido"], fecha_efectiva=timezone.localdate()
    )
    antes = filas_de_importacion()
    with pytest.raises(ValidationError) as error:
        registrar_actualizaciones([buenas, futura, sin_nota], usuario=importador)
    assert set(error.value.message_dict) == {"1", "2"}
    assert filas_de_importacion() == antes
    compromiso.refresh_from_db()
    assert compromiso.version == 3


def test_a_bad_row_in_the_updates_sheet_leaves_the_convenios_sheet_unwritten(db, usuarios):
    """One transaction for the whole file: the sheets are not committed one by one."""
    convenios = [
        ENCABEZADO_CONV,
        ["convenio", "nuevo", "Nuevo convenio", "2023-01-01", "Objeto", None, None, None, None],
        ["compromiso", "nuevo", None, None, None, None, 1, None, "Texto uno"],
    ]
    actualizaciones = [
        ENCABEZADO_ACT,
        ["nuevo", 1, "cumplido", "2023-02-01", ""],
        ["nuevo", 1, "aprobado", "2023-03-01", ""],
    ]
    antes = filas_de_importacion()
    informe = importacion.importar(
        importacion.leer(libro_xlsx(convenios=convenios, actualizaciones=actualizaciones), "a.xlsx"),
        usuario=usuarios["admin"],
    )
    assert [(e.hoja, e.fila, e.columna) for e in informe.errores] == [("Actualizaciones", 3, "estatus")]
    assert not informe.escrito and filas_de_importacion() == antes
    assert not Convenio.objects.filter(slug="nuevo").exists()
    assert not Compromiso.objects.filter(convenio__slug="nuevo").exists()


# --- Who recorded an update and when are the system's facts, never the file's ---------------------

FALSIFICADA = [
    [*ENCABEZADO_ACT, "registrado_en", "registrado_por"],
    [SEMILLA, 3, "incumplido", "2020-02-07", "Nunca se cumplió.", "2020-03-01", "admin"],
]


def test_an_imported_file_cannot_say_who_recorded_an_update_nor_when(semilla, usuarios):
    antes = timezone.now()
    informe = importacion.importar(
        importacion.leer(libro_xlsx(actualizaciones=FALSIFICADA), "a.xlsx"), usuario=usuarios["capturista"]
    )
    assert not informe.errores and informe.creados == 1
    nueva = Actualizacion.objects.get(nota="Nunca se cumplió.")
    assert nueva.registrado_por == usuarios["capturista"]
    assert antes <= nueva.registrado_en <= timezone.now()
    # What the file claimed is kept, labelled as declared.
    assert nueva.capturado_por_declarado == "admin"
    assert nueva.capturado_en_declarado == timezone.make_aware(datetime.datetime(2020, 3, 1))


@pytest.mark.archivos
def test_a_back_dated_import_does_not_change_a_report_issued_before_it(client, semilla, usuarios):
    from reportes.models import InformeEmitido

    client.force_login(usuarios["gerente"])
    emitido = client.post(reverse("reportes:informe_pdf", args=[SEMILLA]), {"fecha": "2020-02-07"})
    assert emitido.status_code == 200
    informe = InformeEmitido.objects.get()
    resultado = importacion.importar(
        importacion.leer(libro_xlsx(actualizaciones=FALSIFICADA), "a.xlsx"), usuario=usuarios["admin"]
    )
    assert not resultado.errores
    regenerado = client.get(reverse("reportes:regenerar", args=[informe.folio]))
    assert regenerado["X-Coincide-Con-Emitido"] == "si"
    assert regenerado.content == emitido.content
    al_emitir = Compromiso.objects.filter(convenio__slug=SEMILLA).con_estatus_al(
        datetime.date(2020, 2, 7), conocido_al=informe.emitido_en
    )
    assert set(al_emitir.values_list("estatus_al_id", flat=True)) == {
        Estatus.objects.get(slug="en-cumplimiento").pk
    }


def test_the_import_command_requires_who_imports(historial, tmp_path):
    archivo = tmp_path / "a.csv"
    archivo.write_text(f"convenio,numero,estatus,fecha_efectiva\n{SEMILLA},1,pendiente,2021-01-01\n")
    antes = filas_de_importacion()
    with pytest.raises(CommandError, match="--usuario"):
        call_command("importar", str(archivo), stdout=io.StringIO())
    assert filas_de_importacion() == antes
    with pytest.raises(CommandError, match="No existe el usuario «nadie»"):
        call_command("importar", str(archivo), "--usuario", "nadie", stdout=io.StringIO())
    call_command("importar", str(archivo), "--usuario", "capturista", stdout=io.StringIO())
    nueva = Actualizacion.objects.get(fecha_efectiva=datetime.date(2021, 1, 1))
    assert nueva.registrado_por.username == "capturista"


def test_the_history_page_shows_the_declared_capture_apart_from_the_recording(client, semilla, usuarios):
    importacion.importar(
        importacion.leer(libro_xlsx(actualizaciones=FALSIFICADA), "a.xlsx"), usuario=usuarios["capturista"]
    )
    nueva = Actualizacion.objects.get(nota="Nunca se cumplió.")
    client.force_login(usuarios["auditor"])
    pagina = client.get(reverse("convenios:historial", args=[nueva.compromiso_id])).content.decode()
    fila = next(f for f in pagina.split("<tr>") if "Nunca se cumplió." in f)
    assert 'data-etiqueta="Registrada por">capturista<' in fila
    assert "Captura declarada en el archivo" in pagina
    assert "admin" in fila and "1 de marzo de 2020" in fila


# --- A large import commits in time linear with its size ----------------------------------------


def revisiones_al_confirmar(n: int, usuario) -> tuple[int, int]:
    """Import five updates of each of ``n`` commitments as into a new database, then run the deferred
    foreign-key checks as a commit does: how many whole-table scans and how many index look-ups of
    the commitments they make (counted by PostgreSQL, not timed: the same on any machine)."""

    def recorridos(cursor) -> tuple[int, int]:
        cursor.execute(
            "SELECT seq_scan, coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables"
            " WHERE relname = 'convenios_compromiso'"
        )
        return cursor.fetchone()

    # A new database's table: no page, and statistics that say «empty» (what a migration that analysed
    # it left, or autovacuum; here VACUUM, which must run outside this test's transaction).
    import psycopg

    datos = connection.settings_dict
    parametros = {"dbname": datos["NAME"], "user": datos["USER"], "password": datos["PASSWORD"]}
    with psycopg.connect(**parametros, host=datos["HOST"], port=datos["PORT"], autocommit=True) as otra:
        otra.execute("VACUUM convenios_compromiso")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT relpages, reltuples FROM pg_class WHERE relname = 'convenios_compromiso'")
        assert cursor.fetchone() == (0, 0)
        # A check plan this connection caches while the table is that small.
        pequeno = CompromisoFactory()
        for _ in range(10):
            registrar_actualizacion(
                pequeno, estatus=Estatus.objects.first(), fecha_efectiva=pequeno.convenio.fecha_inicio
            )
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

        grande = ConvenioFactory(slug="grande")
        Compromiso.objects.bulk_create(
            [Compromiso(convenio=grande, numero=i, texto=f"Compromiso {i}.") for i in range(1, n + 1)]
        )
        filas = [
            {"convenio": "grande", "numero": i, "estatus": "en-proceso", "fecha_efectiva": f"2022-03-0{dia}"}
            for i in range(1, n + 1)
            for dia in range(1, 6)
        ]
        libro = importacion.Libro(actualizaciones=list(enumerate(filas, start=2)))
        informe = importacion.importar(libro, usuario=usuario)
        assert informe.escrito and informe.creados == 5 * n, informe.errores[:3]
        escaneos_antes, busquedas_antes = recorridos(cursor)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        escaneos, busquedas = recorridos(cursor)
        transaction.set_rollback(True)
    return escaneos - escaneos_antes, busquedas - busquedas_antes


@pytest.mark.postgres
def test_a_large_import_into_a_new_database_commits_in_time_linear_with_its_size(importador):
    if connection.vendor != "postgresql":
        pytest.skip("Los planes de las revisiones de llaves foráneas son de PostgreSQL.")

    (escaneos_pequena, busquedas_pequena), (escaneos_grande, busquedas_grande) = (
        revisiones_al_confirmar(n, importador) for n in (200, 800)
    )
    # The checks find each commitment by its index: no scan of the whole table, at either size (with
    # the plan cached while the table was small: one whole-table scan per update, 1,000 and 4,000,
    # which makes the commit quadratic in the size of the import)...
    assert escaneos_pequena == escaneos_grande == 0
    # ...but one index look-up per update: four times the rows, four times the work.
    assert (busquedas_pequena, busquedas_grande) == (5 * 200, 5 * 800)
