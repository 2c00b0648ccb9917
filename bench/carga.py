"""Load and scale-out: Locust (headless, as a library) against N `make serve` instances sharing one
PostgreSQL, requests split between them; then the same load with one instance killed halfway.

Run by hand from the project root (loopback only; it creates, and drops first, its own database):

    .venv/bin/python bench/carga.py [--servidores 3] [--usuarios 50] [--segundos 60] [--rapido]

With ``--servidores 3`` (issue 25) each instance has its own empty MEDIA_ROOT, they share one Redis
(``CACHE_URL``, its database emptied first) and one S3-protocol server on loopback (moto's standalone
server, ``ALMACEN_URL=s3://…``; ``--almacen disco`` instead gives them one shared MEDIA_ROOT, the old
layout); every status update then carries an evidence file, downloaded again through another instance
and compared byte for byte; PDFs are issued by POST; the public board (/datos/) is read; and the API
limit is checked across the instances (``API_LIMITE=60/min``, 120 requests spread over them).

Each simulated user logs in once and, with 1-3 s between tasks, mixes: the seed convenio's page, the
commitments page filtered by its own convenio, status updates of its own commitments (the version read
from the form; a 409 is re-read and counted), the report's HTML page, a few PDF downloads and /salud/.
Requests alternate between the two instances; a connection error marks that instance down for 5 s
and the request is retried on the other one (an update whose answer was lost is re-read: if the
version moved by one it was accepted, otherwise it is sent again). After each phase the rows added to
the history are compared with the updates the clients saw accepted. A capacity step (no think time)
measures, on the same two servers, /salud/, the lightest logged-in page (verificar) and the convenio page,
and prints the convenio page's throughput as a share of /salud/'s (the lightest page's as a reference).
"""

# Locust patches the standard library with gevent; it must be imported before anything else.
from locust import HttpUser, between, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import datetime
import hashlib
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import gevent
import psycopg

RAIZ = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
CONVENIO = "convenio-de-colaboracion-www-datos-gob-mx"
CONTRASENA = "carga-no-es-secreta-2025"
COMPROMISOS_POR_USUARIO = 3
CAIDO_POR = 5.0  # seconds an instance is skipped after a connection error
CIERRE = 15.0  # seconds the tasks under way get to finish once the run's time is up
TAREAS = ["convenio", "compromisos", "actualizar", "informe", "pdf", "salud", "tablero"]
PAGINAS = {"convenio", "compromisos", "actualizar (formulario)", "informe", "tablero", "historial"}
PUERTOS = [8111, 8112, 8113, 8114, 8115, 8116, 8117, 8118, 8119]
REDIS_BD = 11
API_LIMITE, API_PETICIONES = "60/min", 120
CUBETA = "carga"

PREPARAR = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from convenios.models import Compromiso, Convenio
grupo = Group.objects.get(name="Capturista")
clave = make_password({CONTRASENA!r})
for i in range(1, __N__ + 1):
    usuario = get_user_model().objects.create(username=f"carga-{{i:02d}}", password=clave)
    usuario.groups.add(grupo)
    convenio = Convenio.objects.create(
        nombre=f"Convenio de carga {{i:02d}}", slug=f"carga-{{i:02d}}",
        fecha_inicio="2020-01-01", objeto="Prueba de carga.")
    for numero in range(1, {COMPROMISOS_POR_USUARIO} + 1):
        Compromiso.objects.create(convenio=convenio, numero=numero, texto=f"Compromiso {{numero}} de carga.")
from api.models import ClaveDeAPI
api = get_user_model().objects.create(username="carga-api", password=clave)
api.groups.add(grupo)
revisor = get_user_model().objects.create(username="carga-revisor", password=clave, is_superuser=True)
with open(__CLAVE__, "w") as archivo:
    archivo.write(ClaveDeAPI.objects.emitir(api)[1])
"""


def puerto_libre(puerto: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", puerto)) != 0


def entorno(bd: str, estaticos: Path, privado: Path, almacen: str = "", cache: str = "") -> dict:
    extra = {"ALMACEN_URL": almacen} if almacen else {}
    if cache:
        extra["CACHE_URL"] = cache
    if almacen.startswith("s3://"):  # moto accepts any key
        extra |= {
            "AWS_ACCESS_KEY_ID": "carga",
            "AWS_SECRET_ACCESS_KEY": "carga",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    return {
        **os.environ,
        "DEBUG": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{bd}",
        "SECRET_KEY": "carga-" + "x" * 50,
        "CLAVE_INTEGRIDAD": "carga-integridad-" + "y" * 40,
        "URL_BASE": "https://seguimiento.example.gob.mx",
        "EMAIL_URL": "smtp://127.0.0.1:2525",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        "STATIC_ROOT": str(estaticos),
        "MEDIA_ROOT": str(privado),
        "LOG_LEVEL": "WARNING",
        "API_LIMITE": API_LIMITE,
        **extra,
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=RAIZ, env=env, check=True, timeout=600)


def preparar(bd: str, env: dict, usuarios: int, clave: Path) -> None:
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conexion:
        conexion.execute(f'DROP DATABASE IF EXISTS "{bd}"')
        conexion.execute(f'CREATE DATABASE "{bd}"')
    manage(env, "check", "--deploy")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "cargar_semilla")
    manage(
        env, "shell", "-c", PREPARAR.replace("__N__", str(usuarios)).replace("__CLAVE__", repr(str(clave)))
    )


def arrancar(puerto: int, env: dict, registro: Path) -> subprocess.Popen:
    """`make serve`'s last line: gunicorn with config/gunicorn.py, in a session of its own."""
    salida = registro.open("ab")
    return subprocess.Popen(
        [GUNICORN, "--config", "config/gunicorn.py"],
        cwd=RAIZ,
        env={**env, "PORT": str(puerto)},
        stdout=salida,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def esperar(puerto: int, limite: float = 60) -> None:
    import requests

    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        try:
            if requests.get(f"http://127.0.0.1:{puerto}/salud/", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"El servidor en 127.0.0.1:{puerto} no respondió en {limite:.0f} s.")


def detener(proceso: subprocess.Popen, senal=signal.SIGTERM) -> None:
    if proceso.poll() is not None:
        return
    os.killpg(proceso.pid, senal)
    try:
        proceso.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proceso.pid, signal.SIGKILL)
        proceso.wait(timeout=15)


def folios_repetidos(bd: str) -> int:
    """Issued reports beyond the first for one person and one content: a re-sent issue must get the
    first folio, never a second one."""
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{bd}") as conexion:
        return conexion.execute(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM reportes_informeemitido "
            "GROUP BY emitido_por_id, sha256_contenido) AS grupos"
        ).fetchone()[0]


def filas_de_historial(bd: str) -> int:
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{bd}") as conexion:
        return conexion.execute("SELECT count(*) FROM convenios_actualizacion").fetchone()[0]


# The simulated users ------------------------------------------------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
SELECT_ESTATUS = re.compile(r'<select name="estatus".*?</select>', re.S)
OPCION = re.compile(r'<option value="([^"]+)"')


class Contadores:
    def __init__(self):
        self.aceptadas = 0
        self.recuperadas = 0  # answer lost with the instance, the re-read version shows it was applied
        self.conflictos = 0
        self.rechazadas = 0
        self.errores_5xx = 0
        self.conexion = 0
        self.conectados = 0
        self.parar = False
        self.evidencias: dict[str, str] = {}  # note of the update → SHA-256 of the file sent with it
        self.leidas = 0  # evidence downloaded through another instance, same bytes
        self.distintas = 0  # downloaded, other bytes
        self.no_leidas = 0  # not found (or no link) through another instance
        self.emitidos = 0
        self.no_emitidos = 0
        self.reenviados = 0  # issues sent again after their answer was lost


class Usuario(HttpUser):
    espera = between(1, 3)
    abstract = True
    servidores: list[str] = []
    numeros = itertools.count(1)
    contadores = Contadores()
    modo = "mezcla"  # or "salud" / "convenio" for the capacity step

    def wait_time(self) -> float:
        """Once the run's time is up no task starts: the ones under way finish before Locust stops
        (stopping them mid-request would leave updates applied that no client counted)."""
        return 3600 if self.contadores.parar else self.espera()

    def on_start(self):
        self.numero = next(self.numeros)
        self.turno = self.numero
        self.caidos: dict[str, float] = {}
        self.pdfs = 0
        respuesta = self.pedir("GET", "/accounts/login/", "login")
        token = CSRF.search(respuesta.text).group(1)
        respuesta = self.pedir(
            "POST",
            "/accounts/login/",
            "login",
            data={
                "username": f"carga-{self.numero:02d}",
                "password": CONTRASENA,
                "csrfmiddlewaretoken": token,
            },
            allow_redirects=False,
        )
        if respuesta.status_code != 302:
            raise RuntimeError(f"carga-{self.numero:02d} no pudo entrar: {respuesta.status_code}")
        self.contadores.conectados += 1

    def pedir(self, metodo: str, ruta: str, nombre: str, evitar: str = "", **kwargs):
        """Round robin over the instances; a connection error skips that one for a while and retries.
        ``evitar``: an instance not to use while another one is up (read through another server)."""
        respuesta = None
        for _ in range(len(self.servidores)):
            self.turno += 1
            servidor = self.servidores[self.turno % len(self.servidores)]
            if self.caidos.get(servidor, 0) > time.monotonic() or servidor == evitar:
                continue
            self.ultimo = servidor
            respuesta = self.client.request(metodo, servidor + ruta, name=nombre, **kwargs)
            if respuesta.status_code >= 500:
                self.contadores.errores_5xx += 1
            if respuesta.status_code != 0:
                return respuesta
            self.contadores.conexion += 1
            if metodo == "POST" and "Errno 111" not in str(respuesta.error):
                # The request may have reached the server before it died: not sent again blindly,
                # the caller re-reads (an update checks whether the version moved by one).
                self.caidos[servidor] = time.monotonic() + CAIDO_POR
                return respuesta
            self.caidos[servidor] = time.monotonic() + CAIDO_POR
        if respuesta is None:  # every instance marked down (or avoided): try them again now
            self.caidos.clear()
            return self.pedir(metodo, ruta, nombre, **kwargs)
        return respuesta

    @task(4)
    def convenio(self):
        if self.modo in ("mezcla", "convenio"):
            self.pedir("GET", f"/convenios/{CONVENIO}/", "convenio")
        elif self.modo == "pagina base":  # the lightest logged-in page: base template and menu only
            self.pedir("GET", "/reportes/verificar/", "pagina base")
        else:
            self.salud()

    @task(3)
    def compromisos(self):
        if self.modo == "mezcla":
            self.pedir("GET", f"/convenios/compromisos/?convenio=carga-{self.numero:02d}", "compromisos")
        else:
            self.convenio()

    @task(3)
    def actualizar(self):
        if self.modo != "mezcla":
            return self.convenio()
        self.envios = getattr(self, "envios", 0) + 1
        pk = (
            self.primer_compromiso
            + (self.numero - 1) * COMPROMISOS_POR_USUARIO
            + self.envios % COMPROMISOS_POR_USUARIO
        )
        ruta = f"/convenios/compromiso/{pk}/actualizar/"
        formulario = self.pedir("GET", ruta, "actualizar (formulario)")
        nota = f"Carga: usuario {self.numero}, envío {self.envios} ({os.urandom(4).hex()})."
        archivo = b"%PDF-1.4\n%" + os.urandom(2048).hex().encode() + b"\n%%EOF\n" if self.evidencia else b""
        for _ in range(3):
            version = int(VERSION.search(formulario.text).group(1))
            datos = {
                "csrfmiddlewaretoken": CSRF.search(formulario.text).group(1),
                "estatus": OPCION.findall(SELECT_ESTATUS.search(formulario.text).group(0))[-1],
                "fecha": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
                "nota": nota,
                "version": str(version),
            }
            archivos = {"evidencia": ("evidencia.pdf", archivo, "application/pdf")} if archivo else None
            respuesta = self.pedir(
                "POST", ruta, "actualizar (envío)", data=datos, files=archivos, allow_redirects=False
            )
            if respuesta.status_code == 302:
                self.contadores.aceptadas += 1
                if archivo:
                    self.contadores.evidencias[nota] = hashlib.sha256(archivo).hexdigest()
                    self.leer_evidencia(pk, nota, archivo, evitar=self.ultimo)
                return
            if respuesta.status_code == 409:
                self.contadores.conflictos += 1
                formulario = respuesta
                continue
            if respuesta.status_code == 0:  # every instance failed; the answer may be lost
                formulario = self.pedir("GET", ruta, "actualizar (formulario)")
                if int(VERSION.search(formulario.text).group(1)) == version + 1:
                    self.contadores.recuperadas += 1
                    if archivo:
                        self.contadores.evidencias[nota] = hashlib.sha256(archivo).hexdigest()
                    return
                continue
            self.contadores.rechazadas += 1
            return

    def leer_evidencia(self, pk: int, nota: str, archivo: bytes, evitar: str) -> None:
        """The history page and the file, through another instance than the one that took the upload."""
        historial = self.pedir("GET", f"/convenios/compromiso/{pk}/historial/", "historial", evitar=evitar)
        enlace = re.search(re.escape(nota) + r'.*?<a href="([^"]+)">Descargar archivo', historial.text, re.S)
        if not enlace:
            self.contadores.no_leidas += 1
            return
        # Through another instance than the upload's too (the load balancer's failover if it dies).
        descarga = self.pedir("GET", enlace.group(1), "evidencia (otro servidor)", evitar=evitar)
        if descarga.status_code != 200:
            self.contadores.no_leidas += 1
        elif descarga.content != archivo:
            self.contadores.distintas += 1
        else:
            self.contadores.leidas += 1

    @task(2)
    def informe(self):
        if self.modo == "mezcla":
            self.pedir("GET", f"/reportes/informe/{CONVENIO}/?fecha=2020-02-07", "informe")
        else:
            self.convenio()

    @task(1)
    def pdf(self):
        if self.modo == "mezcla" and self.pdfs < 2:
            self.pdfs += 1
            ruta = f"/reportes/informe/{CONVENIO}/pdf/"
            formulario = self.pedir("GET", ruta + "?fecha=2020-02-07", "pdf (formulario)")
            datos = {"csrfmiddlewaretoken": CSRF.search(formulario.text).group(1), "fecha": "2020-02-07"}
            respuesta = self.pedir("POST", ruta, "pdf (emitir)", data=datos)
            if respuesta.status_code == 0:
                # The answer was lost with a dying instance. Issuing is idempotent (the same person and
                # the same content get the first folio), so the POST is sent again, to another one.
                self.contadores.reenviados += 1
                respuesta = self.pedir("POST", ruta, "pdf (emitir)", data=datos)
            if respuesta.status_code == 200 and (respuesta.content or b"").startswith(b"%PDF-"):
                self.contadores.emitidos += 1
            else:
                self.contadores.no_emitidos += 1
        else:
            self.salud()

    @task(2)
    def tablero(self):
        if self.modo == "mezcla" and self.tablero_publico:
            self.pedir("GET", "/datos/", "tablero")
            self.pedir("GET", f"/datos/convenios/{CONVENIO}/", "tablero")
        else:
            self.salud()

    @task(3)
    def salud(self):
        if self.modo in ("mezcla", "salud"):
            self.pedir("GET", "/salud/", "salud")
        else:
            self.convenio()


def correr(
    usuarios: int, segundos: float, servidores: list[str], modo: str, primer: int, caida=None, completo=False
):
    """One headless Locust run; ``caida`` (seconds, callable) kills an instance at that point."""
    clase = type(
        "UsuarioCarga",
        (Usuario,),
        {
            "abstract": False,
            "host": servidores[0],
            "servidores": servidores,
            "numeros": itertools.count(1),
            "contadores": Contadores(),
            "modo": modo,
            "primer_compromiso": primer,
            "evidencia": completo,
            "tablero_publico": completo,
            "espera": between(1, 3) if modo == "mezcla" else between(0, 0),
        },
    )
    env = Environment(user_classes=[clase])
    runner = env.create_local_runner()
    runner.start(usuarios, spawn_rate=max(usuarios / 5, 1))
    # The clock starts once every user has logged in: 50 password hashes at once (PBKDF2, ~0.4 s of
    # CPU each) would otherwise fill the first seconds of a 2-core machine.
    inicio = time.monotonic()
    while clase.contadores.conectados < usuarios and time.monotonic() - inicio < 120:
        gevent.sleep(0.2)
    print(f"  {clase.contadores.conectados} usuarios dentro en {time.monotonic() - inicio:.1f} s")
    env.stats.reset_all()  # latencies from here; updates (and history rows) over the whole run
    if caida:
        gevent.spawn_later(caida[0], caida[1])

    def terminar():
        clase.contadores.parar = True
        gevent.sleep(CIERRE)
        runner.quit()

    gevent.spawn_later(segundos, terminar)
    runner.greenlet.join(timeout=segundos + CIERRE + 120)
    return env.stats, clase.contadores, segundos


def tabla(titulo: str, stats, contadores: Contadores, segundos: float, antes: int, despues: int) -> dict:
    carga = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{titulo} (carga media de la máquina al terminar: {carga}; CPU: {os.cpu_count()})")
    print(f"{'tipo':<26}{'peticiones':>11}{'fallas':>8}{'p50 ms':>8}{'p95 ms':>8}{'por s':>8}")
    filas = {}
    for (nombre, metodo), e in sorted(stats.entries.items()):
        filas[nombre] = e
        nombre = f"{nombre} ({metodo})" if nombre == "login" else nombre
        p50, p95 = e.get_response_time_percentile(0.5), e.get_response_time_percentile(0.95)
        print(
            f"{nombre:<26}{e.num_requests:>11}{e.num_failures:>8}{p50:>8.0f}{p95:>8.0f}"
            f"{e.num_requests / segundos:>8.1f}"
        )
    t = stats.total
    print(f"{'total':<26}{t.num_requests:>11}{t.num_failures:>8}")
    for _razon, error in stats.errors.items():
        print(f"  falla: {error.occurrences} × {error.method} {error.name}: {error.error}"[:160])
    aceptadas = contadores.aceptadas + contadores.recuperadas
    print(
        f"actualizaciones aceptadas {aceptadas} (de ellas recuperadas tras perder la respuesta "
        f"{contadores.recuperadas}), 409 releídos {contadores.conflictos}, "
        f"rechazadas {contadores.rechazadas}; "
        f"filas nuevas en el historial {despues - antes} → "
        + ("ninguna perdida" if despues - antes == aceptadas else "¡NO COINCIDEN!")
    )
    print(
        f"respuestas 5xx: {contadores.errores_5xx}; errores de conexión (reintentados): {contadores.conexion}"
    )
    if contadores.evidencias or contadores.emitidos or contadores.no_emitidos:
        print(
            f"evidencias subidas {len(contadores.evidencias)}; leídas por otro servidor con los mismos "
            f"bytes {contadores.leidas}, con otros bytes {contadores.distintas}, "
            f"no encontradas {contadores.no_leidas}; "
            f"PDF emitidos por POST {contadores.emitidos}, no emitidos {contadores.no_emitidos} "
            f"(reenviados tras perder la respuesta {contadores.reenviados})"
        )
    lentas = [n for n, e in filas.items() if n in PAGINAS and e.get_response_time_percentile(0.95) >= 500]
    print("p95 de páginas < 500 ms: " + ("sí" if not lentas else "no (" + ", ".join(lentas) + ")"))
    return filas


def arrancar_s3(puerto: int, registro: Path) -> subprocess.Popen:
    """moto's standalone S3 server on loopback, in a session of its own; the bucket created empty."""
    import boto3

    proceso = subprocess.Popen(
        [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(puerto)],
        stdout=registro.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    fin = time.monotonic() + 30
    while puerto_libre(puerto):
        if time.monotonic() > fin or proceso.poll() is not None:
            raise SystemExit(f"El servidor S3 (moto) no arrancó en 127.0.0.1:{puerto}.")
        time.sleep(0.3)
    s3 = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{puerto}",
        region_name="us-east-1",
        aws_access_key_id="carga",
        aws_secret_access_key="carga",
    )
    s3.create_bucket(Bucket=CUBETA)
    return proceso


def objetos_s3(puerto: int) -> int:
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{puerto}",
        region_name="us-east-1",
        aws_access_key_id="carga",
        aws_secret_access_key="carga",
    )
    return sum(
        len(pagina.get("Contents", []))
        for pagina in s3.get_paginator("list_objects_v2").paginate(Bucket=CUBETA)
    )


def limite_de_api(servidores: list[str], clave: str) -> tuple[int, int, int]:
    """API_PETICIONES GETs with one key, spread round robin over the instances in well under a minute:
    (accepted, 429, other)."""
    import requests

    cuenta = {200: 0, 429: 0}
    otras = 0
    for i in range(API_PETICIONES):
        respuesta = requests.get(
            servidores[i % len(servidores)] + "/api/v1/estatus/",
            headers={"Authorization": f"Token {clave}"},
            timeout=10,
        )
        if respuesta.status_code in cuenta:
            cuenta[respuesta.status_code] += 1
        else:
            otras += 1
    return cuenta[200], cuenta[429], otras


def sesion(servidor: str, usuario: str):
    import requests

    s = requests.Session()
    token = CSRF.search(s.get(servidor + "/accounts/login/", timeout=10).text).group(1)
    datos = {"username": usuario, "password": CONTRASENA, "csrfmiddlewaretoken": token}
    respuesta = s.post(servidor + "/accounts/login/", data=datos, allow_redirects=False, timeout=10)
    if respuesta.status_code != 302:
        raise SystemExit(f"{usuario} no pudo entrar en {servidor}: {respuesta.status_code}")
    return s


def evidencias_en_cada_servidor(bd: str, servidores: list[str], evidencias: dict[str, str]) -> dict:
    """Every evidence the clients saw accepted, downloaded through every live instance and compared."""
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{bd}") as conexion:
        filas = conexion.execute(
            "SELECT id, nota FROM convenios_actualizacion WHERE evidencia <> '' AND nota LIKE 'Carga: %%'"
        ).fetchall()
    resultado = {"en la base": len(filas), "sin fila": len(set(evidencias) - {n for _, n in filas})}
    for servidor in servidores:
        s = sesion(servidor, "carga-revisor")
        iguales = distintas = faltan = 0
        for pk, nota in filas:
            respuesta = s.get(f"{servidor}/convenios/evidencia/{pk}/", timeout=30)
            if respuesta.status_code != 200:
                faltan += 1
            elif hashlib.sha256(respuesta.content).hexdigest() != evidencias.get(nota):
                distintas += 1
            else:
                iguales += 1
        resultado[servidor] = (iguales, distintas, faltan)
    return resultado


def p95_paginas(filas: dict) -> float:
    return max((e.get_response_time_percentile(0.95) for n, e in filas.items() if n in PAGINAS), default=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servidores", type=int, default=3, choices=range(2, 10), metavar="2-9")
    parser.add_argument("--usuarios", type=int, default=50)
    parser.add_argument("--segundos", type=float, default=60)
    parser.add_argument("--rapido", action="store_true", help="10 usuarios × 15 s (prueba de humo)")
    parser.add_argument("--bd", default="wt_carga")
    parser.add_argument(
        "--almacen",
        choices=["s3", "disco"],
        help="s3: un servidor S3 (moto) en loopback y un MEDIA_ROOT vacío por instancia; disco: un "
        "MEDIA_ROOT compartido (el esquema anterior). Por omisión s3 con 3 o más servidores, disco con 2.",
    )
    parser.add_argument("--redis-bd", type=int, default=REDIS_BD, help="base de Redis (se vacía al empezar)")
    parser.add_argument("--sin-capacidad", action="store_true", help="omite el paso de capacidad")
    args = parser.parse_args()
    if args.rapido:
        args.usuarios, args.segundos = 10, 15
    if args.usuarios > 200:
        raise SystemExit("Como mucho 200 usuarios.")
    almacen = args.almacen or ("s3" if args.servidores >= 3 else "disco")
    completo = args.servidores >= 3  # issue 25's mix: evidence read across servers, board, API limit
    puertos = PUERTOS[: args.servidores]
    for puerto in puertos:
        if not puerto_libre(puerto):
            raise SystemExit(f"El puerto 127.0.0.1:{puerto} está ocupado.")
    servidores = [f"http://127.0.0.1:{p}" for p in puertos]
    registros = RAIZ / "bench" / "resultados"
    registros.mkdir(exist_ok=True)
    for p in puertos:
        (registros / f"carga-{p}.log").unlink(missing_ok=True)
    resumen: dict = {}

    import redis

    cache = f"redis://127.0.0.1:6379/{args.redis_bd}"
    redis.Redis.from_url(cache).flushdb()

    with tempfile.TemporaryDirectory(prefix="carga-") as tmp:
        tmp = Path(tmp)
        procesos: list[subprocess.Popen] = []
        moto = None
        try:
            url_almacen = ""
            if almacen == "s3":
                with socket.socket() as s:
                    s.bind(("127.0.0.1", 0))
                    puerto_s3 = s.getsockname()[1]
                moto = arrancar_s3(puerto_s3, registros / "carga-s3.log")
                url_almacen = f"s3://{CUBETA}/carga?endpoint=http://127.0.0.1:{puerto_s3}&region=us-east-1"

            def env_de(p: int) -> dict:
                privado = tmp / (f"privado-{p}" if almacen == "s3" else "privado")
                privado.mkdir(exist_ok=True)
                return entorno(args.bd, tmp / "staticfiles", privado, url_almacen, cache)

            clave = tmp / "clave-api"
            print(
                f"Preparando {args.bd}: semilla, {args.usuarios} capturistas "
                f"con {COMPROMISOS_POR_USUARIO} compromisos cada uno…"
            )
            preparar(args.bd, env_de(puertos[0]), args.usuarios, clave)
            with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{args.bd}") as conexion:
                primer = conexion.execute(
                    "SELECT min(c.id) FROM convenios_compromiso c "
                    "JOIN convenios_convenio v ON v.id = c.convenio_id "
                    "WHERE v.slug = 'carga-01'"
                ).fetchone()[0]
            # User n (1..N) updates only the commitments of convenio carga-n: ids primer + (n-1)*3 + k.
            procesos = [arrancar(p, env_de(p), registros / f"carga-{p}.log") for p in puertos]
            for p in puertos:
                esperar(p)
            print(
                f"{args.servidores} instancias de gunicorn (WEB_CONCURRENCY=2) en {', '.join(servidores)}; "
                f"CPU: {os.cpu_count()}; CACHE_URL={cache}; "
                + (
                    f"ALMACEN_URL={url_almacen}, un MEDIA_ROOT vacío por instancia"
                    if almacen == "s3"
                    else "archivos en un MEDIA_ROOT COMPARTIDO (disco local, sin S3)"
                )
            )

            antes = filas_de_historial(args.bd)
            stats, contadores1, s = correr(
                args.usuarios, args.segundos, servidores, "mezcla", primer, completo=completo
            )
            despues = filas_de_historial(args.bd)
            filas1 = tabla(
                f"== Fase 1: {args.usuarios} usuarios × {s:.0f} s, {args.servidores} instancias ==",
                stats,
                contadores1,
                s,
                antes,
                despues,
            )
            resumen["fase 1"] = (contadores1, despues - antes, p95_paginas(filas1))

            if completo:
                aceptadas, rechazadas, otras = limite_de_api(servidores, clave.read_text().strip())
                resumen["api"] = aceptadas
                print(
                    f"\nlímite de la API ({API_LIMITE}, una clave, {API_PETICIONES} peticiones repartidas "
                    f"en {args.servidores} servidores): {aceptadas} aceptadas, {rechazadas} con 429, "
                    f"{otras} otras"
                )

            if not args.sin_capacidad:
                capacidad = max(args.segundos / 6, 5)
                rps = {}
                for modo in ("salud", "pagina base", "convenio"):
                    stats_c, _, _ = correr(args.usuarios, capacidad, servidores, modo, primer)
                    e = stats_c.entries[(modo, "GET")]
                    rps[modo] = e.num_requests / capacidad
                    print(
                        f"capacidad sin pausas, solo {modo}: {rps[modo]:.1f} por s, "
                        f"p50 {e.get_response_time_percentile(0.5):.0f} ms, "
                        f"p95 {e.get_response_time_percentile(0.95):.0f} ms, "
                        f"fallas {e.num_failures}"
                    )
                razon = rps["convenio"] / rps["pagina base"]
                print(f"rendimiento de la página de convenio / el de verificar: {razon:.0%} (meta ≥ 50 %)")
                print(
                    "referencia: la página con sesión más ligera (verificar: plantilla base y menú) / "
                    f"/salud/: {rps['pagina base'] / rps['salud']:.0%}"
                )

            def tumbar():
                print(f"\n… matando la instancia {servidores[1]} (SIGKILL a gunicorn y sus workers)")
                detener(procesos[1], signal.SIGKILL)

            antes = filas_de_historial(args.bd)
            stats, contadores2, s = correr(
                args.usuarios,
                args.segundos,
                servidores,
                "mezcla",
                primer,
                caida=(args.segundos / 2, tumbar),
                completo=completo,
            )
            despues = filas_de_historial(args.bd)
            filas2 = tabla(
                f"== Fase 2: {args.usuarios} usuarios × {s:.0f} s, "
                f"{servidores[1]} muere a los {s / 2:.0f} s ==",
                stats,
                contadores2,
                s,
                antes,
                despues,
            )
            resumen["fase 2"] = (contadores2, despues - antes, p95_paginas(filas2))
            servidor_5xx = sum(
                len(
                    re.findall(r'"status": 5\d\d', (registros / f"carga-{p}.log").read_text(errors="replace"))
                )
                for p in puertos
            )
            print(f"líneas 5xx en el registro de los servidores (ambas fases): {servidor_5xx}")
            resumen["5xx registro"] = servidor_5xx

            if completo:
                vivos = [x for x, proceso in zip(servidores, procesos, strict=True) if proceso.poll() is None]
                evidencias = contadores1.evidencias | contadores2.evidencias
                leidas = evidencias_en_cada_servidor(args.bd, vivos, evidencias)
                print(
                    f"\nevidencias aceptadas: {len(evidencias)}; filas con evidencia en la base: "
                    f"{leidas['en la base']}; aceptadas sin fila: {leidas['sin fila']}"
                )
                for x in vivos:
                    iguales, distintas, faltan = leidas[x]
                    print(
                        f"  desde {x}: {iguales} con los mismos bytes, {distintas} con otros, "
                        f"{faltan} no leídas"
                    )
                resumen["evidencias"] = leidas
                if moto:
                    print(f"objetos en la cubeta S3: {objetos_s3(puerto_s3)}")
                metas(resumen, args, almacen, vivos)
        finally:
            for proceso in procesos:
                detener(proceso)
            if moto:
                detener(moto)


def metas(resumen: dict, args, almacen: str, vivos: list[str]) -> None:
    """Issue 25's targets against what was measured."""
    c1, h1, p1 = resumen["fase 1"]
    c2, h2, p2 = resumen["fase 2"]
    perdidas = abs(c1.aceptadas + c1.recuperadas - h1) + abs(c2.aceptadas + c2.recuperadas - h2)
    ev = resumen["evidencias"]
    en_carga = c1.distintas + c2.distintas + c1.no_leidas + c2.no_leidas
    despues = sum(ev[x][1] + ev[x][2] for x in vivos)
    filas = [
        (
            "respuestas 5xx (clientes / registro)",
            "0",
            f"{c1.errores_5xx + c2.errores_5xx} / {resumen['5xx registro']}",
        ),
        ("actualizaciones perdidas (aceptadas − filas)", "0", f"{perdidas}"),
        (
            "evidencias no legibles o con otros bytes",
            "0",
            f"{en_carga} en carga (de {c1.leidas + c2.leidas + en_carga}); {despues} al final "
            f"(de {ev['en la base']} × {len(vivos)} servidores vivos)",
        ),
        (f"límite de la API {API_LIMITE}, {API_PETICIONES} peticiones", "60 aceptadas", f"{resumen['api']}"),
        ("p95 de páginas, fase 1 / fase 2", "< 500 ms", f"{p1:.0f} / {p2:.0f} ms"),
        (
            "PDF no emitidos / folios repetidos",
            "0 / 0",
            f"{c1.no_emitidos + c2.no_emitidos} / {folios_repetidos(args.bd)} "
            f"({c1.emitidos + c2.emitidos} emitidos, {c1.reenviados + c2.reenviados} reenviados)",
        ),
    ]
    print(
        f"\n== Metas del issue 25 ({args.servidores} servidores, {args.usuarios} usuarios, "
        f"almacén {almacen}) =="
    )
    print(f"{'meta':<48}{'objetivo':>14}  medido")
    for nombre, objetivo, medido in filas:
        print(f"{nombre:<48}{objetivo:>14}  {medido}")


if __name__ == "__main__":
    main()
