"""The commitments table: its columns (the page, the CSV and the XLSX are ``seguimiento.tables``')."""

from django.utils.translation import gettext_lazy as _

from seguimiento.tables import Columna, Tabla, categoria, local, o

TABLA = Tabla(
    columnas=[
        Columna(_("Convenio"), "convenio__nombre", "convenio"),
        Columna(_("Número"), "numero", en_pagina=False),
        Columna(
            _("Parte responsable"),
            "responsable__dependencia__nombre",
            "responsable",
            formato=o("LAS PARTES"),
        ),
        Columna(_("Compromiso"), "texto", "texto"),
        Columna(
            _("Estatus actual"),
            "estatus_vigente__nombre",
            "estatus",
            formato=o("Sin estatus"),
            encabezado_al=_("Estatus a la fecha"),
        ),
        Columna(_("Categoría"), "estatus_vigente__categoria", en_pagina=False, formato=categoria),
        Columna(_("Fecha efectiva"), "fecha_vigente", "fecha"),
        Columna(
            _("Última actualización"), "ultima_actualizacion__registrado_en", "actualizado", formato=local
        ),
        Columna(_("Fecha límite"), "fecha_limite", "limite"),
        Columna(_("Última nota"), "nota_vigente", en_pagina=False, formato=o("")),
    ],
    nombre="compromisos",
    hoja=_("Compromisos"),
    singular="compromiso",
    plural="compromisos",
    ninguno="ningún compromiso",
)
