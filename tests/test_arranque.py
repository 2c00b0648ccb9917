"""Several servers started together: each one's `make serve` runs `migrate` on the same database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from seguimiento.corrida_unica import clave

RAIZ = Path(__file__).resolve().parents[1]
SERVIDORES = 3


@pytest.fixture
def base_nueva(db):
    """A new, empty PostgreSQL database on the test server; its URL. Dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("varios servidores comparten un PostgreSQL")
    datos = connection.settings_dict
    servidor = f"postgresql://{datos['USER']}@{datos['HOST'] or '127.0.0.1'}:{datos['PORT'] or 5432}"
    nombre = f"arranque_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{servidor}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{nombre}"')
    yield f"{servidor}/{nombre}"
    with psycopg.connect(f"{servidor}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE)')


@pytest.mark.postgres
def test_servers_migrating_one_new_database_at_once_all_start_and_apply_each_migration_once(base_nueva):
    """The test holds the lock, so every server's `migrate` is waiting for it at the same moment;
    released, they run one after another and the later ones find nothing left to apply. (Django's
    own `migrate`, three at once on a new database: two of three failed, «relation already exists».)"""
    entorno = {
        **os.environ,
        "DATABASE_URL": base_nueva,
        "SECRET_KEY": "arranque-no-es-secreta",
        "CLAVE_INTEGRIDAD": "arranque-otra-clave",
    }
    entorno.pop("DEBUG", None)
    numero = clave("migrate")
    with psycopg.connect(base_nueva, autocommit=True) as testigo:
        testigo.execute("SELECT pg_advisory_lock(%s)", [numero])
        servidores = [
            subprocess.Popen(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                cwd=RAIZ,
                env=entorno,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for _ in range(SERVIDORES)
        ]
        esperando = 0
        for _ in range(600):  # until every server waits on the lock (each needs a second to start)
            (esperando,) = testigo.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND objid::bigint = %s AND database = (SELECT oid FROM pg_database "
                "WHERE datname = current_database())",
                [numero],
            ).fetchone()
            if esperando == SERVIDORES or any(s.poll() is not None for s in servidores):
                break
            time.sleep(0.1)
        assert esperando == SERVIDORES, [s.poll() for s in servidores]
        (tablas,) = testigo.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        assert tablas == 0  # nobody migrated while the lock was held
        testigo.execute("SELECT pg_advisory_unlock(%s)", [numero])
        salidas = [s.communicate(timeout=300)[0].decode(errors="replace") for s in servidores]
        assert [s.returncode for s in servidores] == [0] * SERVIDORES, salidas
        aplicadas, distintas = testigo.execute(
            "SELECT count(*), count(DISTINCT (app, name)) FROM django_migrations"
        ).fetchone()
    en_disco = len(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    assert aplicadas == distintas == en_disco
