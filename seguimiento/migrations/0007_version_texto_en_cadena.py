"""Each text version is a link of the record's hash chain, as each history row and issued report is
(the table is new in this release: it holds no row to chain yet)."""

from django.db import migrations

from seguimiento.migrations._comun import eslabones


class Migration(migrations.Migration):
    dependencies = [("seguimiento", "0006_version_texto")]

    operations = eslabones("versiontexto", "seguimiento_versiontexto")
