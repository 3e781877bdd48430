"""Nested-set numbering done in bulk.

django-mptt keeps (tree_id, lft, rght, depth) right one node at a time, which is what
the admin needs when somebody moves a unit. An import of tens of thousands of regions
instead inserts the rows with placeholder numbers and then renumbers each affected
tree here in one pass: one read of the tree, one bulk write of what changed.
"""

from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery

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


def ancestors_of(orgs):
    """{org id: [its ancestors, root first]} for several orgs, in one query.

    The ancestor of N at depth d is the depth-d node of N's tree with the greatest lft
    below N's (nodes of one depth never overlap), so each is one seek on the
    org_ancestors index instead of a scan of everything to N's left."""
    orgs = [org for org in orgs if org.depth]
    result = {org.pk: [] for org in orgs}
    if not orgs:
        return result
    ids = [org.pk for org in orgs]
    seeks = []
    for depth in range(max(org.depth for org in orgs)):
        nearest = (
            Org.objects.filter(tree_id=OuterRef("tree_id"), depth=depth, lft__lt=OuterRef("lft"))
            .order_by("-lft")
            .values("pk")[:1]
        )
        below = Org.objects.filter(pk__in=ids, depth__gt=depth).annotate(ancestor=Subquery(nearest))
        seeks.append(below.order_by().values("ancestor"))
    # One list of ids (UNION ALL) that the primary key is looked up by: an OR of one
    # IN per depth would be answered by reading every org.
    wanted = seeks[0].union(*seeks[1:], all=True) if len(seeks) > 1 else seeks[0]
    above = list(Org.objects.filter(pk__in=wanted).order_by("tree_id", "lft"))
    for org in orgs:
        result[org.pk] = [
            a for a in above if a.tree_id == org.tree_id and a.lft < org.lft and a.rght > org.rght
        ]
    return result


def above(region):
    """The orgs above REGION, top first: in its tree, at a smaller depth, around it. One
    range on the org_ancestors index (tree, depth, lft, rght), which for a county or a
    township holds a few hundred entries at most. ancestors_of answers for many orgs."""
    if not region.depth:
        return []
    return list(
        Org.objects.filter(
            tree_id=region.tree_id, depth__lt=region.depth, lft__lt=region.lft, rght__gt=region.rght
        ).order_by("depth")
    )


def lineage_ids(org):
    """The ids of ORG and of every org above it, read once (above) and kept on ORG, so
    the several questions of one request about who covers ORG each join a handful of
    ids instead of ranging over the tree."""
    if "_lineage_ids" not in org.__dict__:
        org.__dict__["_lineage_ids"] = [*(ancestor.pk for ancestor in above(org)), org.pk]
    return org.__dict__["_lineage_ids"]


def subtree(org, prefix="", include_self=True):
    """A Q for ORG's subtree. The descendants of a node are exactly the nodes of its tree
    whose lft lies between its lft and rght, so this is one range on the org_subtree index."""
    if include_self:
        bounds = {f"{prefix}lft__gte": org.lft, f"{prefix}lft__lte": org.rght}
    else:
        bounds = {f"{prefix}lft__gt": org.lft, f"{prefix}lft__lt": org.rght}
    return Q(**{f"{prefix}tree_id": org.tree_id}, **bounds)
