"""The validation queue: pending proposals of every kind of item, oldest first, filtered and paged.

One list for both kinds: each page costs the same few queries whatever the queue's length (the
ordering keys of every pending proposal, then the page's rows, per kind)."""

from dataclasses import dataclass, field
from typing import cast

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import Count, Field, Value
from django.urls import reverse
from django.utils.text import capfirst

from .models import PropuestaBase, Seguible
from .tables import resumen

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
    pendientes: int = 0  # all the user may decide on, whatever the filters (the menu's badge)
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
    ``comision``: only that kind then) and an institution (``dependencia``, its id). The database
    orders and pages both kinds at once (one UNION, sliced, and its count)."""
    tipos = tipos_que_valida(usuario)
    contenedores, dependencias = [], {}
    claves = []
    total_sin_filtros = 0
    for posicion, modelo in enumerate(tipos):
        elemento: type[Seguible] = modelo.modelo_elemento()
        parametro = elemento.CAMPO_CONTENEDOR
        contenedor = campo_contenedor(modelo)
        pendientes = modelo.objects.pendientes()
        # What the filters offer and how many wait, from one grouped query per kind.
        grupos = (
            pendientes.values_list(
                f"{contenedor}__slug", f"{contenedor}__nombre", "dependencia_id", "dependencia__nombre"
            )
            .annotate(n=Count("pk"))
            .order_by()
        )
        opciones = {}
        for slug, nombre_contenedor, dependencia, nombre_dependencia, n in grupos:
            opciones[slug] = nombre_contenedor
            if dependencia is not None:
                dependencias[dependencia] = nombre_dependencia
            total_sin_filtros += n
        contenedores.append(
            {
                "parametro": parametro,
                "etiqueta": cast(Field, elemento._meta.get_field(parametro)).verbose_name,
                "opciones": sorted(opciones.items(), key=lambda o: o[1]),
                "elegido": filtros.get(parametro, ""),
            }
        )
        otros = [c.modelo_elemento().CAMPO_CONTENEDOR for c in tipos if c is not modelo]
        if any(filtros.get(p) for p in otros):
            continue  # a filter on another kind's container leaves this kind out
        if filtros.get(parametro):
            pendientes = pendientes.filter(**{f"{contenedor}__slug": filtros[parametro]})
        if filtros.get("dependencia"):
            pendientes = pendientes.filter(dependencia_id=filtros["dependencia"])
        claves.append(
            pendientes.annotate(tipo=Value(posicion)).values_list("registrado_en", "pk", "tipo").order_by()
        )
    if claves:
        primera, *demas = claves
        todas = primera.union(*demas, all=True).order_by("registrado_en", "tipo", "pk") if demas else primera
        pagina = Paginator(todas.order_by("registrado_en", "tipo", "pk"), TAMANO_PAGINA).get_page(
            numero_de_pagina
        )
        pagina.object_list = propuestas_de([(pk, tipos[tipo]) for _en, pk, tipo in pagina.object_list])
    else:
        pagina = Paginator([], TAMANO_PAGINA).get_page(1)
    return Cola(
        pagina=pagina,
        total=pagina.paginator.count,
        pendientes=total_sin_filtros,
        contenedores=contenedores,
        dependencias=sorted(dependencias.items(), key=lambda d: d[1]),
    )


def propuestas_de(claves: list) -> list[PropuestaBase]:
    """The proposals of one page, in its order, with what a row shows worked out here (its links and
    the item's summary), not in the template: one query per kind."""
    por_modelo: dict[type[PropuestaBase], list[int]] = {}
    for pk, modelo in claves:
        por_modelo.setdefault(modelo, []).append(pk)
    leidas = {}
    for modelo, ids in por_modelo.items():
        # Reversed once per kind, not once per row.
        prefijo = reverse(f"{modelo._meta.app_label}:decidir", args=[0]).removesuffix("0/decidir/")
        prefijo_elemento = modelo.modelo_elemento().prefijo_url()
        nombre = modelo._meta.model_name
        for propuesta in modelo.objects.para_cola().filter(pk__in=ids):
            elemento = propuesta.elemento
            propuesta.ancla = f"{nombre}-{propuesta.pk}"
            propuesta.url_decidir_fila = f"{prefijo}{propuesta.pk}/decidir/"
            propuesta.url_evidencia_fila = f"{prefijo}{propuesta.pk}/evidencia/"
            propuesta.url_historial_fila = f"{prefijo_elemento}{elemento.pk}/historial/"
            propuesta.resumen = resumen(elemento.texto) or elemento.texto
            propuesta.version_fila = str(elemento.version)
            propuesta.de_elemento = str(elemento.de_elemento)
            propuesta.titulo_fila = f"{capfirst(elemento.nombre_tipo)} {elemento.numero}"
            leidas[(modelo, propuesta.pk)] = propuesta
    return [leidas[(modelo, pk)] for pk, modelo in claves if (modelo, pk) in leidas]
