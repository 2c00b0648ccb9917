"""The SNT commissions, transcribed from ../shared/seeds/003_fdfa1989c2b1b9de.txt.
Loading is idempotent: it creates what is missing and never overwrites."""

from django.db import transaction

from .models import Atribucion, Comision, Objetivo, Sistema, TipoComision

SNT = {"nombre": "Sistema Nacional de Transparencia", "siglas": "SNT"}

ORDINARIA_PERMANENTE = {
    "nombre": "Comisión ordinaria permanente",
    "descripcion": (
        "Las comisiones ordinarias permanentes del SNT se constituyen para contar con equipos de "
        "trabajo que contribuyen a que el Sistema cumpla con sus atribuciones legales.\n\n"
        "Esta labor de apoyo se realiza mediante la elaboración de acuerdos, dictámenes, informes, "
        "opiniones o resoluciones, sobre las materias de sus competencias.\n\n"
        "En las comisiones, las personas integrantes del SNT se coordinan, colaboran, dialogan, "
        "discuten, deliberan, analizan y proponen iniciativas en los temas de su competencia. Las "
        "comisiones pueden también realizar consultas y ordenar estudios."
    ),
}

TECNOLOGIAS = {
    "slug": "tecnologias-de-la-informacion-y-pnt",
    "nombre": "Comisión de Tecnologías de la Información y Plataforma Nacional de Transparencia",
    "titulo_ficha": (
        "¿Qué es la Comisión de Tecnologías de la Información y Plataforma Nacional de Transparencia?"
    ),
    "descripcion": "",
}

GOBIERNO_ABIERTO = {
    "slug": "gobierno-abierto-y-transparencia-proactiva",
    "nombre": "Comisión de Gobierno Abierto y de Transparencia Proactiva",
    "titulo_ficha": "",
    "descripcion": (
        "La Comisión de Gobierno Abierto y de Transparencia Proactiva es responsable de impulsar "
        "ambos temas desde el SNT. Para ese propósito, la Comisión realiza las siguientes acciones:"
    ),
}
# The demo user ``enlace`` reports for the commission whose duties the seed lists.
ENLACE_DEMO = {"comision": [GOBIERNO_ABIERTO["slug"]]}

Materia = Atribucion.Materia
ATRIBUCIONES = [
    (Materia.APERTURA, "Propone acciones y políticas sobre apertura institucional."),
    (
        Materia.APERTURA,
        "Conforma una red de conocimiento al establecer canales institucionales con otros actores y "
        "con los distintos órdenes de gobierno y poderes públicos.",
    ),
    (
        Materia.APERTURA,
        "Propone actividades, investigaciones, políticas públicas, evaluación especializada, "
        "desarrollo de plataformas tecnológicas, proyectos temáticos y sectoriales, así como "
        "material de comunicación y difusión sobre apertura, entre las entidades federativas (en su "
        "caso, mediante convenios entre los organismos garantes de cada entidad).",
    ),
    (
        Materia.APERTURA,
        "Fomenta la creación de valor público al promover el uso de datos abiertos y formatos reutilizables.",
    ),
    (
        Materia.APERTURA,
        "Fomenta la participación en el grupo de trabajo de la Alianza para el Gobierno Abierto en México.",
    ),
    (
        Materia.TRANSPARENCIA_PROACTIVA,
        "Propone e impulsa políticas de transparencia proactiva, con accesibilidad.",
    ),
    (
        Materia.TRANSPARENCIA_PROACTIVA,
        "Propone lineamientos para incentivar a los sujetos obligados a publicar información "
        "adicional a la que se establece en la Ley.",
    ),
    (
        Materia.TRANSPARENCIA_PROACTIVA,
        "Propone criterios para evaluar la efectividad de la política de transparencia proactiva, a "
        "partir de la reutilización de la información por parte de la sociedad.",
    ),
    (
        Materia.AMBAS,
        "Promueve el intercambio de experiencias e identificación de las mejores prácticas sobre "
        "los temas de participación ciudadana y rendición de cuentas.",
    ),
]

OBJETIVOS = [
    "Colaborar con la Comisión de Tecnologías de la Información y Plataforma Nacional de "
    "Transparencia promover la transparencia, participación ciudadana e innovación cívica basadas "
    "en tecnologías.",
    "Impulsar la transparencia, la rendición de cuentas y la participación ciudadana desde el SNT, "
    "con el aprovechamiento de las tecnologías.",
]


@transaction.atomic
def cargar() -> Comision:
    sistema, _ = Sistema.objects.get_or_create(nombre=SNT["nombre"], defaults=SNT)
    tipo, _ = TipoComision.objects.get_or_create(
        nombre=ORDINARIA_PERMANENTE["nombre"], defaults=ORDINARIA_PERMANENTE
    )
    comisiones = []
    for datos in (TECNOLOGIAS, GOBIERNO_ABIERTO):
        datos = dict(datos)
        comision, _ = Comision.objects.get_or_create(
            slug=datos.pop("slug"), defaults={**datos, "sistema": sistema, "tipo": tipo}
        )
        comisiones.append(comision)
    tecnologias, gobierno_abierto = comisiones
    for numero, (materia, texto) in enumerate(ATRIBUCIONES, start=1):
        Atribucion.objects.get_or_create(
            comision=gobierno_abierto, numero=numero, defaults={"materia": materia, "texto": texto}
        )
    for numero, texto in enumerate(OBJETIVOS, start=1):
        Objetivo.objects.get_or_create(comision=gobierno_abierto, numero=numero, defaults={"texto": texto})
    gobierno_abierto.colabora_con.add(tecnologias)
    return gobierno_abierto
