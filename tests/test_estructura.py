"""The layout the code promises, as the project apps each app may import (any other is refused):
``seguimiento`` is the shared mechanism and imports no app; the apps that plug an item into it
(``convenios``, ``comisiones``) never import each other; the reports read the items; the home page,
the open data and the API sit on top (the home page draws the reports' charts); ``avisos`` reads
convenios and nobody imports it; no app imports the API, the home page or ``config``. And no app imports
another app's views: what two apps share (a report's date, an issued report, an evidence download)
lives in a module both may read."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse

RAIZ = Path(__file__).resolve().parent.parent
PERMITIDOS = {
    "seguimiento": set(),
    "convenios": {"seguimiento"},
    "comisiones": {"seguimiento"},
    "reportes": {"seguimiento", "convenios", "comisiones"},
    "avisos": {"seguimiento", "convenios", "comisiones"},  # reminders of both kinds of item
    "tablero": {"seguimiento", "convenios", "comisiones", "reportes"},
    "datos": {"seguimiento", "convenios", "comisiones", "reportes"},
    "api": {"seguimiento", "convenios", "comisiones", "reportes"},
    # The project's composition root (settings, URLs, middleware) may name every app.
    "config": {"seguimiento", "convenios", "comisiones", "reportes", "avisos", "tablero", "datos", "api"},
}


def archivos_de(app: str) -> list[Path]:
    archivos = sorted((RAIZ / app).rglob("*.py"))
    assert archivos
    return archivos


def modulos_importados(ruta: Path) -> set[str]:
    """Every absolute module path ``ruta`` imports (``from a.b import c`` gives ``a.b`` and ``a.b.c``)."""
    arbol = ast.parse(ruta.read_text(encoding="utf-8"))
    nombres = set()
    for nodo in ast.walk(arbol):
        if isinstance(nodo, ast.Import):
            nombres.update(alias.name for alias in nodo.names)
        elif isinstance(nodo, ast.ImportFrom) and nodo.level == 0 and nodo.module:
            nombres.add(nodo.module)
            nombres.update(f"{nodo.module}.{alias.name}" for alias in nodo.names)
    return nombres


def test_every_app_of_the_project_has_its_import_rule():
    propias = {Path(app.path).name for app in apps.get_app_configs() if Path(app.path).parent == RAIZ}
    assert propias == set(PERMITIDOS)


@pytest.mark.parametrize("app", list(PERMITIDOS))
def test_apps_import_only_what_the_layout_allows(app):
    prohibidas = set(PERMITIDOS) - PERMITIDOS[app] - {app}
    infracciones = {
        str(ruta.relative_to(RAIZ)): sorted({m.split(".")[0] for m in modulos_importados(ruta)} & prohibidas)
        for ruta in archivos_de(app)
    }
    assert {ruta: mods for ruta, mods in infracciones.items() if mods} == {}


@pytest.mark.parametrize("app", [app for app in PERMITIDOS if app != "config"])
def test_no_app_imports_the_views_of_another(app):
    ajenas = set(PERMITIDOS) - {app}
    infracciones = {
        str(ruta.relative_to(RAIZ)): sorted(
            m
            for m in modulos_importados(ruta)
            if m.split(".")[0] in ajenas and len(m.split(".")) > 1 and m.split(".")[1].startswith("views")
        )
        for ruta in archivos_de(app)
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
