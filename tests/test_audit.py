"""The audit (audit/): every write outside the review's own events leaves an entry,
who, when, what, before and after; a deletion its tombstone; nobody changes it; the
provincial office and the admin read it by document, person and region."""

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from audit.models import Action, Entry, Immutable
from plans import editing
from plans.documents import open_team_document
from plans.words import Source

from .importing import confirm, upload
from .sheets_samples import team_workbook


@pytest.fixture
def plan(cast):
    return open_team_document(cast.committee, cast.filer)


def problem_of(plan, cast, text="文山会海问题突出"):
    return editing.add_item(
        cast.filer, plan, "problems", {"category": plan.structure.problems.categories[0], "text": text}
    )


def entries(**filters):
    return list(Entry.objects.filter(**filters).order_by("id"))


# Drafting --------------------------------------------------------------------------------


def test_a_save_keeps_what_it_changed_before_and_after(cast, plan):
    item = editing.add_item(cast.filer, plan, "problems", {"text": "会议多"})
    added = entries(action=Action.ITEM_ADDED)[-1]
    assert added.actor == cast.filer and added.actor_name == "王丽"
    assert added.document_id == plan.pk and added.org_id == cast.csx.pk
    assert added.after["内容"] == "会议多" and added.before is None

    saved = editing.save_item(cast.filer, item, item.revision, {"text": "会议多、文件多", "unit": "县委办"})
    entry = entries(action=Action.ITEM_SAVED)[-1]
    assert entry.subject_id == item.pk and entry.subject.endswith("会议多、文件多")
    assert entry.before == {"内容": "会议多", "责任单位": ""}
    assert entry.after == {"内容": "会议多、文件多", "责任单位": "县委办"}
    assert entry.changes() == [("内容", "会议多", "会议多、文件多"), ("责任单位", "", "县委办")]

    # Saving what is already there changes nothing and records nothing.
    before = Entry.objects.count()
    editing.save_item(cast.filer, saved, saved.revision, {"text": "会议多、文件多"})
    assert Entry.objects.count() == before


def test_a_refused_save_records_nothing(cast, plan):
    item = editing.add_item(cast.filer, plan, "problems", {"text": "会议多"})
    before = Entry.objects.count()
    with pytest.raises(editing.Conflict):
        editing.save_item(cast.filer, item, item.revision + 5, {"text": "别人的版本之后"})
    assert Entry.objects.count() == before


def test_a_deleted_item_leaves_its_tombstone_and_the_office_reads_it(cast, plan, client):
    item = editing.add_item(
        cast.filer,
        plan,
        "problems",
        {"text": "公务接待超标准", "deadline": dt.date(2014, 12, 31), "unit": "县委办"},
    )
    client.force_login(cast.filer)
    answer = client.post(
        reverse("plans:item_delete", args=[item.pk]), {"revision": item.revision}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200
    tombstone = entries(action=Action.ITEM_DELETED)[-1]
    assert tombstone.before["内容"] == "公务接待超标准"
    assert tombstone.before["整改时限"] == "2014-12-31" and tombstone.before["责任单位"] == "县委办"
    assert tombstone.after is None and tombstone.actor == cast.filer

    client.force_login(cast.office)
    page = client.get(reverse("audit:index"), {"document": plan.pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert "删除条目" in text and "公务接待超标准" in text and "王丽" in text


def test_moves_and_the_header_are_recorded(cast, plan):
    first = editing.add_item(cast.filer, plan, "problems", {"text": "第一条"})
    editing.add_item(cast.filer, plan, "problems", {"text": "第二条"})
    assert editing.move_item(cast.filer, first, +1)
    moved = entries(action=Action.ITEM_MOVED)[-1]
    assert moved.before == {"序号": 1} and moved.after == {"序号": 2}

    editing.save_header(cast.filer, plan, plan.revision, {"meeting_name": "县委常委会第12次会议"})
    header = entries(action=Action.HEADER_SAVED)[-1]
    assert header.subject_type == "document" and header.document_id == plan.pk
    assert header.before == {"研究讨论的会议": ""}
    assert header.after == {"研究讨论的会议": "县委常委会第12次会议"}


def test_the_register_records_additions_edits_and_deletions(cast, client):
    entry = editing.add_input(cast.filer, cast.committee, Source.MASS_OPINION, "群众反映办事难")
    added = entries(action=Action.INPUT_ADDED)[-1]
    assert added.org_id == cast.csx.pk and "群众反映办事难" in added.subject
    assert "群众反映办事难" in added.after.values()

    editing.save_input(cast.filer, entry, entry.revision, {"text": "群众反映办事难、办事慢"})
    saved = entries(action=Action.INPUT_SAVED)[-1]
    assert list(saved.before.values()) == ["群众反映办事难"]
    assert list(saved.after.values()) == ["群众反映办事难、办事慢"]

    entry.refresh_from_db()
    editing.delete_input(cast.filer, entry)
    gone = entries(action=Action.INPUT_DELETED)[-1]
    assert "群众反映办事难、办事慢" in gone.before.values() and gone.after is None

    pasted = editing.add_inputs(
        cast.filer, cast.committee, Source.MASS_OPINION, [(1, "甲意见"), (2, "乙意见")]
    )
    assert len(pasted) == 2
    assert [e.subject.split("：")[-1] for e in entries(action=Action.INPUT_ADDED)[-2:]] == [
        "甲意见",
        "乙意见",
    ]


def test_an_import_is_recorded_with_its_file_and_rows(cast, client, plan):
    client.force_login(cast.filer)
    upload(client, plan, team_workbook(), name="长沙县清单.xlsx")
    done = confirm(client, plan)
    assert done.status_code == 200
    imported = entries(action=Action.IMPORTED)[-1]
    assert imported.after == {"file": "长沙县清单.xlsx", "rows": 8}
    assert imported.actor == cast.filer and imported.document_id == plan.pk


# Grants and the admin -------------------------------------------------------------------


def test_grants_given_and_withdrawn_in_the_admin_are_recorded(cast, client):
    client.force_login(cast.admin)
    url = reverse("admin:orgs_team_change", args=[cast.government.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data = {k: v for k, v in data.items() if not isinstance(v, list)} | {"filers": [cast.outsider.pk]}
    data.update(
        {
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
            "positions-MIN_NUM_FORMS": "0",
            "positions-MAX_NUM_FORMS": "1000",
        }
    )
    answer = client.post(url, data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    granted = entries(action=Action.GRANT_ADDED)[-1]
    assert granted.actor == cast.admin and granted.org_id == cast.csx.pk
    assert granted.after["holder"] == "outsider" and granted.after["right"] == "填报"
    changed = entries(action=Action.ADMIN)[-1]
    assert changed.subject.startswith("修改") and changed.actor == cast.admin
    # The admin's form says what it changed, before and after.
    (label,) = [label for label, value in changed.after.items() if value == ["outsider"]]
    assert changed.before[label] == []
    assert (label, "（无）", "outsider") in changed.changes()


# Nobody changes it -----------------------------------------------------------------------


def test_nobody_changes_or_deletes_an_entry(cast, plan):
    editing.add_item(cast.filer, plan, "problems", {"text": "会议多"})
    entry = Entry.objects.latest("id")
    entry.subject = "改过"
    with pytest.raises(Immutable):
        entry.save()
    with pytest.raises(Immutable):
        entry.delete()
    # Nor past the model: the database refuses an UPDATE.
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(subject="改过")
    entry.refresh_from_db()
    assert entry.subject != "改过"


# Who reads it ---------------------------------------------------------------------------


def test_only_the_office_and_the_admin_read_the_audit(cast, plan, client):
    editing.add_item(cast.filer, plan, "problems", {"text": "会议多"})
    for account in (cast.filer, cast.secretary, cast.group, cast.nobody):
        client.force_login(account)
        answer = client.get(reverse("audit:index"))
        assert answer.status_code == 403, account
        assert "操作记录只有省委教育实践活动办和系统管理员可以查看" in answer.content.decode()
    for account in (cast.office, cast.admin):
        client.force_login(account)
        answer = client.get(reverse("audit:index"))
        assert answer.status_code == 200 and "会议多" in answer.content.decode()


def test_the_office_reads_by_person_and_by_region(cast, plan, client):
    editing.add_item(cast.filer, plan, "problems", {"text": "长沙县的问题"})
    yx_plan = open_team_document(cast.yx_committee, cast.outsider)
    editing.add_item(cast.outsider, yx_plan, "problems", {"text": "攸县的问题"})
    client.force_login(cast.office)

    by_region = client.get(reverse("audit:index"), {"region": "4301"}).content.decode()
    assert "长沙县的问题" in by_region and "攸县的问题" not in by_region
    by_person = client.get(reverse("audit:index"), {"actor": "outsider"}).content.decode()
    assert "攸县的问题" in by_person and "长沙县的问题" not in by_person
    by_document = client.get(reverse("audit:index"), {"document": yx_plan.pk}).content.decode()
    assert "攸县的问题" in by_document and "长沙县的问题" not in by_document


@pytest.mark.parametrize(
    "query, message",
    [
        ({"document": "abc"}, "文件编号应是数字。"),
        ({"document": "99999999999999999999999"}, "文件编号应是数字。"),
        ({"region": "9999"}, "没有代码为“9999”的地区或单位。"),
        ({"action": "nonsense"}, "没有这种操作。"),
    ],
)
def test_a_bad_filter_is_said_not_a_500(cast, client, query, message):
    client.force_login(cast.office)
    answer = client.get(reverse("audit:index"), query)
    assert answer.status_code == 400 and message in answer.content.decode()
