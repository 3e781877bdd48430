"""What changed between versions, marked word by word: a reviewer reading a revision
sees which characters went and which came, not only that a row changed."""

import pytest
from django.urls import reverse

from plans import editing
from review import transitions
from review.diff import compare, marked
from review.models import Review

from .factories import filled_team_plan


def test_only_the_changed_characters_are_marked():
    old, new = marked("接待费压缩20%", "接待费压缩30%，基数为2013年支出")
    assert old == "接待费压缩<del>20</del>%"
    assert new == "接待费压缩<ins>30</ins>%<ins>，基数为2013年支出</ins>"


def test_what_is_marked_is_still_text():
    old, new = marked("<b>旧</b>\n第二行", "<b>新</b>\n第二行")
    assert old == "&lt;b&gt;<del>旧</del>&lt;/b&gt;<br>第二行"
    assert new == "&lt;b&gt;<ins>新</ins>&lt;/b&gt;<br>第二行"


def test_a_field_filled_or_emptied_is_all_marked():
    assert marked("", "新写的") == ("", "<ins>新写的</ins>")
    assert marked("删掉的", "") == ("<del>删掉的</del>", "")


@pytest.mark.django_db
def test_the_changes_page_marks_the_words(cast, client, leaders):
    plan = filled_team_plan(cast)
    review = transitions.submit(cast.filer, plan)
    step = review.steps.get(authority="provincial_group")
    problem = plan.items.filter(section="problems").order_by("category", "position", "id").first()
    transitions.return_for_revision(cast.group, step.pk, review.revision, [{"reason": "not_concrete"}])
    problem.refresh_from_db()
    editing.save_item(cast.filer, problem, problem.revision, {"text": problem.text + "（已补充具体表现）"})
    transitions.resubmit(cast.filer, plan)
    versions = {v.number: v.snapshot for v in Review.objects.get().versions.all()}
    change = next(c for s in compare(versions[1], versions[2]).sections for c in s.changes)
    assert change.kind == "changed" and change.fields[0][2].endswith("<ins>（已补充具体表现）</ins>")
    client.force_login(cast.group)
    html = client.get(reverse("review:changes", args=[plan.pk])).content.decode()
    assert "<ins>（已补充具体表现）</ins>" in html
