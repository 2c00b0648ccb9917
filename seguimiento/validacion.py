"""The validation queue: pending proposals of every kind of item, oldest first, filtered and paged.

One list for both kinds: each page costs the same few queries whatever the queue's length (the
ordering keys of every pending proposal, then the page's rows, per kind)."""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.urls import reverse

from .models import PropuestaBase, Seguible

TAMANO_PAGINA = 50


def modelos_de_propuesta() -> list[type[PropuestaBase]]:
    """Every concrete proposal model (one per kind of followed-up item), found without importing them."""
    return [m for m in apps.get_models() if issubclass(m, PropuestaBase)]


def tipos_que_valida(usuario) -> list[type[PropuestaBase]]:
    """The kinds of proposal ``usuario`` may decide on: deciding records an update, so whoever may
    record updates of that kind of item (``Seguible.permiso_escritura``)."""
    return [m for m in modelos_de_propuesta() if usuario.has_perm(m.modelo_elemento().permiso_escritura())]


def campo_contenedor(modelo: type[PropuestaBase]) -> str:
    """The path from a proposal to its item's container (``compromiso__convenio``)."""
    elemento = modelo.modelo_elemento()
    return f"{modelo.CAMPO_ELEMENTO}__{elemento.CAMPO_CONTENEDOR}"


@dataclass
class Cola:
    """One page of the queue and what its filters offer."""

    pagina: Page
    total: int
    contenedores: list[dict] = field(default_factory=list)  # per kind: parameter, label, options
    dependencias: list[tuple[int, str]] = field(default_factory=list)


def contar_pendientes(usuario) -> int:
    """How many proposals wait for ``usuario``'s decision (the menu's badge): one query."""
    tipos = tipos_que_valida(usuario)
    if not tipos:
        return 0
    consultas = [m.objects.pendientes().values("pk").order_by() for m in tipos]
    primera, *demas = consultas
    return primera.union(*demas, all=True).count() if demas else primera.count()


def cola(usuario, filtros: dict, numero_de_pagina: str = "1") -> Cola:
    """The queue as ``usuario`` sees it: ``filtros`` may name a container by its slug (``convenio``,
    ``comision``: only that kind then) and an institution (``dependencia``, its id)."""
    tipos = tipos_que_valida(usuario)
    contenedores, dependencias = [], {}
    claves = []
    for modelo in tipos:
        elemento: type[Seguible] = modelo.modelo_elemento()
        parametro = elemento.CAMPO_CONTENEDOR
        contenedor = campo_contenedor(modelo)
        pendientes = modelo.objects.pendientes()
        opciones = list(
            pendientes.values_list(f"{contenedor}__slug", f"{contenedor}__nombre")
            .distinct()
            .order_by(f"{contenedor}__nombre")
        )
        contenedores.append(
            {
                "parametro": parametro,
                "etiqueta": elemento._meta.get_field(parametro).verbose_name,
                "opciones": opciones,
                "elegido": filtros.get(parametro, ""),
            }
        )
        dependencias.update(
            pendientes.exclude(dependencia=None)
            .values_list("dependencia_id", "dependencia__nombre")
            .distinct()
        )
        otros = [c.modelo_elemento().CAMPO_CONTENEDOR for c in tipos if c is not modelo]
        if any(filtros.get(p) for p in otros):
            continue  # a filter on another kind's container leaves this kind out
        if filtros.get(parametro):
            pendientes = pendientes.filter(**{f"{contenedor}__slug": filtros[parametro]})
        if filtros.get("dependencia"):
            pendientes = pendientes.filter(dependencia_id=filtros["dependencia"])
        claves += [(en, pk, modelo) for en, pk in pendientes.values_list("registrado_en", "pk")]
    claves.sort(key=lambda c: (c[0], c[1], c[2]._meta.label))
    pagina = Paginator(claves, TAMANO_PAGINA).get_page(numero_de_pagina)
    pagina.object_list = propuestas_de(pagina.object_list)
    return Cola(
        pagina=pagina,
        total=len(claves),
        contenedores=contenedores,
        dependencias=sorted(dependencias.items(), key=lambda d: d[1]),
    )


def propuestas_de(claves: list) -> list[PropuestaBase]:
    """The proposals of one page, in its order, with what a row shows: one query per kind."""
    por_modelo: dict[type[PropuestaBase], list[int]] = {}
    for _en, pk, modelo in claves:
        por_modelo.setdefault(modelo, []).append(pk)
    leidas = {}
    for modelo, ids in por_modelo.items():
        # Reversed once per kind, not once per row.
        prefijo = reverse(f"{modelo._meta.app_label}:decidir", args=[0]).removesuffix("0/decidir/")
        prefijo_elemento = modelo.modelo_elemento().prefijo_url()
        for propuesta in modelo.objects.para_cola().filter(pk__in=ids):
            propuesta.prefijo = prefijo
            propuesta.prefijo_elemento = prefijo_elemento
            leidas[(modelo, propuesta.pk)] = propuesta
    return [leidas[(modelo, pk)] for _en, pk, modelo in claves if (modelo, pk) in leidas]
