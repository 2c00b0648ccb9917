"""The seed convenio, transcribed from ../shared/seeds/000_57b7a6c01270c787.txt (the report of
7 February 2020). Loading is idempotent: it creates what is missing and never overwrites."""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from seguimiento.models import Estatus
from seguimiento.services import registrar_actualizacion

from .models import Compromiso, Convenio, Dependencia, Parte

FECHA_INFORME = datetime.date(2020, 2, 7)
# The seed statuses were known when the report was issued; record them at that moment.
REGISTRADO_EN = datetime.datetime(2020, 2, 7, 12, 0, tzinfo=ZoneInfo("America/Mexico_City"))

DEPENDENCIAS = [
    # (nombre, siglas, pertenece a)
    ("Secretaría de la Función Pública", "SFP", None),
    ("Gobierno del Estado de Tamaulipas", "", None),
    ("Gobernador del Estado", "", "Gobierno del Estado de Tamaulipas"),
    ("Secretaría General de Gobierno", "SGG", "Gobierno del Estado de Tamaulipas"),
    ("Contraloría Gubernamental", "", "Gobierno del Estado de Tamaulipas"),
]

CONVENIO = {
    "slug": "convenio-de-colaboracion-www-datos-gob-mx",
    "nombre": "Convenio de Colaboración WWW.DATOS.GOB.MX.",
    "nota": "Convenio de Colaboración a partir del 03 de mayo del 2017",
    "fecha_inicio": datetime.date(2017, 5, 3),
    "fecha_fin": None,
    "objeto": (
        "Para facilitar el Acceso, Uso, Reutilización y Redistribución de los datos considerados "
        "de carácter público puestos a Disposición de cualquier interesado en el sitio de Internet "
        "WWW.DATOS.GOB.MX."
    ),
    "contacto_unidad": "Dirección de Implementación del Sistema Anticorrupción y Fiscalización",
    "contacto_institucion": "Contraloría Gubernamental del Estado de Tamaulipas",
    "contacto_telefono": "(834) 107 84 31",
    "contacto_extension": "43201",
}

PARTES = [
    # (dependencia, denominación en el convenio, etiqueta en el informe)
    ("Secretaría de la Función Pública", "“LA UNIDAD”", ""),
    ("Gobierno del Estado de Tamaulipas", '"EL GOBIERNO DEL ESTADO"', "GOB- TAM"),
    ("Gobernador del Estado", "", ""),
    ("Secretaría General de Gobierno", "", ""),
    ("Contraloría Gubernamental", "", ""),
]

GOB_TAM = "Gobierno del Estado de Tamaulipas"
# The demo user ``enlace`` speaks for the state government («COMPROMISOS GOB- TAM»).
ENLACE_DEMO = {"dependencia": [GOB_TAM]}
COMPROMISOS = [
    # (responsable — None: todas las partes —, texto)
    (
        GOB_TAM,
        "Determinar los conjuntos de datos, generados en el ejercicio de sus atribuciones, que se "
        "publicarán e integrarán al Catálogo de datos Abiertos contenido en el sitio de internet "
        "www.datos.gob.mx",
    ),
    (
        GOB_TAM,
        "Generar, almacenar, tratar, administrar y actualizar los datos abiertos desde su propia "
        "estructura, conforme a lo que emita “LA UNIDAD” en el ámbito de sus atribuciones.",
    ),
    (
        GOB_TAM,
        "Procurar la calidad y veracidad de los datos abiertos y priorizar su publicación de "
        "conformidad con el Plan Estatal de Desarrollo, la participación ciudadana, las solicitudes "
        "de acceso a la información pública y otros mecanismos de interacción que generen con sus "
        "sectores interesados.",
    ),
    (
        GOB_TAM,
        "Asegurar que sus políticas de manejo de información, tratamiento de datos y seguridad la "
        "información en procesos de modernización y contrataciones que generen datos públicos "
        "atiendan las disposiciones que se emitan en términos del presente convenio y de las "
        "disposiciones de “LA UNIDAD”.",
    ),
    (
        GOB_TAM,
        "Asegurar la Interoperabilidad de su sistema de información con el sitio de internet "
        "www.datos.gob.mx y que la generación de datos abiertos sea bajo estándares abiertos e "
        "interoperables, de manera que los datos cumplan con las características mínimas señaladas "
        "en este Convenio.",
    ),
    (GOB_TAM, "Fomentar y promover el uso de datos abiertos y el sitio de internet www.datos.gob.mx"),
    (
        None,
        'Realizar las consultas que sean necesarias y apropiadas entre "LAS PARTES" y resolverlas '
        "oportunamente.",
    ),
    (
        None,
        "Establecer los canales de enlace y atención para actividades tanto administrativas como técnicas.",
    ),
    (
        None,
        'Intercambiar mejores prácticas para la generación de datos abiertos por parte de "EL '
        'GOBIERNO DEL ESTADO".',
    ),
    (
        None,
        "Sufragar los gastos resultantes de la colaboración estipulada en este Convenio por quien "
        "los lleve a cabo conforme a su disponibilidad presupuestaria, en el entendido de que el uso "
        "del sitio de internet www.datos.gob.mx no está sujeto a remuneración o contraprestación "
        "económica.",
    ),
    (
        None,
        "Reconocer la titularidad de los derechos de propiedad intelectual a favor de quien los genere.",
    ),
]

ESTATUS_INFORME = "en-cumplimiento"


@transaction.atomic
def cargar() -> Convenio:
    dependencias = {}
    for nombre, siglas, padre in DEPENDENCIAS:
        dependencias[nombre], _ = Dependencia.objects.get_or_create(
            nombre=nombre, defaults={"siglas": siglas, "padre": dependencias.get(padre)}
        )

    datos = dict(CONVENIO)
    convenio, _ = Convenio.objects.get_or_create(slug=datos.pop("slug"), defaults=datos)

    partes = {}
    for orden, (nombre, rol, etiqueta) in enumerate(PARTES, start=1):
        partes[nombre], _ = Parte.objects.get_or_create(
            convenio=convenio,
            dependencia=dependencias[nombre],
            defaults={"rol": rol, "etiqueta": etiqueta, "orden": orden},
        )

    estatus = Estatus.objects.get(slug=ESTATUS_INFORME)
    for numero, (responsable, texto) in enumerate(COMPROMISOS, start=1):
        compromiso, _ = Compromiso.objects.get_or_create(
            convenio=convenio,
            numero=numero,
            defaults={"texto": texto, "responsable": partes.get(responsable)},
        )
        if not compromiso.actualizaciones.filter(fecha_efectiva=FECHA_INFORME).exists():
            registrar_actualizacion(
                compromiso,
                estatus=estatus,
                fecha_efectiva=FECHA_INFORME,
                registrado_en=REGISTRADO_EN,
            )
    return convenio
