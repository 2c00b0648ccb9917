"""Load and scale-out: Locust (headless, as a library) against two `make serve` instances sharing one
PostgreSQL, requests split between them; then the same load with one instance killed halfway.

Run by hand from the project root (loopback only; it creates, and drops first, its own database):

    .venv/bin/python bench/carga.py [--usuarios 50] [--segundos 60] [--rapido] [--bd wt_carga]

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
TAREAS = ["convenio", "compromisos", "actualizar", "informe", "pdf", "salud"]
PAGINAS = {"convenio", "compromisos", "actualizar (formulario)", "informe"}

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
"""


def puerto_libre(puerto: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", puerto)) != 0


def entorno(bd: str, estaticos: Path, privado: Path) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{bd}",
        "SECRET_KEY": "carga-" + "x" * 50,
        "EMAIL_URL": "smtp://127.0.0.1:2525",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        "STATIC_ROOT": str(estaticos),
        "MEDIA_ROOT": str(privado),
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=RAIZ, env=env, check=True, timeout=600)


def preparar(bd: str, env: dict, usuarios: int) -> None:
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conexion:
        conexion.execute(f'DROP DATABASE IF EXISTS "{bd}"')
        conexion.execute(f'CREATE DATABASE "{bd}"')
    manage(env, "check", "--deploy")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "cargar_semilla")
    manage(env, "shell", "-c", PREPARAR.replace("__N__", str(usuarios)))


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


class Usuario(HttpUser):
    wait_time = between(1, 3)
    abstract = True
    servidores: list[str] = []
    numeros = itertools.count(1)
    contadores = Contadores()
    modo = "mezcla"  # or "salud" / "convenio" for the capacity step

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

    def pedir(self, metodo: str, ruta: str, nombre: str, **kwargs):
        """Round robin over the instances; a connection error skips that one for a while and retries."""
        respuesta = None
        for _ in range(len(self.servidores)):
            self.turno += 1
            servidor = self.servidores[self.turno % len(self.servidores)]
            if self.caidos.get(servidor, 0) > time.monotonic():
                continue
            respuesta = self.client.request(metodo, servidor + ruta, name=nombre, **kwargs)
            if respuesta.status_code >= 500:
                self.contadores.errores_5xx += 1
            if respuesta.status_code != 0:
                return respuesta
            self.contadores.conexion += 1
            self.caidos[servidor] = time.monotonic() + CAIDO_POR
        if respuesta is None:  # every instance marked down: try them again now
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
        for _ in range(3):
            version = int(VERSION.search(formulario.text).group(1))
            datos = {
                "csrfmiddlewaretoken": CSRF.search(formulario.text).group(1),
                "estatus": OPCION.findall(SELECT_ESTATUS.search(formulario.text).group(0))[-1],
                "fecha": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
                "nota": f"Carga: usuario {self.numero}.",
                "version": str(version),
            }
            respuesta = self.pedir("POST", ruta, "actualizar (envío)", data=datos, allow_redirects=False)
            if respuesta.status_code == 302:
                self.contadores.aceptadas += 1
                return
            if respuesta.status_code == 409:
                self.contadores.conflictos += 1
                formulario = respuesta
                continue
            if respuesta.status_code == 0:  # every instance failed; the answer may be lost
                formulario = self.pedir("GET", ruta, "actualizar (formulario)")
                if int(VERSION.search(formulario.text).group(1)) == version + 1:
                    self.contadores.recuperadas += 1
                    return
                continue
            self.contadores.rechazadas += 1
            return

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
            self.pedir("GET", f"/reportes/informe/{CONVENIO}/pdf/?fecha=2020-02-07", "pdf")
        else:
            self.salud()

    @task(3)
    def salud(self):
        if self.modo in ("mezcla", "salud"):
            self.pedir("GET", "/salud/", "salud")
        else:
            self.convenio()


def correr(usuarios: int, segundos: float, servidores: list[str], modo: str, primer: int, caida=None):
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
            "wait_time": between(1, 3) if modo == "mezcla" else between(0, 0),
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
    gevent.spawn_later(segundos, runner.quit)
    runner.greenlet.join(timeout=segundos + 120)
    return env.stats, clase.contadores, segundos


def tabla(titulo: str, stats, contadores: Contadores, segundos: float, antes: int, despues: int) -> dict:
    print(f"\n{titulo}")
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
    lentas = [n for n, e in filas.items() if n in PAGINAS and e.get_response_time_percentile(0.95) >= 500]
    print("p95 de páginas < 500 ms: " + ("sí" if not lentas else "no (" + ", ".join(lentas) + ")"))
    return filas


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--usuarios", type=int, default=50)
    parser.add_argument("--segundos", type=float, default=60)
    parser.add_argument("--rapido", action="store_true", help="10 usuarios × 15 s (prueba de humo)")
    parser.add_argument("--bd", default="wt_carga")
    parser.add_argument("--puertos", type=int, nargs=2, default=[8101, 8102])
    args = parser.parse_args()
    if args.rapido:
        args.usuarios, args.segundos = 10, 15
    if args.usuarios > 99:
        raise SystemExit("Como mucho 99 usuarios.")
    for puerto in args.puertos:
        if not puerto_libre(puerto):
            raise SystemExit(f"El puerto 127.0.0.1:{puerto} está ocupado.")
    servidores = [f"http://127.0.0.1:{p}" for p in args.puertos]

    with tempfile.TemporaryDirectory(prefix="carga-") as tmp:
        tmp = Path(tmp)
        env = entorno(args.bd, tmp / "staticfiles", tmp / "privado")
        print(
            f"Preparando {args.bd}: semilla, {args.usuarios} capturistas "
            f"con {COMPROMISOS_POR_USUARIO} compromisos cada uno…"
        )
        preparar(args.bd, env, args.usuarios)
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{args.bd}") as conexion:
            primer = conexion.execute(
                "SELECT min(c.id) FROM convenios_compromiso c "
                "JOIN convenios_convenio v ON v.id = c.convenio_id "
                "WHERE v.slug = 'carga-01'"
            ).fetchone()[0]
        # User n (1..N) updates only the commitments of convenio carga-n: ids primer + (n-1)*3 + k.
        registros = RAIZ / "bench" / "resultados"
        registros.mkdir(exist_ok=True)
        for p in args.puertos:
            (registros / f"carga-{p}.log").unlink(missing_ok=True)
        procesos = []
        try:
            procesos = [arrancar(p, env, registros / f"carga-{p}.log") for p in args.puertos]
            for p in args.puertos:
                esperar(p)
            print(
                f"Dos instancias de gunicorn (WEB_CONCURRENCY=2) en {', '.join(servidores)}; "
                f"CPU: {os.cpu_count()}."
            )

            antes = filas_de_historial(args.bd)
            stats, contadores, s = correr(args.usuarios, args.segundos, servidores, "mezcla", primer)
            despues = filas_de_historial(args.bd)
            tabla(
                f"== Fase 1: {args.usuarios} usuarios × {s:.0f} s, dos instancias ==",
                stats,
                contadores,
                s,
                antes,
                despues,
            )

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
                "referencia: la página con sesión más ligera (verificar: plantilla base y menú) / /salud/: "
                f"{rps['pagina base'] / rps['salud']:.0%}"
            )

            def tumbar():
                print(f"\n… matando la instancia {servidores[1]} (SIGKILL a gunicorn y sus workers)")
                detener(procesos[1], signal.SIGKILL)

            antes = filas_de_historial(args.bd)
            stats, contadores, s = correr(
                args.usuarios, args.segundos, servidores, "mezcla", primer, caida=(args.segundos / 2, tumbar)
            )
            despues = filas_de_historial(args.bd)
            tabla(
                f"== Fase 2: {args.usuarios} usuarios × {s:.0f} s, "
                f"{servidores[1]} muere a los {s / 2:.0f} s ==",
                stats,
                contadores,
                s,
                antes,
                despues,
            )
            servidor_5xx = sum(
                len(
                    re.findall(r'"status": 5\d\d', (registros / f"carga-{p}.log").read_text(errors="replace"))
                )
                for p in args.puertos
            )
            print(f"líneas 5xx en el registro de los servidores (ambas fases): {servidor_5xx}")
        finally:
            for proceso in procesos:
                detener(proceso)


if __name__ == "__main__":
    main()
