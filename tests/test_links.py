"""The links of loaded items (documents.items_by_document): each item's problems, the
inputs it answers and the team's problems it claims, read from the link tables by
document and handed over as prefetch_related would, must be the database's own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans import editing
from plans.checks import check
from plans.documents import LINKS, attachments_of, items_by_document, linked
from plans.models import Item

from .factories import fill_register, filled_individual, filled_team_plan

pytestmark = pytest.mark.django_db


def _as_stored(item, name):
    return sorted(getattr(Item.objects.get(pk=item.pk), name).values_list("pk", flat=True))


@pytest.fixture
def family(cast):
    """中共长沙县委's plan with its attachments, and a member's measures that claim the
    plan's problems and answer the member's register (links across documents)."""
    plan = filled_team_plan(cast, problems=8)
    measures = filled_individual(cast)
    fill_register(cast, person=cast.member_person)
    problems = list(plan.items.filter(section="problems").order_by("pk"))
    own = list(measures.items.filter(section="problems").order_by("pk"))
    entries = list(cast.committee.inputs.filter(person=cast.member_person).order_by("pk"))
    own[0].claims.set(problems[:2])
    own[-1].claims.set(problems[-1:])
    own[0].answers.set(entries[:1])
    return [plan, *attachments_of(plan)], measures


def test_every_loaded_link_is_the_one_stored(family):
    documents, measures = family
    for group in (documents, [measures]):
        loaded = items_by_document(group)
        items = [item for sections in loaded.values() for rows in sections.values() for item in rows]
        assert len(items) == Item.objects.filter(document__in=group).count()
        linked_somewhere = set()
        for item in items:
            for name in LINKS:
                found = linked(item, name)
                stored = _as_stored(item, name)
                assert sorted(target.pk for target in found) == stored, (item.pk, name)
                # Chained, the loaded links read this item's own from the database.
                assert sorted(getattr(item, name).filter().values_list("pk", flat=True)) == stored
                if found:
                    linked_somewhere.add(name)
        # The fixture links each kind somewhere, so each comparison above met real rows.
        assert linked_somewhere >= ({"addresses"} if group is documents else {"claims", "answers"})


def test_a_loaded_link_is_each_item_s_own_and_still_a_queryset(family):
    documents, _measures = family
    loaded = items_by_document(documents)
    measures = [item for item in loaded[documents[0].pk]["measures"] if linked(item, "addresses")]
    first, second = measures[0], measures[1]
    assert linked(first, "addresses") != linked(second, "addresses")
    # What one caller does with a list it was given changes nothing kept.
    linked(first, "addresses").clear()
    assert linked(first, "addresses")
    # A filter on the loaded links asks the database, about this item only.
    target = linked(first, "addresses")[0]
    assert list(first.addresses.filter(pk=target.pk)) == [target]
    assert list(second.addresses.filter(pk=target.pk)) == (
        [target] if target in linked(second, "addresses") else []
    )
    assert first.addresses.all().count() == len(linked(first, "addresses"))


def test_the_links_of_a_family_take_a_query_each_whatever_its_length(cast):
    plan = filled_team_plan(cast, problems=3)
    documents = [plan, *attachments_of(plan)]
    with CaptureQueriesContext(connection) as small:
        items_by_document(documents)
    for n in range(10):
        problem = editing.add_item(cast.filer, plan, "problems", {"text": f"后补的问题{n}"})
        editing.add_item(
            cast.filer, plan, "measures", {"text": f"后补的措施{n}"}, links={"addresses": [problem]}
        )
    with CaptureQueriesContext(connection) as large:
        items_by_document(documents)
    assert len(large.captured_queries) == len(small.captured_queries) == 1 + len(LINKS)
    # The same statements, whatever the number of rows: PostgreSQL keeps their plans.
    assert [q["sql"] for q in large.captured_queries[1:]] == [q["sql"] for q in small.captured_queries[1:]]


def test_a_check_reads_only_the_links_its_rules_read(family):
    documents, measures = family
    for document in (documents[0], measures):
        with CaptureQueriesContext(connection) as queries:
            checklist = check(document)
        tables = " ".join(query["sql"] for query in queries.captured_queries)
        # The links are read from their tables; the register's count (responses) joins
        # the answers' table into a query of its own, which is not a read of the links.
        assert 'FROM "plans_item_addresses"' in tables
        assert 'FROM "plans_item_claims"' not in tables
        assert 'FROM "plans_item_answers"' not in tables
        # The rows the checklist hands over still give any link asked for, from the database.
        for rows in checklist.sections.values():
            for item in rows:
                for name in LINKS:
                    assert sorted(target.pk for target in linked(item, name)) == _as_stored(item, name)
