"""The layout the code promises: ``seguimiento`` is the shared mechanism, and the apps that plug an
item into it (``convenios``, ``comisiones``) never import each other nor are imported by it; ``avisos``
reads convenios and nobody imports it; ``api`` sits on top of them all and no app imports it."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

RAIZ = Path(__file__).resolve().parent.parent
PROHIBIDOS = {
    "convenios": {"comisiones", "reportes", "avisos", "api"},
    "comisiones": {"convenios", "reportes", "avisos", "api"},
    "seguimiento": {"convenios", "comisiones", "reportes", "avisos", "api"},
    # Reminders read convenios; nothing else depends on them (the page gets its button by a tag).
    "avisos": {"comisiones", "reportes", "api"},
    # The API only offers what the apps already have; nothing depends on it.
    "reportes": {"avisos", "api"},
}


def modulos_importados(ruta: Path) -> set[str]:
    arbol = ast.parse(ruta.read_text(encoding="utf-8"))
    nombres = set()
    for nodo in ast.walk(arbol):
        if isinstance(nodo, ast.Import):
            nombres.update(alias.name.split(".")[0] for alias in nodo.names)
        elif isinstance(nodo, ast.ImportFrom) and nodo.level == 0 and nodo.module:
            nombres.add(nodo.module.split(".")[0])
    return nombres


@pytest.mark.parametrize("app", list(PROHIBIDOS))
def test_apps_import_only_what_the_layout_allows(app):
    archivos = sorted((RAIZ / app).rglob("*.py"))
    assert archivos
    infracciones = {
        str(ruta.relative_to(RAIZ)): sorted(modulos_importados(ruta) & PROHIBIDOS[app]) for ruta in archivos
    }
    assert {ruta: mods for ruta, mods in infracciones.items() if mods} == {}


def test_commission_page_and_its_report_link_to_each_other(client, usuarios, semilla):
    slug = "gobierno-abierto-y-transparencia-proactiva"
    client.force_login(usuarios["gerente"])
    pagina = client.get(reverse("comisiones:detalle", args=[slug])).content.decode()
    informe = client.get(reverse("reportes:comision", args=[slug])).content.decode()
    assert f'href="{reverse("reportes:comision", args=[slug])}"' in pagina
    assert f'href="{reverse("comisiones:detalle", args=[slug])}"' in informe


def test_roles_without_the_report_permission_see_no_report_link(client, usuarios, semilla):
    usuarios["sin_rol"].user_permissions.add(Permission.objects.get(codename="view_comision"))
    client.force_login(usuarios["sin_rol"])
    pagina = client.get(reverse("comisiones:detalle", args=["gobierno-abierto-y-transparencia-proactiva"]))
    assert pagina.status_code == 200 and "/reportes/comision/" not in pagina.content.decode()
