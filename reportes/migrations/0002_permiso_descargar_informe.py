"""``descargar_informe`` gates commission reports too, so it moves from ``convenios`` to ``reportes``.

The permission row itself is moved (its content type changes), so every group and user that had
it keeps it without a single grant being rewritten.
"""

from django.db import migrations


def mover_permiso(origen: tuple[str, str], destino: tuple[str, str]):
    def mover(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        viejo = Permission.objects.filter(
            content_type__app_label=origen[0], content_type__model=origen[1], codename="descargar_informe"
        ).first()
        if viejo is None:
            return
        tipo, _ = ContentType.objects.get_or_create(app_label=destino[0], model=destino[1])
        nuevo = Permission.objects.filter(content_type=tipo, codename="descargar_informe").first()
        if nuevo is None:
            viejo.content_type = tipo
            viejo.save()
            return
        for grupo in viejo.group_set.all():
            grupo.permissions.add(nuevo)
        for usuario in viejo.user_set.all():
            usuario.user_permissions.add(nuevo)
        viejo.delete()

    return mover


class Migration(migrations.Migration):
    dependencies = [
        ("reportes", "0001_initial"),
        ("convenios", "0006_estatus_en_seguimiento"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="informeemitido",
            options={
                "ordering": ["-emitido_en", "-pk"],
                "permissions": [("descargar_informe", "Puede descargar informes de seguimiento")],
                "verbose_name": "informe emitido",
                "verbose_name_plural": "informes emitidos",
            },
        ),
        migrations.RunPython(
            mover_permiso(("convenios", "convenio"), ("reportes", "informeemitido")),
            mover_permiso(("reportes", "informeemitido"), ("convenios", "convenio")),
        ),
    ]
