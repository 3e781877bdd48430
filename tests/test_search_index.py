"""Search by name through the org_name_grams index (orgs/migrations/0003_org_name_grams.py):
the same results as the plain LIKE, on SQLite (no index) and on PostgreSQL (the index
narrows, the LIKE decides)."""

import pytest
from django.db import connection
from django.urls import reverse

from orgs.models import Org
from orgs.views import grams

pytestmark = pytest.mark.django_db


def test_grams_are_the_pairs_of_characters():
    assert grams("星沙") == ["星沙"]
    assert grams("长沙县") == ["沙县", "长沙"]
    assert grams("沙沙沙") == ["沙沙"]


@pytest.fixture
def odd_names(cast):
    """Names that test the pairs: a repeated character, a sign LIKE treats specially, a
    Latin letter (whose case icontains ignores), a space."""
    for name in ("沙沙洲村", "100%达标办", "XX公司党委", "x光室", "岳麓 书院"):
        Org.objects.create(parent=cast.csx, level=cast.csx.level, kind="organ", name=name)


QUERIES = [
    "星沙",
    "县",
    "村",
    "长沙县",
    "沙沙",
    "沙沙沙",
    "100%",
    "%",
    "_",
    "xx",
    "X",
    "岳麓 书",
    "网岭村委会",
    "没有这个",
    # Codes: a prefix every region shares, a city's, one whole code; and digits in a name.
    "43",
    "4301",
    "430121001",
    "100",
]


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_what_a_plain_like_finds(client, cast, odd_names, query):
    client.force_login(cast.office)  # reaches the whole tree
    expected = Org.objects.filter(name__icontains=query)
    if query.isdigit():
        expected = expected | Org.objects.filter(code__startswith=query)
    response = client.get(reverse("org_search"), {"q": query})
    found = response.context["page"].paginator.object_list
    assert sorted(found.values_list("pk", flat=True)) == sorted(expected.values_list("pk", flat=True))


def test_on_postgresql_the_index_serves_a_name_of_two_characters(cast):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT id FROM orgs_org WHERE org_name_grams(name) @> %s::text[]", [grams("星沙")]
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
            assert "org_name_grams" in plan and "Seq Scan" not in plan
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'org_name_grams'")
            assert cursor.fetchall() == []  # nothing of it on SQLite


def test_on_postgresql_the_index_takes_each_name_as_it_is_written(cast):
    """No pending list that every search would read through until a vacuum
    (orgs/migrations/0006_org_name_grams_without_pending_list.py)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'org_name_grams'")
            assert cursor.fetchone()[0] == ["fastupdate=off"]
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'org_name_grams'")
            assert cursor.fetchall() == []


def test_each_result_carries_its_line_above_root_first(cast):
    """ancestors_of answers for orgs of every depth and of both cities at once."""
    from orgs.tree import ancestors_of

    o = cast
    found = ancestors_of([o.kaiyuan, o.wangling, o.edu, o.changsha, o.hunan, o.furong])
    assert {pk: [org.name for org in line] for pk, line in found.items()} == {
        o.kaiyuan.pk: ["湖南省", "长沙市", "长沙县", "星沙街道"],
        o.wangling.pk: ["湖南省", "株洲市", "攸县"],
        o.edu.pk: ["湖南省", "长沙市", "长沙县"],
        o.changsha.pk: ["湖南省"],
        o.furong.pk: ["湖南省", "长沙市"],
    }
    assert ancestors_of([o.hunan]) == {}


def test_on_postgresql_a_search_by_code_reads_two_indexes_not_every_org(cast):
    """A search of digits asks for a code's prefix or a name holding them: each side has
    its index (orgs/views.py, org_search), which an OR with a bare LIKE would not use."""
    from django.db.models import Q

    from orgs.views import _name_holds

    matches = Q(code__startswith="4301") | _name_holds("4301")
    if connection.vendor != "postgresql":
        assert sorted(Org.objects.filter(matches).values_list("code", flat=True)) == [
            "4301",
            "430102",
            "430121",
            "430121001",
            "430121001001",
        ]
        return
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = Org.objects.filter(matches).explain()
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "org_name_grams" in plan and "code" in plan and "Seq Scan" not in plan, plan
