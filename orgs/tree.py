"""Nested-set numbering done in bulk.

django-mptt keeps (tree_id, lft, rght, depth) right one node at a time, which is what
the admin needs when somebody moves a unit. An import of tens of thousands of regions
instead inserts the rows with placeholder numbers and then renumbers each affected
tree here in one pass: one read of the tree, one bulk write of what changed.
"""

from django.db import connection
from django.db.models import F

from .models import Org

WRITE_BATCH = 5000


def renumber(tree_id):
    """Recompute lft, rght and depth of one tree from parent_id; return how many rows changed."""
    rows = (
        Org.objects.filter(tree_id=tree_id)
        .order_by(F("code").asc(nulls_last=True), "name", "id")
        .values_list("id", "parent_id", "lft", "rght", "depth")
    )
    children = {}
    current = {}
    roots = []
    for node_id, parent_id, lft, rght, depth in rows.iterator(chunk_size=WRITE_BATCH):
        current[node_id] = (lft, rght, depth)
        if parent_id is None:
            roots.append(node_id)
        else:
            children.setdefault(parent_id, []).append(node_id)
    if len(roots) != 1:
        raise ValueError(f"tree {tree_id} has {len(roots)} roots")

    changed = []
    counter = 0
    # Iterative depth-first walk: (node, depth, entering?).
    stack = [(roots[0], 0, True)]
    left = {}
    while stack:
        node_id, depth, entering = stack.pop()
        if entering:
            counter += 1
            left[node_id] = counter
            stack.append((node_id, depth, False))
            for child in reversed(children.get(node_id, ())):
                stack.append((child, depth + 1, True))
        else:
            counter += 1
            numbers = (left.pop(node_id), counter, depth)
            if current.pop(node_id) != numbers:
                changed.append((node_id, *numbers))
    if current:
        raise ValueError(f"tree {tree_id} has {len(current)} rows not under its root")
    _write(changed)
    return len(changed)


def _write(changed):
    """Write (id, lft, rght, depth) rows through a temporary table and one UPDATE … FROM."""
    if not changed:
        return
    table = connection.ops.quote_name(Org._meta.db_table)
    with connection.cursor() as cursor:
        # A failed run inside a transaction takes the table with it; one outside a
        # transaction may leave it behind on this connection, hence IF EXISTS.
        cursor.execute("DROP TABLE IF EXISTS org_renumber")
        cursor.execute(
            "CREATE TEMPORARY TABLE org_renumber (id bigint PRIMARY KEY, lft integer, rght integer, depth integer)"
        )
        for start in range(0, len(changed), WRITE_BATCH):
            cursor.executemany(
                "INSERT INTO org_renumber (id, lft, rght, depth) VALUES (%s, %s, %s, %s)",
                changed[start : start + WRITE_BATCH],
            )
        cursor.execute(
            f"UPDATE {table} SET lft = r.lft, rght = r.rght, depth = r.depth "
            f"FROM org_renumber AS r WHERE {table}.id = r.id"
        )
        cursor.execute("DROP TABLE org_renumber")


def next_tree_id():
    last = Org.objects.order_by("-tree_id").values_list("tree_id", flat=True).first()
    return (last or 0) + 1
