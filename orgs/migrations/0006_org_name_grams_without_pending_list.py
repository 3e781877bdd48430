"""The name index answers from itself alone, on PostgreSQL.

A GIN index by default gathers new entries in a pending list that every search reads
through, row by row, until a vacuum merges it. An import of the division codes writes
tens of thousands of names at once, and until autovacuum came by (which on a busy or
tuned server can be long) each search read them all: 5.7 ms where the index answers in
0.04. Orgs are written by imports and by hand, a few at a time or all at once, and read
at every search: the index takes each name as it is written (fastupdate off), and what
is pending now is merged.

Nothing on SQLite.
"""

from django.db import migrations


def settle(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX IF EXISTS org_name_grams SET (fastupdate = off)")
        # to_regclass gives NULL for a missing index where a cast would fail.
        schema_editor.execute(
            "SELECT gin_clean_pending_list(found) FROM to_regclass('org_name_grams') AS found "
            "WHERE found IS NOT NULL"
        )


def unsettle(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX IF EXISTS org_name_grams RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0005_stamp")]

    operations = [migrations.RunPython(settle, unsettle, elidable=False)]
