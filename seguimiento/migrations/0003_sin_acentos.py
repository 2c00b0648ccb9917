"""PostgreSQL: ``sin_acentos(text)``, the text search's normalisation (``seguimiento.busqueda``).

Plain SQL, IMMUTABLE (usable in an index) and inlined by the planner, no extension needed. SQLite gets
the same function from Python on each connection. The letters are written here, not imported, so this
migration never changes; a test checks that both engines give the same result."""

from django.db import migrations

CON_ACENTO = "áàâäãåéèêëíìîïóòôöõúùûüýÿñçÁÀÂÄÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÝÑÇ"
SIN_ACENTO = "aaaaaaeeeeiiiiooooouuuuyyncaaaaaaeeeeiiiiooooouuuuync"

CREAR = f"""
CREATE OR REPLACE FUNCTION sin_acentos(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT translate(lower($1), '{CON_ACENTO}', '{SIN_ACENTO}') $$
"""
BORRAR = "DROP FUNCTION IF EXISTS sin_acentos(text)"


def crear(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREAR)


def borrar(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BORRAR)


class Migration(migrations.Migration):
    dependencies = [("seguimiento", "0002_estatus_retirado")]

    operations = [migrations.RunPython(crear, borrar)]
