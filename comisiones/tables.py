"""The commission duties table: its columns (the page, the CSV and the XLSX are ``seguimiento.tables``')."""

from django.utils.translation import gettext_lazy as _

from seguimiento.tables import Columna, Tabla, categoria, local, o

from .models import Atribucion

MATERIAS = dict(Atribucion.Materia.choices)

TABLA = Tabla(
    columnas=[
        Columna(_("Comisión"), "comision__nombre", "comision"),
        Columna(_("Número"), "numero", en_pagina=False),
        Columna(_("Materia"), "materia", "materia", formato=lambda v: str(MATERIAS.get(v, v))),
        Columna(_("Atribución"), "texto", "texto"),
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
        Columna(_("Última nota"), "nota_vigente", en_pagina=False, formato=o("")),
    ],
    nombre="atribuciones",
    hoja=_("Atribuciones"),
    singular="atribución",
    plural="atribuciones",
    ninguno="ninguna atribución",
    los="las",
    filtrados="filtradas",
)
