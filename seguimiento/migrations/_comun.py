"""Helpers the migrations of several apps share, frozen as those migrations ran them.

Not a migration (the leading underscore keeps the loader away) and not app code: migrations import
it so that changing the app never changes what an old migration did. A change of behaviour goes in
a new function, never into one that a migration already calls.
"""

import datetime

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.utils import timezone

import seguimiento.evidencias

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


def dar_permisos(apps, app_label: str, roles: dict[str, list[str]]) -> None:
    """Grant ``app_label``'s permissions (by codename) to each role, creating roles and permissions
    as needed: permissions are normally created after all migrations, and the roles need them now."""
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for nombre, codenames in roles.items():
        grupo, _ = Group.objects.get_or_create(name=nombre)
        for codename in codenames:
            grupo.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def estatus_en_seguimiento(modelo: str) -> list:
    """State only: the status fields of an update model point at ``seguimiento.Estatus`` (the same
    ``convenios_estatus`` table, so the database is untouched) and its evidence field is checked."""
    return [
        migrations.AlterField(
            model_name=modelo,
            name="estatus",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="seguimiento.estatus",
                verbose_name="estatus",
            ),
        ),
        migrations.AlterField(
            model_name=modelo,
            name="estatus_anterior",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="El estatus vigente cuando se registró esta actualización.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="seguimiento.estatus",
                verbose_name="estatus anterior",
            ),
        ),
        migrations.AlterField(
            model_name=modelo,
            name="evidencia",
            field=models.FileField(
                blank=True,
                max_length=255,
                storage=seguimiento.evidencias.almacen_privado,
                upload_to="evidencias/%Y/%m/",
                validators=[seguimiento.evidencias.validar_evidencia],
                verbose_name="evidencia (archivo)",
            ),
        ),
    ]


def rehacer_disparador_sqlite(schema_editor, tabla: str) -> None:
    """SQLite only: put back the append-only trigger of ``tabla``.

    Django applies most AddField/AlterField/RemoveField on SQLite by copying the table into a new
    one, which silently drops its triggers. PostgreSQL alters the table in place and keeps them.
    """
    if schema_editor.connection.vendor != "sqlite":
        return
    borrar_disparadores_inmutables(schema_editor, tabla)
    crear_disparadores_inmutables(schema_editor, tabla)


def captura_declarada(modelo: str, tabla: str) -> list:
    """Add to an update model what an imported file declares about the original capture (who,
    when), keeping the table's append-only trigger on SQLite in both directions."""

    def rehacer(apps, schema_editor):
        rehacer_disparador_sqlite(schema_editor, tabla)

    return [
        # Reversing runs this last, after the RemoveFields below may have rebuilt the table.
        migrations.RunPython(migrations.RunPython.noop, rehacer),
        migrations.AddField(
            model_name=modelo,
            name="capturado_por_declarado",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Quién capturó la actualización originalmente, según el archivo importado; no se verifica.",
                max_length=150,
                verbose_name="capturado por (declarado)",
            ),
        ),
        migrations.AddField(
            model_name=modelo,
            name="capturado_en_declarado",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="Cuándo se capturó originalmente, según el archivo importado; no cuenta para el estatus a una fecha.",
                null=True,
                verbose_name="capturado en (declarado)",
            ),
        ),
        migrations.RunPython(rehacer, migrations.RunPython.noop),
    ]


def crear_disparador_sin_vaciar(schema_editor, tabla: str) -> None:
    """PostgreSQL: refuse TRUNCATE too (row triggers never see it), and make the history's triggers
    fire ALWAYS, so ``session_replication_role = replica`` does not switch them off. SQLite has no
    TRUNCATE nor replica mode: nothing to do there.

    Reuses ``historial_inmutable()``, which ``crear_disparadores_inmutables`` created; it raises
    before looking at any row, so it serves a statement-level trigger as well.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TRIGGER {tabla}_no_vaciable BEFORE TRUNCATE ON {tabla} "
        "FOR EACH STATEMENT EXECUTE FUNCTION historial_inmutable();"
    )
    schema_editor.execute(f"ALTER TABLE {tabla} ENABLE ALWAYS TRIGGER {tabla}_inmutable;")
    schema_editor.execute(f"ALTER TABLE {tabla} ENABLE ALWAYS TRIGGER {tabla}_no_vaciable;")


def borrar_disparador_sin_vaciar(schema_editor, tabla: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {tabla}_no_vaciable ON {tabla};")
    schema_editor.execute(f"ALTER TABLE {tabla} ENABLE TRIGGER {tabla}_inmutable;")


def historial_sin_vaciar(tabla: str) -> migrations.RunPython:
    """The operation that makes ``tabla`` refuse TRUNCATE and fire its triggers always (reversible)."""

    def crear(apps, schema_editor):
        crear_disparador_sin_vaciar(schema_editor, tabla)

    def borrar(apps, schema_editor):
        borrar_disparador_sin_vaciar(schema_editor, tabla)

    return migrations.RunPython(crear, borrar)


# Where this database dates what it recorded: each history, and the register of issued reports.
MOMENTOS_REGISTRADOS = [
    ("convenios", "actualizacion", "registrado_en"),
    ("comisiones", "actualizacionatribucion", "registrado_en"),
    ("reportes", "informeemitido", "emitido_en"),
]


def primer_momento_registrado(apps) -> datetime.datetime:
    """The earliest moment this database recorded anything (an update or an issued report); now if
    nothing. Models not yet migrated in this database are skipped."""
    momentos = [timezone.now()]
    for app_label, modelo, campo in MOMENTOS_REGISTRADOS:
        try:
            registro = apps.get_model(app_label, modelo)
        except LookupError:
            continue
        primero = registro.objects.aggregate(primero=models.Min(campo))["primero"]
        if primero is not None:
            momentos.append(primero)
    return min(momentos)


def agregar_creado_en(app_label: str, modelos: list[str]) -> list:
    """Operations that give each model a system-assigned ``creado_en``.

    When rows that already exist were created is unknown. A report redrawn as issued leaves out
    what was created after its issue, so a late guess (the migration's time) would empty every
    report issued before the migration, and a row's earliest update would still hide it from
    reports issued before that update. They get instead the earliest moment the database recorded
    anything: every report issued before the migration is redrawn with them, as it was before.
    """
    operaciones = [
        migrations.AddField(
            model_name=modelo,
            name="creado_en",
            field=models.DateTimeField(
                default=timezone.now,
                editable=False,
                help_text="Lo asigna el sistema al crearlo.",
                verbose_name="creado en",
            ),
        )
        for modelo in modelos
    ]

    def fechar_lo_existente(apps, schema_editor):
        momento = primer_momento_registrado(apps)
        for modelo in modelos:
            apps.get_model(app_label, modelo).objects.update(creado_en=momento)

    operaciones.append(migrations.RunPython(fechar_lo_existente, migrations.RunPython.noop))
    return operaciones


def pdf_archivado() -> migrations.AddField:
    """The issued report's own PDF, kept in the private storage that evidence uses."""
    return migrations.AddField(
        model_name="informeemitido",
        name="archivo",
        field=models.FileField(
            blank=True,
            editable=False,
            help_text=(
                "El archivo tal como se entregó, en el almacén privado; vacío si se emitió antes de archivarlos."
            ),
            max_length=255,
            storage=seguimiento.evidencias.almacen_privado,
            upload_to="informes/%Y/",
            verbose_name="PDF emitido",
        ),
    )


def campo_en_historial(modelo: str, tabla: str, nombre: str, campo: models.Field) -> list:
    """Add one field to an update model, keeping the table's append-only trigger on SQLite in both
    directions (adding a NOT NULL column with a default rebuilds the table there)."""

    def rehacer(apps, schema_editor):
        rehacer_disparador_sqlite(schema_editor, tabla)

    return [
        # Reversing runs this last, after the RemoveField below may have rebuilt the table.
        migrations.RunPython(migrations.RunPython.noop, rehacer),
        migrations.AddField(model_name=modelo, name=nombre, field=campo),
        migrations.RunPython(rehacer, migrations.RunPython.noop),
    ]


def nota_publica() -> models.BooleanField:
    """An update's note is internal unless whoever records it marks it public; also in the database, so
    a row inserted by other means (or by the previous release during a deploy) is internal too."""
    return models.BooleanField(
        db_default=False,
        default=False,
        help_text="Marcada, la nota se publica en el tablero y los datos abiertos; si no, es interna.",
        verbose_name="nota pública",
    )


def publicado(verbose_name: str) -> models.BooleanField:
    """Whether a convenio or commission shows on the public board and in the open data (yes by default)."""
    return models.BooleanField(
        db_default=True,
        default=True,
        help_text="Si aparece en el tablero público y en los datos abiertos (/datos/).",
        verbose_name=verbose_name,
    )


def copias_vigentes(app_label: str, modelo: str) -> list:
    """Operations that give a followed-up item the copies of its current update
    (``Seguible.COPIAS_VIGENTES``) and fill them in from ``ultima_actualizacion`` for every item."""
    campos = {
        "estatus_vigente": models.ForeignKey(
            blank=True,
            editable=False,
            null=True,
            on_delete=models.deletion.PROTECT,
            related_name="+",
            to="seguimiento.estatus",
            verbose_name="estatus vigente",
        ),
        "fecha_vigente": models.DateField(
            blank=True, editable=False, null=True, verbose_name="fecha efectiva vigente"
        ),
        "nota_vigente": models.TextField(blank=True, default="", editable=False, verbose_name="nota vigente"),
    }
    origenes = {"estatus_vigente": "estatus_id", "fecha_vigente": "fecha_efectiva", "nota_vigente": "nota"}

    def copiar(apps, schema_editor):
        Modelo = apps.get_model(app_label, modelo)
        Historial = Modelo._meta.get_field("ultima_actualizacion").related_model
        vigente = Historial.objects.filter(pk=models.OuterRef("ultima_actualizacion_id"))
        Modelo.objects.filter(ultima_actualizacion__isnull=False).update(
            **{campo: models.Subquery(vigente.values(origen)[:1]) for campo, origen in origenes.items()}
        )

    return [
        *(
            migrations.AddField(model_name=modelo, name=nombre, field=campo)
            for nombre, campo in campos.items()
        ),
        migrations.RunPython(copiar, migrations.RunPython.noop),
    ]


# The database itself keeps the facts of the record (issue «a record that proves itself», part 1) --

# A session variable that only the owner of the tables may use to keep the recording moments it sends:
# restoring a backup (``restaurar``) and the tests' frozen clock. The owner could switch the triggers
# off anyway; the application's role (``crear_rol_bd``) owns nothing, so for it the database's time
# always wins.
CONSERVAR_REGISTRADO_EN = "seguimiento.conservar_registrado_en"

SQL_REGISTRO_DEL_SISTEMA = f"""
CREATE OR REPLACE FUNCTION registro_del_sistema() RETURNS trigger AS $$
BEGIN
  IF coalesce(current_setting('{CONSERVAR_REGISTRADO_EN}', true), '') = 'on'
     AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
    NEW.registrado_en := coalesce(NEW.registrado_en, now());
  ELSE
    NEW.registrado_en := now();
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


def registro_del_sistema(tabla: str) -> migrations.RunPython:
    """PostgreSQL: a history row's ``registrado_en`` is the database's transaction time, whatever the
    client sent. SQLite has no way to tell the owner from anyone else (whoever holds the file does
    everything): there the application's clock stands."""

    def crear(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(SQL_REGISTRO_DEL_SISTEMA)
        schema_editor.execute(
            f"CREATE TRIGGER {tabla}_registro BEFORE INSERT ON {tabla} "
            "FOR EACH ROW EXECUTE FUNCTION registro_del_sistema();"
        )

    def borrar(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {tabla}_registro ON {tabla};")

    return migrations.RunPython(crear, borrar)


MENSAJE_COPIAS = (
    "Las copias del estatus vigente solo las escriben los servicios: deben ser las de una actualización "
    "del mismo elemento."
)


def copias_fieles(tabla: str, historial: str, campo: str) -> migrations.RunPython:
    """The item's pointer to its current update must be one of its own updates, and the copies
    (status, date, note) that update's values; no pointer, no copies.

    PostgreSQL checks at commit (a deferred constraint trigger: a restore loads items before their
    history). SQLite checks each UPDATE at once and cannot check an INSERT (a restore would trip it).
    """
    vacio = "NEW.estatus_vigente_id IS NULL AND NEW.fecha_vigente IS NULL AND NEW.nota_vigente = ''"
    # «IS» compares NULLs as values in SQLite; PostgreSQL spells it «IS NOT DISTINCT FROM».
    coincide = (
        f"a.{campo} = NEW.id AND a.estatus_id IS NEW.estatus_vigente_id "
        "AND a.fecha_efectiva IS NEW.fecha_vigente AND a.nota IS NEW.nota_vigente"
    )
    sin_copias_o_fieles = (
        f"(NEW.ultima_actualizacion_id IS NULL AND {vacio}) OR EXISTS (SELECT 1 FROM {historial} a "
        "WHERE a.id = NEW.ultima_actualizacion_id AND {coincide})"
    )

    def crear(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            condicion = sin_copias_o_fieles.format(
                coincide=coincide.replace(" IS ", " IS NOT DISTINCT FROM ")
            )
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {tabla}_copias_fieles() RETURNS trigger AS $$ BEGIN "
                f"IF NOT ({condicion}) THEN "
                f"RAISE EXCEPTION '{MENSAJE_COPIAS} (%%, %%)', TG_TABLE_NAME, NEW.id "
                "USING ERRCODE = 'check_violation'; END IF; "
                "RETURN NULL; END $$ LANGUAGE plpgsql;"
            )
            schema_editor.execute(
                f"CREATE CONSTRAINT TRIGGER {tabla}_copias_fieles AFTER INSERT OR UPDATE OF "
                f"ultima_actualizacion_id, estatus_vigente_id, fecha_vigente, nota_vigente ON {tabla} "
                "DEFERRABLE INITIALLY DEFERRED "
                f"FOR EACH ROW EXECUTE FUNCTION {tabla}_copias_fieles();"
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {tabla}_copias_fieles BEFORE UPDATE OF "
                f"ultima_actualizacion_id, estatus_vigente_id, fecha_vigente, nota_vigente ON {tabla} "
                f"WHEN NOT ({sin_copias_o_fieles.format(coincide=coincide)}) "
                f"BEGIN SELECT RAISE(ABORT, '{MENSAJE_COPIAS}'); END;"
            )

    def borrar(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {tabla}_copias_fieles ON {tabla};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {tabla}_copias_fieles();")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {tabla}_copias_fieles;")

    return migrations.RunPython(crear, borrar)


MENSAJE_ESTATUS = (
    "El estatus ya se usó en el historial: su clave y su categoría no pueden cambiar (su nombre sí)."
)


def estatus_fijo_en_uso(historiales: list[str]) -> migrations.RunPython:
    """A status used by any update (as its status or the one before) keeps its ``slug`` and
    ``categoria``: past reports were drawn with them (``Estatus.FIJOS_EN_USO``; the admin shows them
    read-only, the database refuses them to SQL too). Both engines."""
    usado = " OR ".join(
        f"EXISTS (SELECT 1 FROM {h} WHERE estatus_id = OLD.id OR estatus_anterior_id = OLD.id)"
        for h in historiales
    )
    cambia = "(NEW.slug IS DISTINCT FROM OLD.slug OR NEW.categoria IS DISTINCT FROM OLD.categoria)"

    def crear(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION estatus_fijo_en_uso() RETURNS trigger AS $$ BEGIN "
                f"IF {cambia} AND ({usado}) THEN "
                f"RAISE EXCEPTION '{MENSAJE_ESTATUS} (%%)', OLD.slug; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql;"
            )
            schema_editor.execute(
                "CREATE TRIGGER convenios_estatus_fijo BEFORE UPDATE OF slug, categoria ON convenios_estatus "
                "FOR EACH ROW EXECUTE FUNCTION estatus_fijo_en_uso();"
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                "CREATE TRIGGER convenios_estatus_fijo BEFORE UPDATE OF slug, categoria ON convenios_estatus "
                f"WHEN {cambia.replace('IS DISTINCT FROM', 'IS NOT')} AND ({usado}) "
                f"BEGIN SELECT RAISE(ABORT, '{MENSAJE_ESTATUS}'); END;"
            )

    def borrar(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute("DROP TRIGGER IF EXISTS convenios_estatus_fijo ON convenios_estatus;")
            schema_editor.execute("DROP FUNCTION IF EXISTS estatus_fijo_en_uso();")
        elif vendor == "sqlite":
            schema_editor.execute("DROP TRIGGER IF EXISTS convenios_estatus_fijo;")

    return migrations.RunPython(crear, borrar)


MENSAJE_INFORMES = (
    "El registro de informes emitidos es de solo anexión: solo el SHA-256 y el archivo, vacíos al "
    "emitir, y los datos de la firma se completan una vez."
)
# The register's columns that fill in after the row is written, once each: the PDF's hash and its
# kept file (``emitir_informe``, ``archivar``; reportes/0005), and the e.firma signature: who signed,
# when, as whom, and the signed file and its hash (``firmar_informe``; reportes/0006). Every other
# column, and any added later, is fixed. Each migration passes the tuple of its time.
INFORME_SE_COMPLETA_AL_EMITIR = ("sha256", "archivo")
INFORME_SE_COMPLETA = (
    *INFORME_SE_COMPLETA_AL_EMITIR,
    "firmado_en",
    "firmado_por_id",
    "firmante",
    "firmante_rfc",
    "firmante_curp",
    "sha256_firmado",
    "archivo_firmado",
)


COLUMNAS_FIJAS_DE_INFORMES = (
    "tipo", "convenio_id", "comision_id", "fecha", "emitido_en", "emitido_por_id", "codigo", "id"
)  # fmt: skip


def disparador_sqlite_de_informes(
    schema_editor,
    columnas_fijas: tuple[str, ...] = COLUMNAS_FIJAS_DE_INFORMES,
    se_completa: tuple[str, ...] = INFORME_SE_COMPLETA_AL_EMITIR,
) -> None:
    """SQLite only: (re)create the register's UPDATE trigger over ``columnas_fijas`` (never change)
    and ``se_completa`` (filled in once); Django's table copies (most field changes on SQLite) drop it
    silently. Each migration passes the columns of its time."""
    if schema_editor.connection.vendor != "sqlite":
        return
    una_vez = " OR ".join(
        f"(COALESCE(CAST(OLD.{c} AS TEXT), '') <> '' AND NEW.{c} IS NOT OLD.{c})" for c in se_completa
    )
    fijas = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columnas_fijas)
    schema_editor.execute("DROP TRIGGER IF EXISTS reportes_informeemitido_inmutable;")
    schema_editor.execute(
        "CREATE TRIGGER reportes_informeemitido_inmutable BEFORE UPDATE ON reportes_informeemitido "
        f"WHEN {fijas} OR {una_vez} "
        f"BEGIN SELECT RAISE(ABORT, '{MENSAJE_INFORMES}'); END;"
    )


def registro_de_informes_inmutable(
    se_completa: tuple[str, ...] = INFORME_SE_COMPLETA,
    columnas_fijas: tuple[str, ...] = COLUMNAS_FIJAS_DE_INFORMES,
) -> migrations.RunPython:
    """PostgreSQL: an issued report's row is never deleted and never changes, except that an empty
    (NULL or '') column of ``se_completa`` may be filled in once. SQLite: the same for UPDATE (its
    DELETE stays possible, as for the history: Django's test flush deletes)."""
    libres = " - ".join(f"'{c}'" for c in se_completa)
    una_vez = " OR ".join(
        f"(COALESCE(CAST(OLD.{c} AS TEXT), '') <> '' AND NEW.{c} IS DISTINCT FROM OLD.{c})"
        for c in se_completa
    )

    def crear(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION informe_emitido_inmutable() RETURNS trigger AS $$ BEGIN "
                f"IF TG_OP = 'DELETE' OR (to_jsonb(NEW) - {libres}) IS DISTINCT FROM (to_jsonb(OLD) - {libres}) "
                f"OR {una_vez} THEN RAISE EXCEPTION '{MENSAJE_INFORMES} (%%)', OLD.id; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql;"
            )
            schema_editor.execute(
                "CREATE TRIGGER reportes_informeemitido_inmutable BEFORE UPDATE OR DELETE "
                "ON reportes_informeemitido FOR EACH ROW EXECUTE FUNCTION informe_emitido_inmutable();"
            )
        disparador_sqlite_de_informes(schema_editor, columnas_fijas, se_completa)

    def borrar(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(
                "DROP TRIGGER IF EXISTS reportes_informeemitido_inmutable ON reportes_informeemitido;"
            )
            schema_editor.execute("DROP FUNCTION IF EXISTS informe_emitido_inmutable();")
        elif vendor == "sqlite":
            schema_editor.execute("DROP TRIGGER IF EXISTS reportes_informeemitido_inmutable;")

    return migrations.RunPython(crear, borrar)


def renombrar_sin_revisar(activo: bool) -> migrations.RunPython:
    """SQLite: ``PRAGMA legacy_alter_table``. When Django rebuilds a table it drops the old one and
    renames the new one in its place; SQLite 3.26+ then re-reads every trigger, and one on another
    table that names the rebuilt one (``copias_fieles``, ``convenios_estatus_fijo``) fails the rename
    while the name is missing for that instant. In legacy mode the rename re-reads none."""

    def fijar(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"PRAGMA legacy_alter_table = {'ON' if activo else 'OFF'}")

    def volver(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"PRAGMA legacy_alter_table = {'OFF' if activo else 'ON'}")

    return migrations.RunPython(fijar, volver)


def nota_para_buscar(modelo: str, tabla: str, indice_anterior: str | None = None) -> list:
    """Give an update model ``nota_busqueda`` (its note stored without accents, ``sin_acentos``) with a
    trigram index for rare words on PostgreSQL, dropping the index on the expression it replaces;
    SQLite rebuilds the table: its append-only trigger is put back, and the triggers of other tables
    that name it are left unchecked during the rename (``renombrar_sin_revisar``)."""
    from seguimiento.busqueda import SinAcentos

    indice = f"{tabla}_nota_busqueda_trgm"

    def indexar(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            if indice_anterior:
                schema_editor.execute(f"DROP INDEX IF EXISTS {indice_anterior}")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {indice} ON {tabla} USING gin (nota_busqueda gin_trgm_ops)"
            )

    def desindexar(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {indice}")

    campo = models.GeneratedField(
        db_persist=True,
        expression=SinAcentos("nota"),
        output_field=models.TextField(),
        verbose_name="nota para buscar",
    )
    return [
        renombrar_sin_revisar(True),
        *campo_en_historial(modelo, tabla, "nota_busqueda", campo),
        renombrar_sin_revisar(False),
        migrations.RunPython(indexar, desindexar),
    ]


def solo_anexion(tabla: str) -> list:
    """A new append-only table (proposals, their decisions) protected as the history is: UPDATE and
    DELETE refused (SQLite: UPDATE), TRUNCATE refused and the triggers fired always, and the
    recording moment ``registrado_en`` set by the database (PostgreSQL)."""

    def crear(apps, schema_editor):
        crear_disparadores_inmutables(schema_editor, tabla)
        crear_disparador_sin_vaciar(schema_editor, tabla)

    def borrar(apps, schema_editor):
        borrar_disparador_sin_vaciar(schema_editor, tabla)
        borrar_disparadores_inmutables(schema_editor, tabla)

    return [migrations.RunPython(crear, borrar), registro_del_sistema(tabla)]


def propuesta_en_historial(modelo: str, tabla: str, campo: models.Field) -> list:
    """Link an update model to the proposal it accepted (``propuesta``), keeping the history's
    triggers on SQLite, whose rebuild of the table would drop them."""
    return [
        renombrar_sin_revisar(True),
        *campo_en_historial(modelo, tabla, "propuesta", campo),
        renombrar_sin_revisar(False),
    ]


# The record's hash chain (issue «a record that proves itself», part 2) ------------------------------

# One definition of the recording moment a history row gets: the trigger calls it for each row, and the
# chain (``seguimiento.integridad``) asks it beforehand, so the link covers the value as stored.
SQL_MOMENTO_DE_REGISTRO = f"""
CREATE OR REPLACE FUNCTION momento_de_registro(tabla regclass, enviado timestamptz) RETURNS timestamptz AS $$
BEGIN
  IF coalesce(current_setting('{CONSERVAR_REGISTRADO_EN}', true), '') = 'on'
     AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = tabla), 'MEMBER') THEN
    RETURN coalesce(enviado, now());
  END IF;
  RETURN now();
END $$ LANGUAGE plpgsql STABLE;

CREATE OR REPLACE FUNCTION registro_del_sistema() RETURNS trigger AS $$
BEGIN
  NEW.registrado_en := momento_de_registro(TG_RELID::regclass, NEW.registrado_en);
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


def momento_de_registro() -> migrations.RunPython:
    """PostgreSQL: ``momento_de_registro(tabla, enviado)``, the rule ``registro_del_sistema`` applied
    inline until now, and that trigger function calling it (same behaviour)."""

    def crear(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(SQL_MOMENTO_DE_REGISTRO)

    def borrar(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(SQL_REGISTRO_DEL_SISTEMA)
            schema_editor.execute("DROP FUNCTION IF EXISTS momento_de_registro(regclass, timestamptz);")

    return migrations.RunPython(crear, borrar)


def disparadores_sqlite(connection, tabla: str) -> list[tuple[str, str]]:
    """SQLite: the name and SQL of every trigger on ``tabla``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [tabla]
        )
        return cursor.fetchall()


def conservando_disparadores_sqlite(tabla: str, operaciones: list) -> list:
    """``operaciones`` with ``tabla``'s SQLite triggers put back afterwards (Django rebuilds a table to
    add a unique or NOT NULL column there, dropping its triggers), and the triggers of other tables
    that name it left unchecked during the rename (``renombrar_sin_revisar``)."""
    guardados: list[tuple[str, str]] = []

    def guardar(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            guardados[:] = disparadores_sqlite(schema_editor.connection, tabla)

    def reponer(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        existentes = {nombre for nombre, _sql in disparadores_sqlite(schema_editor.connection, tabla)}
        for nombre, sql in guardados:
            if nombre not in existentes:
                schema_editor.execute(sql)

    return [
        migrations.RunPython(guardar, reponer),
        renombrar_sin_revisar(True),
        *operaciones,
        renombrar_sin_revisar(False),
        migrations.RunPython(reponer, guardar),
    ]


def campos_de_eslabon(modelo: str) -> list[models.Field]:
    return [
        migrations.AddField(
            model_name=modelo,
            name="eslabon",
            field=models.PositiveBigIntegerField(
                blank=True,
                editable=False,
                help_text="Su lugar en la cadena.",
                null=True,
                unique=True,
                verbose_name="eslabón",
            ),
        ),
        migrations.AddField(
            model_name=modelo,
            name="huella",
            field=models.CharField(
                blank=True,
                db_default="",
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="huella",
            ),
        ),
        migrations.AddField(
            model_name=modelo,
            name="huella_anterior",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                max_length=64,
                verbose_name="huella anterior",
            ),
        ),
    ]


def eslabones(modelo: str, tabla: str, otras: list | None = None) -> list:
    """Operations that make ``modelo`` a chained table (``seguimiento.integridad.Encadenado``): its
    position, link and previous link, keeping its triggers on SQLite. ``otras``: more operations on the
    same table to run inside the same rebuild."""
    return conservando_disparadores_sqlite(tabla, [*campos_de_eslabon(modelo), *(otras or [])])


# PostgreSQL: how each ``pg_trigger.tgenabled`` state is written back in ``ALTER TABLE``.
MODOS_DE_DISPARADOR = {"O": "ENABLE", "A": "ENABLE ALWAYS", "R": "ENABLE REPLICA", "D": "DISABLE"}


def _apagar_disparadores_de_cambio(connection, tablas: list[str]) -> list:
    """Switch off the triggers that refuse an UPDATE of ``tablas`` (as their owner); return what puts
    them back exactly as they were."""
    reponer = []
    with connection.cursor() as cursor:
        for tabla in tablas:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE c.relname = %s AND NOT t.tgisinternal AND t.tgname LIKE %s",
                    [tabla, "%inmutable"],
                )
                for nombre, estado in cursor.fetchall():
                    cursor.execute(f'ALTER TABLE "{tabla}" DISABLE TRIGGER "{nombre}"')
                    reponer.append(f'ALTER TABLE "{tabla}" {MODOS_DE_DISPARADOR[estado]} TRIGGER "{nombre}"')
            elif connection.vendor == "sqlite":
                for nombre, sql in disparadores_sqlite(connection, tabla):
                    if nombre.endswith("inmutable"):
                        cursor.execute(f'DROP TRIGGER "{nombre}"')
                        reponer.append(sql)
    return reponer


def encadenar_existentes(apps, schema_editor, registros: list[tuple[str, str, str, tuple[str, ...]]]) -> None:
    """Append the rows of each ``(app_label, modelo, campo del momento, campos en la huella)`` that are
    not chained yet to the record's hash chain, all tables merged in recording order (moment, then the
    order of ``registros``, then id), after the current head. Their append-only triggers are switched
    off for the write and put back as they were. Needs ``settings.CLAVE_INTEGRIDAD``."""
    from django.conf import settings

    from seguimiento.integridad import calcular_huella

    filas = []
    for orden, (app_label, nombre, momento, campos) in enumerate(registros):
        modelo = apps.get_model(app_label, nombre)
        columnas = ["eslabon", *(modelo._meta.get_field(c).attname for c in campos)]
        for valores in modelo._base_manager.filter(eslabon__isnull=True).values("pk", momento, *columnas[1:]):
            filas.append(((valores[momento], orden, valores["pk"]), modelo, columnas, valores))
    if not filas:
        return
    clave = settings.CLAVE_INTEGRIDAD.encode()
    Cabeza = apps.get_model("seguimiento", "CabezaDeCadena")
    cabeza, _creada = Cabeza.objects.get_or_create(pk=1)
    huella, eslabon = cabeza.huella, cabeza.eslabon
    cambios: dict = {}
    for _clave, modelo, columnas, valores in sorted(filas, key=lambda f: f[0]):
        eslabon += 1
        tabla = modelo._meta.db_table
        anterior = huella
        huella = calcular_huella(
            clave, anterior, tabla, {c: eslabon if c == "eslabon" else valores[c] for c in columnas}
        )
        cambios.setdefault(modelo, []).append(
            modelo(pk=valores["pk"], eslabon=eslabon, huella=huella, huella_anterior=anterior)
        )
        ultima = (tabla, valores["pk"], _clave[0])
    conexion = schema_editor.connection
    postgresql = conexion.vendor == "postgresql"
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no check pending on a table altered
    reponer = _apagar_disparadores_de_cambio(conexion, [modelo._meta.db_table for modelo in cambios])
    for modelo, instancias in cambios.items():
        modelo._base_manager.bulk_update(
            instancias, ["eslabon", "huella", "huella_anterior"], batch_size=1000
        )
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with conexion.cursor() as cursor:
        for sql in reponer:
            cursor.execute(sql)
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")
    Cabeza.objects.filter(pk=1).update(
        eslabon=eslabon, huella=huella, tabla=ultima[0], fila=ultima[1], momento=ultima[2]
    )


# Who recorded each update is required (issue «a record that proves itself», part 1) ---------------


def registrado_por_obligatorio(app_label: str, modelo: str, tabla: str) -> list:
    """Operations that make an update's ``registrado_por`` required: rows recorded without one (the
    seed, old tests' data) get the system's own account, ``sistema`` (inactive, no password; the
    services' ``usuario_del_sistema``), with the append-only trigger switched off for that write;
    then the column is NOT NULL (SQLite rebuilds the table: its triggers are kept)."""

    def llenar(apps, schema_editor):
        from django.contrib.auth.hashers import make_password

        vacias = apps.get_model(app_label, modelo)._base_manager.filter(registrado_por__isnull=True)
        if not vacias.exists():
            return
        Usuario = apps.get_model("auth", "User")
        sistema, _creado = Usuario.objects.get_or_create(
            username="sistema",
            defaults={"first_name": "Carga inicial", "is_active": False, "password": make_password(None)},
        )
        conexion = schema_editor.connection
        if conexion.vendor == "postgresql":
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        reponer = _apagar_disparadores_de_cambio(conexion, [tabla])
        vacias.update(registrado_por=sistema)
        if conexion.vendor == "postgresql":
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with conexion.cursor() as cursor:
            for sql in reponer:
                cursor.execute(sql)
        if conexion.vendor == "postgresql":
            schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")

    return [
        migrations.RunPython(llenar, migrations.RunPython.noop),
        *conservando_disparadores_sqlite(
            tabla,
            [
                migrations.AlterField(
                    model_name=modelo,
                    name="registrado_por",
                    field=models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="auth.user",
                        verbose_name="registrado por",
                    ),
                )
            ],
        ),
    ]
