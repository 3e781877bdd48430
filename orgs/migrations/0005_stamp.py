"""The token of who holds what (orgs.models.Stamp "grants"), and the triggers that
replace it whenever one of the rows a user's reach or the holders of an authority are
read from is written: the grants on orgs and teams, to users and to groups; the members
of groups; the bodies; positions; the person of each account; the accounts' standing and
names (not their last login); the teams' orgs and kinds; the tree's shape and numbering;
the permissions themselves. A statement trigger on PostgreSQL (one new token per statement,
TRUNCATE included); a row trigger on SQLite, which has no other kind.
"""

import secrets

from django.db import migrations, models

NAME = "grants"
# (table, the columns whose update matters, or None for every column)
WATCHED = (
    ("orgs_orgusergrant", None),
    ("orgs_orggroupgrant", None),
    ("orgs_teamusergrant", None),
    ("orgs_teamgroupgrant", None),
    ("auth_user_groups", None),
    ("auth_group", None),
    ("auth_permission", None),
    ("auth_user", ("is_active", "is_superuser", "username", "first_name", "last_name")),
    ("orgs_authority", None),
    ("orgs_position", None),
    ("orgs_person", ("user_id",)),
    ("orgs_team", ("org_id", "kind")),
    ("orgs_org", ("parent_id", "tree_id", "lft", "rght", "depth", "level", "kind")),
)

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION orgs_stamp_{NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO orgs_stamp (name, token)
    VALUES ('{NAME}', floor((random() - 0.5) * 9.2e18)::bigint)
    ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END
$$
"""
SQLITE_BODY = f"INSERT OR REPLACE INTO orgs_stamp (name, token) VALUES ('{NAME}', random());"


def _events(columns):
    update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
    return ("INSERT", update, "DELETE")


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
    for table, columns in WATCHED:
        for event in _events(columns):
            trigger = f"{table}_stamp_{event.split()[0].lower()}"
            if vendor == "postgresql":
                schema_editor.execute(
                    f"CREATE TRIGGER {trigger} AFTER {event} ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION orgs_stamp_{NAME}()"
                )
            else:
                schema_editor.execute(
                    f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW BEGIN {SQLITE_BODY} END"
                )
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_stamp_truncate AFTER TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION orgs_stamp_{NAME}()"
            )
    stamp = apps.get_model("orgs", "Stamp")
    stamp.objects.update_or_create(name=NAME, defaults={"token": secrets.randbits(62)})


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, columns in WATCHED:
        events = [event.split()[0].lower() for event in _events(columns)]
        if vendor == "postgresql":
            events.append("truncate")
        for event in events:
            on = f" ON {table}" if vendor == "postgresql" else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_{event}{on}")
    if vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS orgs_stamp_{NAME}()")


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_org_level_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="Stamp",
            fields=[
                ("name", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("token", models.BigIntegerField()),
            ],
            options={"verbose_name": "版本戳", "verbose_name_plural": "版本戳"},
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
