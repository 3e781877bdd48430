"""The database itself refuses to change an audit entry: an UPDATE fails on every
database, and on PostgreSQL a DELETE too. (SQLite keeps DELETE: the tests empty their
database row by row between browser tests; PostgreSQL empties it with TRUNCATE, which a
row trigger does not see.)"""

from django.db import migrations

# (statements to create, statements to drop) per database.
SQLITE = (
    [
        "CREATE TRIGGER audit_entry_never_updated BEFORE UPDATE ON audit_entry "
        "BEGIN SELECT RAISE(ABORT, 'audit entries are never changed'); END"
    ],
    ["DROP TRIGGER IF EXISTS audit_entry_never_updated"],
)
POSTGRESQL = (
    [
        "CREATE FUNCTION audit_entry_refuse() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit entries are never changed or deleted'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_entry_never_changed BEFORE UPDATE OR DELETE ON audit_entry "
        "FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse()",
    ],
    [
        "DROP TRIGGER IF EXISTS audit_entry_never_changed ON audit_entry",
        "DROP FUNCTION IF EXISTS audit_entry_refuse()",
    ],
)


def forwards(apps, schema_editor):
    sql = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor)
    for statement in sql[0] if sql else ():
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    sql = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor)
    for statement in sql[1] if sql else ():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_the_audit")]

    operations = [migrations.RunPython(forwards, backwards)]
