"""An index for searching orgs by any part of their name, on PostgreSQL.

Search asks for names containing what was typed (name__icontains: UPPER(name) LIKE
'%…%'), which no B-tree serves. A trigram index (pg_trgm) needs three characters, and
place names are searched by two (星沙, 开福); whether pg_trgm counts Chinese characters
as letters at all depends on the database's LC_CTYPE. So the index holds each name's
pairs of characters (org_name_grams: 星沙街道 → 星沙, 沙街, 街道) in a GIN index, and
search asks first for the names holding every pair of the query, then checks them with
the same LIKE (orgs/views.py, org_search): the results are exactly those of the LIKE
alone. A query of one character is left to the LIKE: a character such as 村 is in most
names (488,000 of the 665,000 of the national tree), where reading the table beats any
index.

Nothing on SQLite, where the demo and the tests run.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION org_name_grams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(name, start, 2)), '{}')
    FROM generate_series(1, char_length(name) - 1) AS start
$$
"""
INDEX = "CREATE INDEX IF NOT EXISTS org_name_grams ON orgs_org USING gin (org_name_grams(name))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS org_name_grams")
        schema_editor.execute("DROP FUNCTION IF EXISTS org_name_grams(text)")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_position_other_role_and_self_inspection")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
