"""The downloadable import template: example rows and, on a third sheet, what each column means."""

EJEMPLO = "convenio-de-ejemplo"

HOJAS_EJEMPLO = {
    "convenios": [
        {
            "tipo": "convenio",
            "convenio": EJEMPLO,
            "nombre": "Convenio de Colaboración de Ejemplo",
            "nota": "Convenio de ejemplo a partir del 1 de marzo de 2024",
            "fecha_inicio": "2024-03-01",
            "fecha_fin": "",
            "objeto": "Describir aquí el objeto del convenio.",
            "contacto_unidad": "Dirección de Implementación",
            "contacto_institucion": "Contraloría Gubernamental del Estado de Tamaulipas",
            "contacto_telefono": "(834) 107 84 31",
            "contacto_extension": "43201",
        },
        {
            "tipo": "parte",
            "convenio": EJEMPLO,
            "dependencia": "Secretaría de Ejemplo",
            "siglas": "SE",
            "rol": "“LA SECRETARÍA”",
            "orden": "1",
        },
        {
            "tipo": "parte",
            "convenio": EJEMPLO,
            "dependencia": "Gobierno del Estado de Tamaulipas",
            "rol": '"EL GOBIERNO DEL ESTADO"',
            "etiqueta": "GOB- TAM",
            "orden": "2",
        },
        {
            "tipo": "parte",
            "convenio": EJEMPLO,
            "dependencia": "Contraloría Gubernamental",
            "pertenece_a": "Gobierno del Estado de Tamaulipas",
            "orden": "3",
        },
        {
            "tipo": "compromiso",
            "convenio": EJEMPLO,
            "numero": "1",
            "responsable": "GOB- TAM",
            "texto": "Publicar los conjuntos de datos acordados.",
            "fecha_limite": "2024-12-31",
        },
        {
            "tipo": "compromiso",
            "convenio": EJEMPLO,
            "numero": "2",
            "responsable": "",
            "texto": "Reunirse cada trimestre para revisar el avance.",
        },
    ],
    "actualizaciones": [
        {
            "convenio": EJEMPLO,
            "numero": "1",
            "estatus": "en-proceso",
            "fecha_efectiva": "2024-04-15",
            "nota": "Se definió el calendario de publicación.",
            "enlace": "https://www.datos.gob.mx/",
        },
        {
            "convenio": EJEMPLO,
            "numero": "2",
            "estatus": "Incumplido",
            "fecha_efectiva": "2024-06-30",
            "nota": "No se celebró la reunión del segundo trimestre.",
            "capturado_por_declarado": "María López (hoja de seguimiento 2024)",
            "capturado_en_declarado": "2024-07-02",
        },
    ],
}

INSTRUCCIONES = [
    ["Plantilla de importación de Seguimiento"],
    [""],
    ["Hoja", "Columna", "Qué significa", "Ejemplo"],
    ["Convenios", "tipo", "convenio, parte o compromiso: qué describe la fila", "compromiso"],
    [
        "Convenios",
        "convenio",
        "Clave del convenio (letras minúsculas, números y guiones); en partes y "
        "compromisos, la clave o el nombre de un convenio de este archivo o ya registrado",
        EJEMPLO,
    ],
    [
        "Convenios",
        "nombre, nota, objeto",
        "Solo filas convenio: nombre completo, nota y objeto (nombre y objeto obligatorios)",
        "Convenio de Colaboración…",
    ],
    [
        "Convenios",
        "fecha_inicio, fecha_fin",
        "Solo filas convenio, AAAA-MM-DD; fin vacío = vigencia indefinida",
        "2024-03-01",
    ],
    [
        "Convenios",
        "contacto_*",
        "Solo filas convenio: unidad, institución, teléfono y extensión de contacto",
        "",
    ],
    [
        "Convenios",
        "dependencia, siglas",
        "Solo filas parte: nombre de la dependencia (se crea si no existe) y sus siglas",
        "Contraloría Gubernamental",
    ],
    [
        "Convenios",
        "pertenece_a",
        "Solo filas parte: dependencia de la que forma parte (ya registrada o en la columna dependencia)",
        "Gobierno del Estado de Tamaulipas",
    ],
    [
        "Convenios",
        "rol, etiqueta, orden",
        "Solo filas parte: cómo la nombra el convenio, etiqueta en el informe y orden",
        "GOB- TAM",
    ],
    ["Convenios", "numero", "Solo filas compromiso: número dentro del convenio (no se repite)", "1"],
    [
        "Convenios",
        "responsable",
        "Solo filas compromiso: etiqueta o dependencia de la parte; vacío = «LAS PARTES»",
        "GOB- TAM",
    ],
    ["Convenios", "texto, fecha_limite", "Solo filas compromiso: texto (obligatorio) y fecha límite", ""],
    ["Actualizaciones", "convenio, numero", "El compromiso: clave del convenio y número", "1"],
    [
        "Actualizaciones",
        "estatus",
        "Clave o nombre del estatus: cumplido, en-cumplimiento, en-proceso, pendiente, incumplido, no-aplica",
        "en-proceso",
    ],
    [
        "Actualizaciones",
        "fecha_efectiva",
        "Desde cuándo rige el estatus, AAAA-MM-DD; no puede ser futura",
        "2024-04-15",
    ],
    ["Actualizaciones", "nota", "Obligatoria si el estatus es desfavorable (Incumplido)", ""],
    ["Actualizaciones", "enlace", "Evidencia en línea (opcional)", "https://…"],
    [
        "Actualizaciones",
        "capturado_por_declarado",
        "Opcional: quién la capturó originalmente, según su hoja (texto libre). Se guarda y se muestra "
        "como dato declarado; no cambia quién la registra",
        "María López",
    ],
    [
        "Actualizaciones",
        "capturado_en_declarado",
        "Opcional: cuándo se capturó originalmente, AAAA-MM-DD o AAAA-MM-DDTHH:MM:SS±HH:MM; no futura. "
        "Dato declarado: no cuenta para el estatus a una fecha ni para los informes emitidos",
        "2024-07-02",
    ],
    [""],
    [
        "Quién y cuándo: cada actualización queda registrada a nombre de quien importa y con la hora de "
        "la importación; eso no se puede indicar en el archivo (las columnas registrado_por y "
        "registrado_en de una exportación solo se leen como capturado_por_declarado y "
        "capturado_en_declarado, en las filas que no declaran captura). La fecha efectiva sí puede "
        "ser pasada."
    ],
    [
        "Reglas: el archivo se importa completo o no se importa nada; volver a importar el mismo archivo no "
        "cambia nada; el historial de estatus solo crece (una fila igual a una ya registrada —mismo "
        "compromiso, estatus, fecha efectiva, nota y captura declarada— se omite); si dos actualizaciones "
        "de un compromiso tienen la misma fecha efectiva, rige la que va más abajo; no se admiten fórmulas."
    ],
    [
        "Un texto que empieza con = + - @, tabulador o retorno se exporta con un apóstrofo delante (') "
        "para que la hoja de cálculo no lo ejecute como fórmula; al importar, ese apóstrofo se quita."
    ],
]
