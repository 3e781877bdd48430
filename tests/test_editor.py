"""The document editor over HTTP: opening, autosave, conflicts, rows, links, the header,
read-only under review, and who may do what."""

import json
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from plans import editing
from plans.documents import open_individual_document, open_team_document
from plans.forms import TEXT_LIMITS
from plans.models import Document, Item
from plans.words import DocumentKind, Status

from .factories import fill_register, filled_team_plan

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
URLENCODED = "application/x-www-form-urlencoded"


@pytest.fixture
def as_user(client):
    def login(account):
        client.force_login(account)
        return client

    return login


def problem(plan, n=0):
    return plan.items.filter(section="problems").order_by("category", "position")[n]


def save(client, item, revision=None, **fields):
    """Post FIELDS over ITEM as its form would, at REVISION (default: as it stands now)."""
    if revision is None and Item.objects.filter(pk=item.pk).exists():
        item.refresh_from_db()
    data = {"revision": item.revision if revision is None else revision, **fields}
    return client.post(reverse("plans:item_save", args=[item.pk]), data, **HX)


def test_filer_starts_the_team_plan_from_the_team_page(cast, as_user):
    client = as_user(cast.filer)
    page = client.get(reverse("plans:team_documents", args=[cast.committee.pk]))
    assert page.status_code == 200
    assert "开始填写领导班子整改方案" in page.content.decode()

    response = client.post(reverse("plans:open_team", args=[cast.committee.pk]))
    plan = Document.objects.get(team=cast.committee, kind=DocumentKind.TEAM_PLAN)
    assert response.status_code == 302 and response.url == reverse("plans:document", args=[plan.pk])
    assert plan.attachments.count() == 2
    # A second click opens the same plan.
    client.post(reverse("plans:open_team", args=[cast.committee.pk]))
    assert Document.objects.filter(team=cast.committee, person__isnull=True).count() == 3

    html = client.get(response.url).content.decode()
    for heading in (
        "第一块 整改指导思想和基本原则",
        "第三块 查摆出的主要问题",
        "第六块 加强对整改工作的组织领导",
    ):
        assert heading in html
    assert "附件1" in html and "附件2" in html
    assert "党委书记主持制定" in html


def test_each_team_sees_only_its_own_form(cast, as_user):
    client = as_user(cast.filer)
    for team, kind in (
        (cast.xingsha_committee, "整改方案"),
        (cast.kaiyuan_committee, "整改清单"),
        (cast.edu_team, "整改方案"),
    ):
        assign_perm("orgs.file_team", cast.filer, team)
        client.post(reverse("plans:open_team", args=[team.pk]))
        document = Document.objects.get(team=team, person__isnull=True)
        html = client.get(reverse("plans:document", args=[document.pk])).content.decode()
        assert kind in document.title
        assert "第一块" not in html and "附件1" not in html
    assert Document.objects.get(team=cast.kaiyuan_committee).kind == DocumentKind.GRASSROOTS_LIST


def test_typing_saves_the_row(cast, as_user):
    client = as_user(cast.filer)
    plan = open_team_document(cast.committee, cast.filer)
    block = plan.items.get(section="principles")
    response = save(client, block, text="坚持问题导向，边学边查边改。")
    assert response.status_code == 200
    # The checklist comes with the answer: the page does not ask for it again.
    assert "document-changed" not in json.loads(response["HX-Trigger"])
    assert '<div id="checklist" hx-swap-oob="innerHTML">' in response.content.decode()
    block.refresh_from_db()
    assert block.text == "坚持问题导向，边学边查边改。" and block.revision == 2
    # The answer carries the new revision for the next save from the same form.
    assert f'id="rev-{block.uid}" value="2" hx-swap-oob="true"' in response.content.decode()


def test_deadlines_as_offices_write_them(cast, as_user):
    client = as_user(cast.filer)
    plan = filled_team_plan(cast)
    measure = plan.items.filter(section="measures").first()
    response = save(
        client,
        measure,
        category=measure.category,
        text=measure.text,
        owner="夏海波",
        deadline="2014年10月底前",
    )
    assert response.status_code == 200, response.content.decode()
    measure.refresh_from_db()
    assert measure.deadline.isoformat() == "2014-10-31" and measure.deadline_text == "2014年10月底前"
    assert measure.owner == cast.secretary_person and measure.owner_text == ""
    assert "2014年10月31日" in response.content.decode()

    save(
        client, measure, category=measure.category, text=measure.text, owner="县委办主任", deadline="长期坚持"
    )
    measure.refresh_from_db()
    assert measure.deadline is None and measure.deadline_text == "长期坚持"
    assert measure.owner is None and measure.owner_text == "县委办主任"


def test_an_unreadable_deadline_is_marked_and_the_rest_of_the_row_saved(cast, as_user):
    client = as_user(cast.filer)
    plan = filled_team_plan(cast)
    measure = plan.items.filter(section="measures").first()
    before = (measure.deadline, measure.deadline_text)
    response = save(client, measure, category=measure.category, text="改过的措施", deadline="尽快")
    assert response.status_code == 200
    html = response.content.decode()
    assert "其他内容已保存" in html and "整改时限没有保存" in html
    unread = json.loads(response["HX-Trigger"])["fields-unread"]
    assert unread["form"] == f"form-{measure.uid}"
    assert "看不懂整改时限“尽快”" in unread["fields"]["deadline"]
    measure.refresh_from_db()
    assert measure.text == "改过的措施"
    assert (measure.deadline, measure.deadline_text) == before
    # The next save from the same form carries the new revision.
    assert f'id="rev-{measure.uid}" value="{measure.revision}" hx-swap-oob="true"' in html


def test_a_saved_row_says_no_field_was_left_unread(cast, as_user):
    client = as_user(cast.filer)
    plan = filled_team_plan(cast)
    measure = plan.items.filter(section="measures").first()
    response = save(client, measure, category=measure.category, text=measure.text, deadline="年底前")
    assert json.loads(response["HX-Trigger"])["fields-unread"] == {
        "form": f"form-{measure.uid}",
        "fields": {},
    }
    measure.refresh_from_db()
    assert measure.deadline.isoformat() == "2014-12-31" and measure.deadline_text == "年底前"


def test_a_deadline_without_a_year_is_read_in_the_plan_s_year(cast, as_user):
    client = as_user(cast.filer)
    plan = filled_team_plan(cast)
    client.post(
        reverse("plans:header_save", args=[plan.pk]),
        {"revision": plan.revision, "unit_name": plan.unit_name, "dated": "2015-01-20"},
        **HX,
    )
    measure = plan.items.filter(section="measures").first()
    for words, date in (("第三季度", "2015-09-30"), ("本月底", "2015-01-31"), ("立即整改", "2015-01-20")):
        response = save(client, measure, category=measure.category, text=measure.text, deadline=words)
        assert response.status_code == 200
        measure.refresh_from_db()
        assert (measure.deadline.isoformat(), measure.deadline_text) == (date, words)


def test_text_over_its_limit_is_not_saved_and_the_other_fields_are(cast, as_user):
    client = as_user(cast.filer)
    plan = filled_team_plan(cast)
    measure = plan.items.filter(section="measures").first()
    before = measure.text
    response = save(
        client, measure, category=measure.category, text="字" * (TEXT_LIMITS["text"] + 1), deadline="年底前"
    )
    assert response.status_code == 200
    unread = json.loads(response["HX-Trigger"])["fields-unread"]["fields"]
    assert list(unread) == ["text"]
    assert f"超过 {TEXT_LIMITS['text']} 字（现有 {TEXT_LIMITS['text'] + 1} 字）" in unread["text"]
    measure.refresh_from_db()
    assert measure.text == before and measure.deadline_text == "年底前"


def test_a_field_the_page_held_back_is_left_as_saved(cast, as_user):
    client = as_user(cast.filer)
    plan = filled_team_plan(cast)
    measure = plan.items.filter(section="measures").first()
    before = measure.text
    response = client.post(
        reverse("plans:item_save", args=[measure.pk]),
        {"revision": measure.revision, "category": measure.category, "held": "text", "deadline": "年内"},
        **HX,
    )
    assert response.status_code == 200
    measure.refresh_from_db()
    assert measure.text == before and measure.deadline_text == "年内"


def test_a_request_too_large_is_refused_in_chinese_and_changes_nothing(cast, as_user):
    client = as_user(cast.filer)
    plan = filled_team_plan(cast)
    measure = plan.items.filter(section="measures").first()
    before = (measure.text, measure.revision)
    pasted = "整改" * 150_000  # 300,000 characters: 2.7 MB as the form htmx sends
    form = urlencode({"revision": measure.revision, "category": measure.category, "text": pasted})
    assert len(form) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(reverse("plans:item_save", args=[measure.pk]), form, content_type=URLENCODED, **HX)
    assert response.status_code == 413
    html = response.content.decode()
    assert "这次提交的内容太多（超过 2.5 MB），没有保存" in html
    assert "RequestDataTooBig" not in html and "<html" not in html
    measure.refresh_from_db()
    assert (measure.text, measure.revision) == before
    # Outside the editor, the same reason on a page of its own.
    page = client.post(
        reverse("plans:register", args=[cast.committee.pk]),
        urlencode({"text": pasted}),
        content_type=URLENCODED,
    )
    assert page.status_code == 413
    assert "提交的内容太多" in page.content.decode() and "RequestDataTooBig" not in page.content.decode()


def test_two_people_saving_the_same_row_get_a_conflict_with_both_versions(cast, as_user, client):
    plan = filled_team_plan(cast)
    row = problem(plan)
    loaded = row.revision
    client.force_login(cast.member)
    first = save(client, row, loaded, category=row.category, text="欧阳明辉改的问题")
    assert first.status_code == 200

    client.force_login(cast.filer)
    second = save(client, row, loaded, category=row.category, text="王丽改的问题")
    assert second.status_code == 409
    html = second.content.decode()
    assert "欧阳明辉改的问题" in html and "王丽改的问题" in html
    assert "保留我的版本" in html and "采用对方的版本" in html
    row.refresh_from_db()
    assert row.text == "欧阳明辉改的问题"

    # "Keep mine" saves again on top of their revision.
    keep = save(client, row, row.revision, category=row.category, text="王丽改的问题")
    assert keep.status_code == 200
    row.refresh_from_db()
    assert row.text == "王丽改的问题"


def test_saving_a_row_somebody_deleted_offers_to_keep_it_as_a_new_row(cast, as_user):
    client = as_user(cast.filer)
    plan = filled_team_plan(cast)
    row = problem(plan)
    client.post(reverse("plans:item_delete", args=[row.pk]), {"revision": row.revision}, **HX)
    response = save(client, row, category=row.category, text="还在我屏幕上的内容")
    # The row no longer exists for anybody.
    assert response.status_code == 404
    before = plan.items.filter(section="problems").count()
    again = client.post(
        reverse("plans:item_add", args=[plan.pk]),
        {"section": "problems", "category": row.category, "text": "还在我屏幕上的内容"},
        **HX,
    )
    assert again.status_code == 200
    assert plan.items.filter(section="problems").count() == before + 1
    assert plan.items.filter(text="还在我屏幕上的内容").exists()


def test_rows_are_added_moved_and_removed(cast, as_user):
    client = as_user(cast.filer)
    plan = filled_team_plan(cast, problems=10)
    category = problem(plan).category
    add = client.post(
        reverse("plans:item_add", args=[plan.pk]), {"section": "problems", "category": category}, **HX
    )
    assert add.status_code == 200
    added = plan.items.filter(section="problems", category=category).order_by("-position").first()
    assert f'id="item-{added.uid}"' in add.content.decode()
    assert "problems-changed" in json.loads(add["HX-Trigger"])

    siblings = list(plan.items.filter(section="problems", category=category).order_by("position"))
    move = client.post(reverse("plans:item_move", args=[added.pk]), {"step": "up"}, **HX)
    assert move.status_code == 200
    assert json.loads(move["HX-Trigger"])["item-moved"] == {"id": f"item-{added.uid}", "step": -1}
    order = list(plan.items.filter(section="problems", category=category).order_by("position"))
    assert order[-2] == added and order[-1] == siblings[-2]

    stale = client.post(reverse("plans:item_delete", args=[added.pk]), {"revision": added.revision + 5}, **HX)
    assert stale.status_code == 409 and stale["HX-Retarget"] == f"#fb-{added.uid}"
    assert Item.objects.filter(pk=added.pk).exists()
    gone = client.post(reverse("plans:item_delete", args=[added.pk]), {"revision": added.revision}, **HX)
    assert gone.status_code == 200
    assert not Item.objects.filter(pk=added.pk).exists()


def test_links_are_only_written_when_the_picker_was_sent(cast, as_user):
    client = as_user(cast.filer)
    plan = filled_team_plan(cast)
    row = problem(plan)
    cited = list(row.answers.all())
    assert cited
    save(client, row, category=row.category, text="只改文字")
    assert list(row.answers.all()) == cited

    entries = fill_register(cast, per_source=1)
    response = save(
        client,
        row,
        category=row.category,
        text="只改文字",
        links="answers",
        answers=[entries[0].pk, entries[1].pk],
    )
    assert response.status_code == 200
    assert set(row.answers.all()) == {entries[0], entries[1]}

    # An input of another team's register is not a choice here.
    other = fill_register(cast, team=cast.yx_committee)[0]
    refused = save(client, row, category=row.category, links="answers", answers=[other.pk])
    assert list(json.loads(refused["HX-Trigger"])["fields-unread"]["fields"]) == ["answers"]
    assert set(row.answers.all()) == {entries[0], entries[1]}


def test_a_category_outside_the_section_is_refused(cast, as_user):
    client = as_user(cast.filer)
    plan = filled_team_plan(cast)
    row = problem(plan)
    response = save(client, row, category="style_and_four_winds", text="类别之外的文字照样保存")
    unread = json.loads(response["HX-Trigger"])["fields-unread"]["fields"]
    assert unread == {"category": "选择一个有效的选项。 style_and_four_winds 不在可用的选项中。"}
    row.refresh_from_db()
    assert row.category != "style_and_four_winds" and row.text == "类别之外的文字照样保存"


def test_the_header_records_the_standing_committee_meeting(cast, as_user):
    client = as_user(cast.filer)
    plan = open_team_document(cast.committee, cast.filer)
    url = reverse("plans:header_save", args=[plan.pk])
    data = {
        "revision": plan.revision,
        "unit_name": "中共长沙县委",
        "dated": "2014-08-25",
        "presided_by_secretary": "on",
        "meeting_name": "县委常委会第42次会议",
        "meeting_date": "2014-08-20",
    }
    assert client.post(url, data, **HX).status_code == 200
    plan.refresh_from_db()
    assert plan.presided_by_secretary and plan.meeting_name == "县委常委会第42次会议"
    assert plan.meeting_date.isoformat() == "2014-08-20"
    stale = client.post(url, data | {"meeting_name": "旧页面"}, **HX)
    assert stale.status_code == 409 and "县委常委会第42次会议" in stale.content.decode()
    plan.refresh_from_db()
    assert plan.meeting_name == "县委常委会第42次会议"
    # A date that cannot be read is named; the rest of the header is saved.
    bad = client.post(
        url, data | {"revision": plan.revision, "meeting_date": "8月20日", "meeting_name": "第43次会议"}, **HX
    )
    assert bad.status_code == 200 and "会议日期没有保存" in bad.content.decode()
    assert set(json.loads(bad["HX-Trigger"])["fields-unread"]["fields"]) == {"meeting_date"}
    plan.refresh_from_db()
    assert plan.meeting_name == "第43次会议" and plan.meeting_date.isoformat() == "2014-08-20"


def test_a_header_field_over_its_limit_or_held_back_keeps_what_was_saved(cast, as_user):
    client = as_user(cast.filer)
    plan = open_team_document(cast.committee, cast.filer)
    url = reverse("plans:header_save", args=[plan.pk])
    base = {"revision": plan.revision, "unit_name": "中共长沙县委", "meeting_name": "县委常委会第42次会议"}
    assert client.post(url, base, **HX).status_code == 200
    plan.refresh_from_db()
    long_name = "县委常委会" * 41  # 205 characters, past the 200 the field holds
    response = client.post(url, base | {"revision": plan.revision, "meeting_name": long_name}, **HX)
    assert response.status_code == 200 and "研究讨论的会议没有保存" in response.content.decode()
    plan.refresh_from_db()
    assert plan.meeting_name == "县委常委会第42次会议"
    # What the page holds back in the browser is not sent, and is left as saved.
    held = {"revision": plan.revision, "unit_name": "中共长沙县委员会", "held": "meeting_name"}
    assert client.post(url, held, **HX).status_code == 200
    plan.refresh_from_db()
    assert (plan.unit_name, plan.meeting_name) == ("中共长沙县委员会", "县委常委会第42次会议")
    page = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert 'name="meeting_name"' in page and 'data-limit="200"' in page


def test_the_checklist_turns_green_and_flags_rows(cast, as_user):
    client = as_user(cast.filer)
    plan = open_team_document(cast.committee, cast.filer)
    html = client.get(reverse("plans:checklist", args=[plan.pk]), **HX).content.decode()
    assert "须整改" in html and "可以提交" not in html

    plan = filled_team_plan(cast)
    html = client.get(reverse("plans:checklist", args=[plan.pk]), **HX).content.decode()
    assert "可以提交" in html
    measure = plan.items.filter(section="measures").first()
    saved = save(client, measure, category=measure.category, text=measure.text, owner="", deadline="")
    # The save's own answer carries the checklist and the row's flags.
    answer = saved.content.decode()
    assert "没有具体明确整改责任人" in answer and f'id="flags-{measure.uid}" hx-swap-oob="true"' in answer
    html = client.get(reverse("plans:checklist", args=[plan.pk]), **HX).content.decode()
    assert "没有具体明确整改责任人" in html and "没有具体明确整改时限" in html
    assert f'id="flags-{measure.uid}" hx-swap-oob="true"' in html
    assert "无责任人" in html


def test_under_review_the_document_is_read_only(cast, as_user):
    client = as_user(cast.filer)
    plan = filled_team_plan(cast)
    Document.objects.filter(pk=plan.pk).update(status=Status.SUBMITTED)
    html = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert "现在只读" in html and "<textarea" not in html
    row = problem(plan)
    response = save(client, row, category=row.category, text="审阅中偷偷改")
    assert response.status_code == 403
    assert "审阅中，现在不能修改" in response.content.decode()
    assert response["HX-Retarget"] == "#page-error"
    row.refresh_from_db()
    assert row.text != "审阅中偷偷改"
    add = client.post(reverse("plans:item_add", args=[plan.pk]), {"section": "problems"}, **HX)
    assert add.status_code == 403


def test_who_may_see_and_edit(cast, as_user):
    plan = filled_team_plan(cast)
    row = problem(plan)
    page = reverse("plans:document", args=[plan.pk])
    # Outsiders and supervision groups do not see a draft at all.
    for account in (cast.outsider, cast.group, cast.nobody):
        client = as_user(account)
        assert client.get(page).status_code == 404
        assert save(client, row, text="x").status_code == 404
    # A member of the team edits; the principal of another team does not see it.
    assert save(as_user(cast.member), row, category=row.category, text="成员改").status_code == 200
    assert as_user(cast.principal).get(page).status_code == 404
    # Once submitted, the supervision group reads it but cannot change it.
    Document.objects.filter(pk=plan.pk).update(status=Status.SUBMITTED)
    client = as_user(cast.group)
    html = client.get(page).content.decode()
    assert "成员改" in html and "<textarea" not in html
    assert save(client, row, text="督导组改").status_code == 403


def test_a_leader_opens_their_own_measures_only(cast, as_user):
    member = as_user(cast.member)
    url = reverse("plans:open_measures", args=[cast.committee.pk, cast.member_person.pk])
    response = member.post(url)
    document = Document.objects.get(person=cast.member_person)
    assert response.url == reverse("plans:document", args=[document.pk])
    html = member.get(response.url).content.decode()
    assert "第一版块 问题清单" in html and "第二版块 整改措施" in html
    assert "为官不为" in html
    other = reverse("plans:open_measures", args=[cast.committee.pk, cast.secretary_person.pk])
    assert member.post(other).status_code == 403
    assert not Document.objects.filter(person=cast.secretary_person).exists()
    # The team's filer may open anyone's; a stranger cannot reach the team at all.
    assert as_user(cast.filer).post(other).status_code == 302
    assert as_user(cast.outsider).post(other).status_code == 404


def test_individual_measures_claim_the_team_problems(cast, as_user):
    plan = filled_team_plan(cast)
    document = open_individual_document(cast.committee, cast.member_person, cast.member)
    client = as_user(cast.member)
    add = client.post(
        reverse("plans:item_add", args=[document.pk]), {"section": "problems", "category": "four_winds"}, **HX
    )
    assert add.status_code == 200
    row = document.items.get(section="problems")
    team_problem = problem(plan)
    picker = client.get(reverse("plans:item_picker", args=[row.pk, "claims"]), **HX).content.decode()
    assert team_problem.text[:20] in picker
    response = save(
        client,
        row,
        category="four_winds",
        text="调研走访偏少",
        inaction="on",
        links="claims",
        claims=[team_problem.pk],
    )
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.inaction and list(row.claims.all()) == [team_problem]


def test_an_expired_session_answers_htmx_with_401_not_the_login_page(cast, client):
    plan = filled_team_plan(cast)
    row = problem(plan)
    response = save(client, row, text="会话过期时输入的内容")
    assert response.status_code == 401
    assert "在新窗口重新登录" in response.content.decode()
    assert client.get(reverse("plans:document", args=[plan.pk])).status_code == 302


def test_the_document_page_costs_the_same_queries_at_any_length(cast, as_user):
    client = as_user(cast.filer)
    plan = filled_team_plan(cast, problems=5)
    url = reverse("plans:document", args=[plan.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(25):
        client.post(
            reverse("plans:item_add", args=[plan.pk]), {"section": "problems", "category": "four_winds"}, **HX
        )
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_last_changed_names_the_person_who_changed_it(cast, as_user):
    plan = filled_team_plan(cast)
    row = problem(plan)
    editing.save_item(cast.member, row, row.revision, {"text": "欧阳明辉改的"})
    client = as_user(cast.filer)
    html = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert re.search(r"最后修改 [\d\- :]+ · 欧阳明辉</span>", html)
    # An account with no person is named by its full name, else its username.
    editing.save_item(cast.filer, row, row.revision, {"text": "王丽改的"})
    html = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert re.search(r"最后修改 [\d\- :]+ · 王丽</span>", html)


def test_submitting_asks_first_and_says_where_the_document_goes(cast, as_user, leaders):
    plan = filled_team_plan(cast)
    html = as_user(cast.filer).get(reverse("plans:document", args=[plan.pk])).content.decode()
    form = re.search(r'<form[^>]*action="{}"[^>]*>'.format(reverse("review:submit", args=[plan.pk])), html)
    assert form, "no submit form"
    confirm = re.search(r'data-confirm="([^"]*)"', form.group(0)).group(1)
    assert confirm.startswith("报送后，本文件连同附件冻结为不可更改的版本")
    assert "将依次送：" in confirm and "省委派驻该市州督导组" in confirm and confirm.endswith("确定报送吗？")
