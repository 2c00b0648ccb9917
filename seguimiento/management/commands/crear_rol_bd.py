"""The PostgreSQL role the application runs as: it reads and appends history but cannot rewrite it.

The owner of the tables (who runs ``migrate``) can always switch triggers off; a superuser can do
anything. So the application connects as another role, which this command creates or brings up to
date: ordinary tables are read and written, history tables are only read and appended, and nothing
is owned, so ``TRUNCATE``, ``ALTER TABLE … DISABLE TRIGGER`` and ``session_replication_role`` are
out of its reach.
"""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

from seguimiento.models import modelos_de_solo_anexion

NOMBRE_VALIDO = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
RESERVADOS = {"postgres", "public", "none", "current_user", "session_user"}
ORDINARIA = "SELECT, INSERT, UPDATE, DELETE"
HISTORIAL = "SELECT, INSERT"


def tablas_de_solo_anexion() -> set[str]:
    """Read and appended, never rewritten: both histories, the proposals and their decisions, and
    Django's admin log (the record of who edited what in the admin; a user with entries there is
    deactivated, not deleted)."""
    return {m._meta.db_table for m in modelos_de_solo_anexion()} | {"django_admin_log"}


def sentencias(nombre: str, base: str, tablas: list[str]) -> list[str]:
    """The SQL, idempotent: running it again after a ``migrate`` grants on the new tables."""
    rol = f'"{nombre}"'
    historial = tablas_de_solo_anexion()
    sql = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{nombre}') "
        f"THEN CREATE ROLE {rol} LOGIN; END IF; END $$;",
        f"ALTER ROLE {rol} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;",
        f'GRANT CONNECT ON DATABASE "{base}" TO {rol};',
        f"GRANT USAGE ON SCHEMA public TO {rol};",
    ]
    for tabla in tablas:
        sql.append(f'REVOKE ALL ON TABLE "{tabla}" FROM {rol};')
        permisos = HISTORIAL if tabla in historial else ORDINARIA
        sql.append(f'GRANT {permisos} ON TABLE "{tabla}" TO {rol};')
    sql += [
        f'REVOKE ALL ON TABLE "django_migrations" FROM {rol};',
        f'GRANT SELECT ON TABLE "django_migrations" TO {rol};',
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {rol};",
    ]
    return sql


class Command(BaseCommand):
    help = (
        "Crea (o actualiza) el rol de PostgreSQL con el que corre la aplicación: lee y escribe las tablas "
        "ordinarias, solo lee y anexa el historial de estatus y la bitácora del admin (sin UPDATE, DELETE ni "
        "TRUNCATE) y no es "
        "dueño de ninguna tabla ni superusuario. Sin --ejecutar, solo imprime el SQL. Vuelva a correrlo "
        "después de cada migrate (las migraciones las corre el dueño de las tablas, no este rol)."
    )

    def add_arguments(self, parser):
        parser.add_argument("nombre", help="nombre del rol, p. ej. seguimiento_app (minúsculas, dígitos y _)")
        parser.add_argument(
            "--ejecutar",
            action="store_true",
            help="ejecuta el SQL en la base de datos configurada (conectado como dueño de las tablas)",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="alias de la base de datos")

    def handle(self, *args, nombre, ejecutar, database, **options):
        if not NOMBRE_VALIDO.match(nombre) or nombre.startswith("pg_") or nombre in RESERVADOS:
            raise CommandError(
                f"«{nombre[:70]}» no sirve como nombre de rol: use de 1 a 63 minúsculas, dígitos o _, "
                "sin empezar por pg_ ni usar un nombre reservado (postgres, public…)."
            )
        conexion = connections[database]
        if nombre == conexion.settings_dict.get("USER"):
            raise CommandError(
                f"«{nombre}» es el usuario con el que se conecta este comando (el dueño de las tablas); "
                "la aplicación necesita un rol distinto."
            )
        if not ejecutar:
            tablas = sorted(conexion.introspection.django_table_names(include_views=False))
            base = conexion.settings_dict["NAME"] if conexion.vendor == "postgresql" else "seguimiento"
            self.stdout.write("-- Para PostgreSQL: córralo conectado como dueño de las tablas (psql -f).")
            if conexion.vendor != "postgresql":
                self.stdout.write(f"-- La base configurada no es PostgreSQL: revise el nombre «{base}».")
            self.stdout.write("\n".join(["BEGIN;", *sentencias(nombre, base, tablas), "COMMIT;"]))
            self.stdout.write(f"-- Después, asigne su contraseña en psql: \\password {nombre}")
            return
        if conexion.vendor != "postgresql":
            raise CommandError(
                "crear_rol_bd --ejecutar solo funciona con PostgreSQL (DATABASE_URL=postgres://…)."
            )
        try:
            with transaction.atomic(using=database), conexion.cursor() as cursor:
                introspeccion = conexion.introspection
                tablas = sorted(introspeccion.django_table_names(only_existing=True, include_views=False))
                for sql in sentencias(nombre, conexion.settings_dict["NAME"], tablas):
                    cursor.execute(sql)
                self.comprobar(cursor, nombre, tablas)
        except DatabaseError as error:
            raise CommandError(
                f"PostgreSQL rechazó el SQL ({error}). Corra el comando conectado como dueño de las tablas."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Rol «{nombre}» listo: lee y escribe {len(tablas)} tablas y solo lee y anexa el historial. "
                f"Asigne su contraseña en psql con \\password {nombre} y úselo en DATABASE_URL."
            )
        )

    def comprobar(self, cursor, nombre: str, tablas: list[str]) -> None:
        """Refuse (rolling everything back) a role that could still rewrite history."""
        cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s", [nombre])
        if cursor.fetchone()[0]:
            raise CommandError(f"«{nombre}» es superusuario: no puede ser el rol de la aplicación.")
        cursor.execute(
            "SELECT tablename FROM pg_tables "
            "WHERE tablename = ANY(%s) AND pg_has_role(%s, tableowner, 'MEMBER')",
            [tablas, nombre],
        )
        propias = [fila[0] for fila in cursor.fetchall()]
        if propias:
            raise CommandError(
                f"«{nombre}» es dueño (o miembro del dueño) de {', '.join(propias[:5])}: podría desactivar "
                "los disparadores. Use un rol que no sea dueño de ninguna tabla."
            )
        for tabla in sorted(tablas_de_solo_anexion() & set(tablas)):
            for privilegio in ("UPDATE", "DELETE", "TRUNCATE"):
                cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [nombre, tabla, privilegio])
                if cursor.fetchone()[0]:
                    raise CommandError(
                        f"«{nombre}» aún tiene {privilegio} sobre {tabla} (quizá por otro rol del que es "
                        "miembro o por PUBLIC); revóquelo antes de usarlo."
                    )
