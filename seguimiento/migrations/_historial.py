"""SQL the migrations run to make a history table append-only, frozen as those migrations ran it.

Not a migration (the leading underscore keeps the loader away) and not app code: migrations import
it so that changing the app never changes what an old migration did. New SQL goes in a new function.
"""

MENSAJE = "El historial de estatus es de solo anexión: no se puede modificar ni borrar."


def crear_disparadores_inmutables(schema_editor, tabla: str) -> None:
    """Make the database itself refuse to change history, whichever code path tries.

    PostgreSQL refuses UPDATE and DELETE. SQLite (development only) refuses UPDATE; DELETE stays
    possible there because Django's test flush empties tables with DELETE.
    """
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION historial_inmutable() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MENSAJE} (%%)', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {tabla}_inmutable BEFORE UPDATE OR DELETE ON {tabla} "
            "FOR EACH ROW EXECUTE FUNCTION historial_inmutable();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER {tabla}_inmutable BEFORE UPDATE ON {tabla} "
            f"BEGIN SELECT RAISE(ABORT, '{MENSAJE}'); END;"
        )


def borrar_disparadores_inmutables(schema_editor, tabla: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {tabla}_inmutable ON {tabla};")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {tabla}_inmutable;")
