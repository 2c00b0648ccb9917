"""PostgreSQL: ``sin_acentos(text)``, the text search's normalisation (``seguimiento.busqueda``), and
a trigram index on it for the history notes.

``lower(unaccent(…))`` behind an IMMUTABLE wrapper (so it can be indexed), naming the dictionary and its
schema as the wrapper must. ``unaccent`` is a trusted extension (PostgreSQL 13+), like ``pg_trgm``
(``convenios/0005``): the tables' owner, who runs the migrations, may create it. A ``translate()`` of
the accented letters needs no extension but costs ~20 times as much per row (2.7 s against 0.14 s for
10,000 commitments, measured). SQLite gets the same function from Python on each connection."""

from django.db import migrations

CREAR = [
    "CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public",
    """CREATE OR REPLACE FUNCTION public.sin_acentos(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$""",
    # A rare word or a number is found through it; a common one is read faster by a plain scan. (The
    # commitments' search column is stored normalised from convenios/0013 on, with its own index.)
    "CREATE INDEX IF NOT EXISTS actualizacion_nota_sin_acentos "
    "ON convenios_actualizacion USING gin (public.sin_acentos(nota) gin_trgm_ops)",
]
BORRAR = [
    "DROP INDEX IF EXISTS actualizacion_nota_sin_acentos",
    "DROP FUNCTION IF EXISTS public.sin_acentos(text)",
    "DROP EXTENSION IF EXISTS unaccent",
]


def crear(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREAR:
            schema_editor.execute(sql)


def borrar(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BORRAR:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    # convenios/0011 made the search column and pg_trgm, which the indexes need.
    dependencies = [("seguimiento", "0002_estatus_retirado"), ("convenios", "0011_vigente")]

    operations = [migrations.RunPython(crear, borrar)]
