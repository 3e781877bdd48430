"""分轻重缓急 (section 一): every problem is weighed 急, 重 or 一般, in the editor and in the
versions a reviewer compares; the PDF and the Excel are tested with them
(tests/test_pdf.py, tests/test_spreadsheets.py)."""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from plans.documents import open_individual_document, open_team_document, snapshot
from plans.models import Item
from plans.structure import STRUCTURES
from plans.words import DocumentKind, Priority
from review.diff import compare

from .factories import filled_team_plan

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def save(client, item, **fields):
    item.refresh_from_db()
    return client.post(
        reverse("plans:item_save", args=[item.pk]), {"revision": item.revision, **fields}, **HX
    )


def test_every_problem_list_is_weighed_and_nothing_else():
    weighed = {
        (kind, section.code)
        for kind, structure in STRUCTURES.items()
        for section in structure.sections
        if "priority" in section.fields
    }
    assert weighed == {
        (DocumentKind.TEAM_PLAN, "problems"),
        (DocumentKind.SIMPLIFIED_PLAN, "problems"),
        (DocumentKind.GRASSROOTS_LIST, "entries"),
        (DocumentKind.INDIVIDUAL, "problems"),
    }
    assert [(code, str(label)) for code, label in Priority.choices] == [
        ("urgent", "急"),
        ("important", "重"),
        ("normal", "一般"),
    ]


def test_a_problem_not_weighed_is_normal(cast):
    plan = open_team_document(cast.committee, cast.filer)
    assert Item.objects.create(document=plan, section="problems", text="会多").priority == Priority.NORMAL


def test_the_editor_offers_the_priority_of_a_problem_and_saves_it(cast, client):
    client.force_login(cast.filer)
    plan = filled_team_plan(cast)
    problem = plan.items.filter(section="problems").order_by("category", "position").first()
    measure = plan.items.filter(section="measures").first()

    html = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert f'<label class="small text-secondary mb-0" for="priority-{problem.uid}">轻重缓急</label>' in html
    assert f'id="priority-{measure.uid}"' not in html  # a measure is not weighed
    assert (
        '<option value="urgent">急</option>' in html
        and '<option value="normal" selected>一般</option>' in html
    )

    assert (
        save(client, problem, category=problem.category, text=problem.text, priority="urgent").status_code
        == 200
    )
    problem.refresh_from_db()
    assert problem.priority == Priority.URGENT
    html = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert '<option value="urgent" selected>急</option>' in html

    # A form that does not send the field (a page opened before it existed) keeps it;
    # one that sends it empty means 一般.
    save(client, problem, category=problem.category, text="改了措辞")
    problem.refresh_from_db()
    assert (problem.text, problem.priority) == ("改了措辞", Priority.URGENT)
    save(client, problem, category=problem.category, text=problem.text, priority="")
    problem.refresh_from_db()
    assert problem.priority == Priority.NORMAL


def test_an_unknown_priority_is_marked_in_chinese_and_the_rest_of_the_row_is_saved(cast, client):
    client.force_login(cast.filer)
    plan = filled_team_plan(cast)
    problem = plan.items.filter(section="problems").first()
    before = problem.priority
    response = save(client, problem, category=problem.category, text="新的措辞", priority="最急")
    html = response.content.decode()
    assert "其他内容已保存" in html and "轻重缓急没有保存" in html
    problem.refresh_from_db()
    assert (problem.text, problem.priority) == ("新的措辞", before)


def test_read_only_pages_show_the_priority(cast, client):
    plan = filled_team_plan(cast)
    problem = plan.items.filter(section="problems").first()
    Item.objects.filter(pk=problem.pk).update(priority=Priority.IMPORTANT)
    plan.status = "submitted"
    plan.save()
    client.force_login(cast.filer)
    html = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert '<span class="badge text-bg-warning">轻重缓急：重</span>' in html


def test_individual_and_grassroots_problems_are_weighed_in_the_editor(cast, client):
    from guardian.shortcuts import assign_perm

    assign_perm("orgs.file_team", cast.filer, cast.kaiyuan_committee)
    client.force_login(cast.filer)
    community = open_team_document(cast.kaiyuan_committee, cast.filer)
    entry = Item.objects.create(document=community, section="entries", text="路灯不亮")
    html = client.get(reverse("plans:document", args=[community.pk])).content.decode()
    assert f'id="priority-{entry.uid}"' in html

    client.force_login(cast.member)
    measures = open_individual_document(cast.committee, cast.member_person, cast.member)
    mine = Item.objects.create(document=measures, section="problems", category="four_winds", text="调研少")
    html = client.get(reverse("plans:document", args=[measures.pk])).content.decode()
    assert f'id="priority-{mine.uid}"' in html


def test_a_new_version_lists_a_changed_priority(cast):
    plan = filled_team_plan(cast)
    before = snapshot(plan)
    problem = plan.items.filter(section="problems").first()
    Item.objects.filter(pk=problem.pk).update(priority=Priority.URGENT)
    diff = compare(before, snapshot(plan))
    [change] = [change for section in diff.sections for change in section.changes]
    assert change.uid == str(problem.uid)
    [(label, old, new)] = change.fields
    assert (label, strip_tags(old), strip_tags(new)) == ("轻重缓急", "一般", "急")
    assert "<del>一般</del>" in old and "<ins>急</ins>" in new


def test_a_version_from_before_problems_were_weighed_reads_as_normal(cast):
    plan = filled_team_plan(cast)
    old = snapshot(plan)
    for items in old["sections"].values():
        for item in items:
            del item["priority"]
    assert compare(old, snapshot(plan)).empty
