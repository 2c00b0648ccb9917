"""The seed documents are loaded faithfully (no sentence lost or altered) and idempotently."""

import datetime
import html
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from comisiones.models import ActualizacionAtribucion, Atribucion, Comision, Objetivo, TipoComision
from convenios.models import LAS_PARTES, Actualizacion, Compromiso, Convenio, Dependencia, Parte

SEMILLAS = Path(__file__).parent / "semillas"
COMPARTIDAS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
INFORME = "000_57b7a6c01270c787.txt"
COMISIONES = "003_fdfa1989c2b1b9de.txt"


def normalizar(texto: str) -> str:
    """Drop markup, keep every character a reader sees; collapse whitespace."""
    sin_marcas = re.sub(r"<[^>]+>", " ", texto)
    return " ".join(html.unescape(sin_marcas).split())


def filas_del_informe() -> list[list[str]]:
    """The seed report's table rows, as lists of normalised cells (empty cells dropped)."""
    texto = (SEMILLAS / INFORME).read_text(encoding="utf-8")
    filas = []
    for linea in texto.splitlines():
        if "\t" in linea:
            filas.append([normalizar(celda) for celda in linea.split("\t")])
    return filas


def test_vendored_seed_files_are_the_shared_ones():
    if not COMPARTIDAS.is_dir():
        pytest.skip("../shared/seeds no está junto al proyecto")
    for nombre in (INFORME, COMISIONES):
        assert (SEMILLAS / nombre).read_bytes() == (COMPARTIDAS / nombre).read_bytes()


def test_seed_convenio_general_data_matches_the_report(semilla):
    filas = {fila[0]: fila[1:] for fila in filas_del_informe() if fila[0]}
    partes = list(semilla.partes.select_related("dependencia"))

    assert f"{semilla.nombre} {semilla.nota}" == filas["NOMBRE DEL CONVENIO"][0]
    assert filas["NOMBRE DEL CONVENIO"][1] == "-----"
    assert semilla.celebran(partes) == filas["CELEBRAN"][0]
    assert semilla.objeto == filas["OBJETO"][0]
    assert semilla.vigencia_indefinida and filas["VIGENCIA"][0] == "Indefinida"
    assert filas["CONTACTO"][0] == (
        f"{semilla.contacto_unidad} {semilla.contacto_institucion} "
        f"Tel. {semilla.contacto_telefono} Ext. {semilla.contacto_extension}"
    )
    assert semilla.fecha_inicio == datetime.date(2017, 5, 3)


def test_seed_parties_nest_as_written_under_celebran(semilla):
    gobierno = Dependencia.objects.get(nombre="Gobierno del Estado de Tamaulipas")
    assert [d.nombre for d in gobierno.subdependencias.order_by("partes__orden")] == [
        "Gobernador del Estado",
        "Secretaría General de Gobierno",
        "Contraloría Gubernamental",
    ]
    assert Parte.objects.filter(convenio=semilla).count() == 5


def test_seed_commitments_are_verbatim_in_order_with_their_block_and_status(semilla):
    esperados = []
    bloque = None
    for fila in filas_del_informe():
        if fila[0].startswith("COMPROMISOS"):
            bloque = fila[0]
        elif fila[0]:
            bloque = None
        if bloque and len(fila) == 3:
            esperados.append((bloque, fila[1], fila[2]))

    compromisos = list(Compromiso.objects.de_convenio(semilla).con_estatus_actual())
    obtenidos = [(c.encabezado, c.texto, c.estatus_actual.nombre) for c in compromisos]
    assert obtenidos == esperados
    assert len(esperados) == 11
    assert [e[0] for e in esperados].count("COMPROMISOS GOB- TAM") == 6
    assert [e[0] for e in esperados].count(LAS_PARTES) == 5
    for compromiso in compromisos:
        assert compromiso.ultima_actualizacion.fecha_efectiva == datetime.date(2020, 2, 7)


def test_every_sentence_of_the_seed_report_is_in_the_report_page(semilla, usuarios, client):
    client.force_login(usuarios["gerente"])
    respuesta = client.get(reverse("reportes:informe", args=[semilla.slug]), {"fecha": "2020-02-07"})
    assert respuesta.status_code == 200
    pagina = normalizar(respuesta.content.decode())
    texto = normalizar((SEMILLAS / INFORME).read_text(encoding="utf-8")).replace("*", "")
    for celda in re.split(r"\t|\n", (SEMILLAS / INFORME).read_text(encoding="utf-8")):
        celda = normalizar(celda).strip("*")
        if celda:
            assert celda in pagina, celda
    assert "Fecha de Actualización: 7 de febrero de 2020" in texto
    assert "Fecha de Actualización: 7 de febrero de 2020" in pagina


def lineas_de_comisiones() -> list[str]:
    texto = (SEMILLAS / COMISIONES).read_text(encoding="utf-8")
    return [normalizar(linea).lstrip("• ").strip() for linea in texto.splitlines() if linea.strip()]


def test_every_sentence_of_the_commissions_seed_is_stored(semilla):
    lineas = lineas_de_comisiones()
    tecnologias = Comision.objects.get(slug="tecnologias-de-la-informacion-y-pnt")
    abierto = Comision.objects.get(slug="gobierno-abierto-y-transparencia-proactiva")
    tipo = TipoComision.objects.get()
    etiquetas = {m.label: m.value for m in Atribucion.Materia}

    assert lineas[0] == tecnologias.titulo_ficha
    assert lineas[1:4] == [normalizar(p) for p in tipo.descripcion.split("\n\n")]
    assert lineas[4] == abierto.descripcion

    atribuciones = list(abierto.atribuciones.order_by("numero"))
    materia, leidas, resto = None, [], lineas[5:]
    while resto and (resto[0].rstrip(":") in etiquetas or materia):
        linea = resto.pop(0)
        if linea.endswith(":") and linea.rstrip(":") in etiquetas:
            materia = etiquetas[linea.rstrip(":")]
            continue
        if len(leidas) == len(atribuciones):
            resto.insert(0, linea)
            break
        leidas.append((materia, linea))
    assert leidas == [(a.materia, a.texto) for a in atribuciones]
    assert len(leidas) == 9
    assert resto == [o.texto for o in abierto.objetivos.order_by("numero")]
    assert len(resto) == 2
    assert list(abierto.colabora_con.all()) == [tecnologias]
    assert list(tecnologias.colabora_con.all()) == [abierto]
    assert tipo.nombre == "Comisión ordinaria permanente"
    assert abierto.sistema.siglas == "SNT"


MODELOS = [
    Dependencia,
    Convenio,
    Parte,
    Compromiso,
    Actualizacion,
    Comision,
    TipoComision,
    Atribucion,
    Objetivo,
    ActualizacionAtribucion,
]


def test_loading_the_seed_twice_duplicates_nothing(semilla):
    antes = {m.__name__: m.objects.count() for m in MODELOS}
    call_command("cargar_semilla", stdout=open("/dev/null", "w"))  # noqa: SIM115
    despues = {m.__name__: m.objects.count() for m in MODELOS}
    assert antes == despues
    assert antes["Compromiso"] == 11 and antes["Actualizacion"] == 11 and antes["Atribucion"] == 9


def test_loading_the_seed_never_overwrites_what_users_changed(semilla):
    semilla.nota = "Nota corregida por el administrador"
    semilla.save()
    call_command("cargar_semilla", stdout=open("/dev/null", "w"))  # noqa: SIM115
    semilla.refresh_from_db()
    assert semilla.nota == "Nota corregida por el administrador"
