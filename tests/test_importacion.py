"""Bulk import and export: round trip, idempotence, all-or-nothing, the service's rules."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from convenios import importacion
from convenios.models import Actualizacion, Compromiso, Convenio, Dependencia, Parte
from convenios.services import registrar_actualizacion

from .factories import UsuarioFactory

HOY = timezone.localdate()


def instantanea() -> dict:
    """Everything the import writes, by natural keys, so two databases can be compared."""
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
                "ultima_actualizacion__registrado_en",
            )
        ),
        "historial": sorted(
            Actualizacion.objects.values_list(
                "compromiso__convenio__slug",
                "compromiso__numero",
                "estatus__slug",
                "estatus_anterior__slug",
                "fecha_efectiva",
                "nota",
                "enlace",
                "registrado_en",
                "registrado_por__username",
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
    registrar_actualizacion(dos, estatus=estatus["cumplido"], fecha_efectiva=HOY, usuario=usuarios["admin"])
    return semilla


@pytest.fixture
def historial(db, usuarios, estatus):
    return crear_historial(usuarios, estatus)


@pytest.mark.parametrize("formato", ["todo.xlsx", "carpeta", "todo.json"])
def test_export_then_import_into_a_fresh_database_gives_back_the_same_data(
    usuarios, estatus, tmp_path, formato
):
    destino = tmp_path / formato
    punto = transaction.savepoint()
    crear_historial(usuarios, estatus)
    call_command("exportar", str(destino), stdout=io.StringIO())
    antes = instantanea()
    transaction.savepoint_rollback(punto)  # back to a database with no convenios at all
    assert Convenio.objects.count() == 0 and Actualizacion.objects.count() == 0

    call_command("importar", str(destino), stdout=io.StringIO())

    assert instantanea() == antes
    assert len(antes["historial"]) == 14


def test_reimporting_the_same_file_changes_nothing(historial, tmp_path):
    destino = tmp_path / "todo.xlsx"
    call_command("exportar", str(destino), stdout=io.StringIO())
    antes = instantanea()
    salida = io.StringIO()
    call_command("importar", str(destino), stdout=salida)
    assert "Creados: 0. Actualizados: 0. Sin cambios: 31. Errores: 0." in salida.getvalue()
    assert instantanea() == antes
