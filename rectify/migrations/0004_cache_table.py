"""The table of the shared cache (settings.CACHES, Django's DatabaseCache), made by
`migrate` so that the demo, production and the bench need no `createcachetable` of their
own. It makes the tables of whatever database caches the settings name, and none that
exist already."""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ("rectify", "0003_rendering"),
    ]

    operations = [
        # Unapplied, the table stays: it holds nothing that cannot be computed again.
        migrations.RunPython(create, migrations.RunPython.noop, elidable=False),
    ]
