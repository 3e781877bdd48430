"""点名通报: the provincial office gathers findings into a bulletin, issues it under the
next number of the year, and the regions it names are told; an issued bulletin never
changes, on the page, in the PDF, in the admin or in the database.

The findings are rows made here (a spot check of the office, documents filed by the
cast's teams): the spot checks' own rules (oversight.rules) and pages are written apart.
"""

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from guardian.shortcuts import assign_perm

from dashboard.views import bulletins_naming
from orgs.models import Authority, AuthorityKind
from oversight import transitions
from oversight.bulletin_access import issued_for
from oversight.models import Bulletin, Event, Finding, Frozen, SpotCheck
from oversight.pdf import render_bulletin_pdf
from oversight.words import Action, BulletinState, FindingState, Severity
from plans.models import Document
from plans.words import DocumentKind, Status
from review.models import Notification
from review.moves import NotAllowed, Stale

from .conftest import fresh, user
from .pdfs import get_pdf
from .test_pdf_layout import assert_first_character_moves_right_two, signature_lines

pytestmark = pytest.mark.django_db

DAY = dt.date(2014, 8, 20)
TITLE = "关于部分县市区整改方案抽查情况的通报"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


# The findings ---------------------------------------------------------------------------


def document(team, kind=DocumentKind.TEAM_PLAN, person=None, title=None):
    return Document.objects.create(
        team=team,
        kind=kind,
        person=person,
        title=title or f"{team.name}整改方案",
        status=Status.SUBMITTED,
    )


@pytest.fixture
def found(cast):
    """The office's spot check of the province and what it found: two findings on the
    county committee's plan (one on an item), one on a member's measures, one on 攸县's
    plan and one on 长沙县教育局's (a unit, which hangs under 长沙县)."""
    check = SpotCheck.objects.create(
        authority=cast.office_body, region=cast.hunan, title="省委教育实践活动办抽查", opened_by=cast.office
    )

    def find(doc, ground, severity, text, item_text=""):
        return Finding.objects.create(
            spot_check=check,
            document=doc,
            ground=ground,
            severity=severity,
            text=text,
            item_text=item_text,
            requires_rectification=True,
            state=FindingState.OPEN,
            created_by=cast.office,
        )

    plan = document(cast.committee)
    measures = document(
        cast.committee, DocumentKind.INDIVIDUAL, cast.member_person, title="欧阳明辉同志个人整改措施"
    )
    yx_plan = document(cast.yx_committee)
    edu_plan = document(cast.edu_team, DocumentKind.SIMPLIFIED_PLAN)
    cast.check = check
    cast.f_plan = find(
        plan,
        "four_responses",
        Severity.SERIOUS,
        "问题清单未回应群众意见中反映集中的征地拆迁问题",
        "进一步加强作风建设",
    )
    cast.f_owner = find(plan, "no_owner", Severity.GENERAL, "第三条整改措施没有明确责任人")
    cast.f_member = find(measures, "not_concrete", Severity.MINOR, "整改措施多为“进一步加强”，不具体")
    cast.f_yx = find(yx_plan, "no_deadline", Severity.GENERAL, "整改措施没有明确时限")
    cast.f_edu = find(edu_plan, "not_targeted", Severity.GENERAL, "整改措施与查摆的问题对不上")
    return cast


def draft(cast, findings, title=TITLE, dated=DAY):
    return transitions.save_bulletin(
        cast.office,
        None,
        0,
        title,
        dated,
        "现将抽查发现的问题通报如下：",
        "请认真整改。",
        [f.pk for f in findings],
    )


def issued(cast, findings, **kwargs):
    bulletin = draft(cast, findings, **kwargs)
    return transitions.issue(cast.office, bulletin.pk, bulletin.revision)


def as_user(client, account):
    client.force_login(account)
    return client


def page(response):
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def pdf_text(pdf, tmp_path, name):
    """The PDF's text as poppler reads it, white space removed; the PDF is left in
    test-artifacts/ to be looked at."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(pdf)
    path = tmp_path / name
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True)
    return "".join(out.stdout.split())


# The office drafts, edits and issues -------------------------------------------------


def test_the_office_drafts_edits_and_issues_a_bulletin_on_its_pages(found, client):
    cast = found
    as_user(client, cast.office)
    form = client.get(reverse("oversight:bulletin_new"))
    assert form.status_code == 200
    text = page(form)
    for finding in (cast.f_plan, cast.f_member, cast.f_yx, cast.f_edu):
        assert finding.text in text
    assert "长沙县" in text and "攸县" in text and "省委教育实践活动办" in text

    response = client.post(
        reverse("oversight:bulletin_new"),
        {
            "revision": "0",
            "title": TITLE,
            "dated": "2014-08-20",
            "opening": "现将抽查发现的问题通报如下：",
            "closing": "请认真整改。",
            "findings": [cast.f_plan.pk, cast.f_owner.pk],
        },
    )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:bulletin", args=[bulletin.pk])
    assert set(bulletin.findings.all()) == {cast.f_plan, cast.f_owner}
    assert bulletin.state == BulletinState.DRAFT and bulletin.number is None

    edit = client.get(reverse("oversight:bulletin_edit", args=[bulletin.pk]))
    assert f'value="{TITLE}"' in page(edit)
    assert f'value="{cast.f_plan.pk}" id="finding-{cast.f_plan.pk}" checked' in page(edit)
    response = client.post(
        reverse("oversight:bulletin_edit", args=[bulletin.pk]),
        {
            "revision": str(bulletin.revision),
            "title": TITLE + "（二）",
            "dated": "2014-08-21",
            "opening": "导语",
            "closing": "要求",
            "findings": [cast.f_plan.pk, cast.f_member.pk],
        },
    )
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.title == TITLE + "（二）" and bulletin.dated == dt.date(2014, 8, 21)
    assert set(bulletin.findings.all()) == {cast.f_plan, cast.f_member}

    detail = page(client.get(reverse("oversight:bulletin", args=[bulletin.pk])))
    assert "征求意见稿" in detail and cast.f_member.text in detail and 'id="issue-bulletin"' in detail
    assert "（一）长沙县：中共长沙县委常委班子" in detail
    assert "（二）长沙县：中共长沙县委常委班子欧阳明辉同志" in detail

    response = client.post(
        reverse("oversight:bulletin_issue", args=[bulletin.pk]), {"revision": bulletin.revision}, follow=True
    )
    assert "已印发，文号湘群办通报〔2014〕1号" in messages_of(response)[0]
    bulletin.refresh_from_db()
    assert bulletin.state == BulletinState.ISSUED and (bulletin.year, bulletin.number) == (2014, 1)
    assert bulletin.content["number"] == "湘群办通报〔2014〕1号"
    assert [region.name for region in bulletin.regions.all()] == ["长沙县"]
    assert list(bulletin.events.values_list("action", flat=True)) == [
        Action.DRAFT_BULLETIN,
        Action.EDIT_BULLETIN,
        Action.ISSUE,
    ]
    text = page(response)
    assert "湘群办通报〔2014〕1号" in text and "征求意见稿" not in text
    assert 'id="issue-bulletin"' not in text and 'id="edit-bulletin"' not in text


def test_numbers_run_in_order_within_each_year(found):
    cast = found
    first = draft(cast, [cast.f_plan], title="第一份")
    other_year = draft(cast, [cast.f_yx], title="下一年的", dated=dt.date(2015, 1, 5))
    second = draft(cast, [cast.f_member], title="第二份")
    for bulletin in (first, other_year, second):
        transitions.issue(cast.office, bulletin.pk, bulletin.revision)
    numbers = {b.title: (b.year, b.number, b.content["number"]) for b in Bulletin.objects.all()}
    assert numbers == {
        "第一份": (2014, 1, "湘群办通报〔2014〕1号"),
        "下一年的": (2015, 1, "湘群办通报〔2015〕1号"),
        "第二份": (2014, 2, "湘群办通报〔2014〕2号"),
    }


def test_a_second_issue_is_refused_with_a_clear_message(found, client):
    cast = found
    bulletin = draft(cast, [cast.f_plan])
    as_user(client, cast.office)
    url = reverse("oversight:bulletin_issue", args=[bulletin.pk])
    client.post(url, {"revision": bulletin.revision}, follow=True)
    # The double click: the same page, the same revision.
    response = client.post(url, {"revision": bulletin.revision}, follow=True)
    assert messages_of(response) == ["这份通报已经印发（湘群办通报〔2014〕1号），不能再次印发。"]
    assert Bulletin.objects.get().number == 1
    assert Event.objects.filter(action=Action.ISSUE).count() == 1
    with pytest.raises(Stale):
        transitions.issue(cast.office, bulletin.pk, bulletin.revision + 1)


def test_an_empty_draft_is_not_issued(found, client):
    cast = found
    bulletin = draft(cast, [])
    as_user(client, cast.office)
    detail = page(client.get(reverse("oversight:bulletin", args=[bulletin.pk])))
    assert "通报还没有选入任何发现问题。" in detail and 'id="issue-bulletin"' not in detail
    response = client.post(
        reverse("oversight:bulletin_issue", args=[bulletin.pk]), {"revision": bulletin.revision}, follow=True
    )
    assert messages_of(response) == ["通报还没有选入任何发现问题。"]
    assert Bulletin.objects.get().state == BulletinState.DRAFT


def test_issue_answers_only_a_post(found, client):
    cast = found
    bulletin = draft(cast, [cast.f_plan])
    as_user(client, cast.office)
    assert client.get(reverse("oversight:bulletin_issue", args=[bulletin.pk])).status_code == 405
    assert Bulletin.objects.get().state == BulletinState.DRAFT


def test_a_visitor_is_sent_to_log_in(found, client):
    bulletin = draft(found, [found.f_plan])
    response = client.get(reverse("oversight:bulletin", args=[bulletin.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# Refused forms keep what was typed ---------------------------------------------------


def test_a_refused_form_keeps_everything_typed(found, client):
    cast = found
    as_user(client, cast.office)
    typed = {
        "revision": "0",
        "title": "   ",
        "dated": "2014-08-20",
        "opening": "这是刚写的导语",
        "closing": "这是刚写的要求",
        "findings": [cast.f_owner.pk],
    }
    response = client.post(reverse("oversight:bulletin_new"), typed)
    assert response.status_code == 200
    text = page(response)
    assert "这是刚写的导语" in text and "这是刚写的要求" in text
    assert f'value="{cast.f_owner.pk}" id="finding-{cast.f_owner.pk}" checked' in text
    assert f'value="{cast.f_plan.pk}" id="finding-{cast.f_plan.pk}" checked' not in text
    assert not Bulletin.objects.exists()

    # A finding the office may not name (gone, or never offered) is refused the same way.
    response = client.post(reverse("oversight:bulletin_new"), typed | {"title": TITLE, "findings": [999999]})
    assert "所选的发现问题不在您的督导范围内" in page(response) and TITLE in page(response)
    assert not Bulletin.objects.exists()


def test_an_edit_over_another_edit_is_refused_and_keeps_the_text(found, client):
    cast = found
    colleague = user("colleague")
    cast.office_body.group.user_set.add(colleague)
    bulletin = draft(cast, [cast.f_plan])
    seen = bulletin.revision
    transitions.save_bulletin(colleague, bulletin.pk, seen, "同事改的标题", DAY, "", "", [cast.f_plan.pk])
    as_user(client, cast.office)
    typed = {
        "revision": str(seen),
        "title": "我改的标题",
        "dated": "2014-08-20",
        "opening": "我写的导语",
        "closing": "",
        "findings": [cast.f_plan.pk, cast.f_yx.pk],
    }
    url = reverse("oversight:bulletin_edit", args=[bulletin.pk])
    response = client.post(url, typed)
    assert response.status_code == 200
    assert messages_of(response) == ["通报刚刚有人修改过，请刷新页面后再改。"]
    text = page(response)
    assert "我改的标题" in text and "我写的导语" in text
    bulletin.refresh_from_db()
    assert bulletin.title == "同事改的标题"
    assert f'name="revision" value="{bulletin.revision}"' in text
    # Saving again, knowingly, replaces the colleague's change.
    client.post(url, typed | {"revision": str(bulletin.revision)})
    bulletin.refresh_from_db()
    assert bulletin.title == "我改的标题" and bulletin.findings.count() == 2


# An issued bulletin never changes ----------------------------------------------------


def test_an_issued_bulletin_is_not_edited(found, client):
    cast = found
    bulletin = issued(cast, [cast.f_plan])
    as_user(client, cast.office)
    url = reverse("oversight:bulletin_edit", args=[bulletin.pk])
    response = client.get(url, follow=True)
    assert messages_of(response) == ["通报已经印发，不能再修改。"]
    response = client.post(
        url,
        {"revision": bulletin.revision, "title": "改过", "dated": "2014-08-20", "findings": []},
        follow=True,
    )
    assert messages_of(response) == ["通报已经印发，不能再修改。"]
    assert Bulletin.objects.get().title == TITLE
    with pytest.raises(Stale):
        transitions.save_bulletin(cast.office, bulletin.pk, bulletin.revision, "改过", DAY, "", "", [])


def test_the_issued_text_stays_when_a_finding_changes(found, client, tmp_path):
    cast = found
    bulletin = issued(cast, [cast.f_plan, cast.f_member])
    frozen = Bulletin.objects.get().content
    Finding.objects.filter(pk=cast.f_plan.pk).update(text="后来改写的问题", severity=Severity.MINOR)
    Document.objects.filter(pk=cast.f_plan.document_id).update(title="改了标题的方案")

    bulletin = Bulletin.objects.get()
    assert bulletin.content == frozen
    as_user(client, cast.office)
    text = page(client.get(reverse("oversight:bulletin", args=[bulletin.pk])))
    assert cast.f_plan.text in text and "后来改写的问题" not in text and "改了标题的方案" not in text
    pdf = get_pdf(client, reverse("oversight:bulletin_pdf", args=[bulletin.pk])).getvalue()
    printed = pdf_text(pdf, tmp_path, "bulletin-frozen.pdf")
    assert "".join(cast.f_plan.text.split()) in printed and "后来改写的问题" not in printed


def test_nothing_saves_deletes_or_refills_an_issued_bulletin(found):
    cast = found
    bulletin = issued(cast, [cast.f_plan])
    bulletin.title = "改过"
    attempts = (
        bulletin.save,
        bulletin.delete,
        lambda: bulletin.findings.add(cast.f_yx),
        bulletin.findings.clear,
        lambda: cast.f_plan.bulletins.remove(bulletin),
    )
    for attempt in attempts:
        # Each in its own savepoint: a refused m2m change spoils the transaction it ran in.
        with pytest.raises(Frozen), transaction.atomic():
            attempt()
    bulletin = Bulletin.objects.get()
    assert bulletin.title == TITLE and list(bulletin.findings.all()) == [cast.f_plan]
    # A draft is still a row like any other.
    other = draft(cast, [cast.f_yx])
    other.findings.add(cast.f_edu)
    other.save()


def test_the_admin_shows_bulletins_and_changes_none(found, client):
    cast = found
    bulletin = issued(cast, [cast.f_plan])
    as_user(client, cast.admin)
    listing = client.get(reverse("admin:oversight_bulletin_changelist"))
    assert listing.status_code == 200 and TITLE in page(listing)
    url = reverse("admin:oversight_bulletin_change", args=[bulletin.pk])
    shown = client.get(url)
    assert shown.status_code == 200 and 'name="title"' not in page(shown)
    client.post(url, {"title": "改过", "year": 2014, "dated": "2014-08-20"})
    assert Bulletin.objects.get().title == TITLE
    assert client.get(reverse("admin:oversight_bulletin_delete", args=[bulletin.pk])).status_code == 403
    assert client.get(reverse("admin:oversight_bulletin_add")).status_code == 403


# Who may do what ---------------------------------------------------------------------


def test_only_the_office_drafts_and_issues(found, client):
    cast = found
    bulletin = issued(cast, [cast.f_plan])
    waiting = draft(cast, [cast.f_plan])
    as_user(client, cast.secretary)  # reads the issued bulletin, which names 长沙县
    assert client.get(reverse("oversight:bulletin", args=[bulletin.pk])).status_code == 200
    for url in (
        reverse("oversight:bulletin_new"),
        reverse("oversight:bulletin_edit", args=[bulletin.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403 and "点名通报由省委教育实践活动办印发。" in page(response)
    response = client.post(
        reverse("oversight:bulletin_new"),
        {"revision": "0", "title": "书记起草", "dated": "2014-08-20", "findings": []},
    )
    assert response.status_code == 403
    response = client.post(reverse("oversight:bulletin_issue", args=[bulletin.pk]), {"revision": 1})
    assert response.status_code == 403
    # The draft is the office's alone: to anybody else it does not exist.
    for url in ("oversight:bulletin", "oversight:bulletin_edit", "oversight:bulletin_pdf"):
        assert client.get(reverse(url, args=[waiting.pk])).status_code == 404
    response = client.post(
        reverse("oversight:bulletin_issue", args=[waiting.pk]), {"revision": waiting.revision}
    )
    assert response.status_code == 404
    assert Bulletin.objects.filter(state=BulletinState.DRAFT).count() == 1
    with pytest.raises(NotAllowed):
        transitions.issue(cast.secretary, waiting.pk, waiting.revision)


def test_the_outsider_finds_nothing(found, client):
    cast = found
    bulletin = issued(cast, [cast.f_plan])
    waiting = draft(cast, [cast.f_plan])
    as_user(client, cast.outsider)
    for pk in (bulletin.pk, waiting.pk):
        for url in ("oversight:bulletin", "oversight:bulletin_edit", "oversight:bulletin_pdf"):
            assert client.get(reverse(url, args=[pk])).status_code == 404
        assert client.post(reverse("oversight:bulletin_issue", args=[pk]), {"revision": 1}).status_code == 404
    assert TITLE not in page(client.get(reverse("oversight:bulletins")))


def test_the_regions_named_are_told(found, django_capture_on_commit_callbacks):
    cast = found
    bulletin = draft(cast, [cast.f_plan, cast.f_yx])
    with django_capture_on_commit_callbacks(execute=True):
        transitions.issue(cast.office, bulletin.pk, bulletin.revision)
    told = Notification.objects.filter(link=reverse("oversight:bulletin", args=[bulletin.pk]))
    # 长沙县: its party secretary, its committee's filer and the group supervising its
    # city; 攸县: its committee's filer.
    assert {note.user for note in told} == {cast.secretary, cast.filer, cast.group, cast.outsider}
    assert {note.text for note in told} == {f"湘群办通报〔2014〕1号 {TITLE}"}
    # Whoever is told can open it.
    for account in (cast.secretary, cast.filer, cast.group, cast.outsider):
        assert issued_for(fresh(account)).get() == bulletin


@pytest.fixture
def edu_filer(found):
    account = user("edu_filer")
    assign_perm("orgs.file_team", account, found.edu_team)
    return account


def test_who_reads_which_bulletin(found, client, edu_filer, django_assert_num_queries):
    cast = found
    county = issued(cast, [cast.f_plan, cast.f_member], title="点名长沙县委")
    youxian = issued(cast, [cast.f_yx], title="点名攸县")
    unit = issued(cast, [cast.f_edu], title="点名县教育局")
    waiting = draft(cast, [cast.f_yx], title="尚未印发")
    central = user("central")
    body = Authority.objects.create(kind=AuthorityKind.CENTRAL_GROUP, name="中央第一巡回督导组")
    body.group.user_set.add(central)
    assign_perm("orgs.oversee_org", body.group, cast.hunan)

    expected = {
        cast.office: ["尚未印发", "点名县教育局", "点名攸县", "点名长沙县委"],
        cast.admin: ["尚未印发", "点名县教育局", "点名攸县", "点名长沙县委"],
        cast.secretary: ["点名县教育局", "点名长沙县委"],  # leads 长沙县, where the bureau is
        cast.filer: ["点名县教育局", "点名长沙县委"],  # its org is 长沙县, a region named
        cast.member: ["点名县教育局", "点名长沙县委"],  # sits in a team of 长沙县
        cast.group: ["点名县教育局", "点名长沙县委"],  # supervises 长沙市, which holds 长沙县
        central: ["点名县教育局", "点名攸县", "点名长沙县委"],  # the whole province
        edu_filer: ["点名县教育局"],  # fills the bureau's plan named
        cast.outsider: ["点名攸县"],
        cast.principal: ["点名县教育局", "点名长沙县委"],  # 县长: his team is of 长沙县 too
        cast.nobody: [],
    }
    for account, titles in expected.items():
        as_user(client, account)
        response = client.get(reverse("oversight:bulletins"))
        assert response.status_code == 200
        assert [b.title for b in response.context["bulletins"]] == titles, account.username
        for bulletin in (county, youxian, unit, waiting):
            status = client.get(reverse("oversight:bulletin", args=[bulletin.pk])).status_code
            assert status == (200 if bulletin.title in titles else 404), (account.username, bulletin.title)
    # The list costs the same whatever it holds: session, user with the name in the
    # menu, the reach (the token of who holds what: the group's earlier pages read the
    # rest, which the process keeps), is_office, the rows.
    as_user(client, cast.group)
    with django_assert_num_queries(5):
        client.get(reverse("oversight:bulletins"))


# The PDF -----------------------------------------------------------------------------


def test_the_issued_bulletin_prints_with_its_number(found, client, tmp_path):
    cast = found
    bulletin = issued(cast, [cast.f_plan, cast.f_owner, cast.f_member, cast.f_yx, cast.f_edu])
    as_user(client, cast.secretary)
    response = get_pdf(client, reverse("oversight:bulletin_pdf", args=[bulletin.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    pdf = response.getvalue()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path, "bulletin-issued.pdf")
    for words in (
        "中共湖南省委党的群众路线教育实践活动领导小组办公室",
        "湘群办通报〔2014〕1号",
        TITLE,
        "各市州委教育实践活动领导小组办公室，省委派驻各市州督导组：",
        "（一）长沙县：中共长沙县委常委班子",
        "1．没有做到“四个回应”（严重）：问题清单未回应群众意见",
        "（涉及条目：“进一步加强作风建设”）",
        "（三）长沙县：中共长沙县教育局党组班子",
        "（四）攸县：中共攸县县委常委班子",
        "2014年8月20日",
    ):
        assert words in text, words
    assert "征求意见稿" not in text


def test_a_draft_prints_as_a_draft_without_a_number(found, tmp_path):
    cast = found
    bulletin = draft(cast, [cast.f_plan, cast.f_member])
    pdf = render_bulletin_pdf(bulletin)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path, "bulletin-draft.pdf")
    assert "征求意见稿" in text and TITLE in text and "湘群办通报" not in text


def test_the_bulletin_s_date_stands_under_its_issuer_two_characters_right(found, tmp_path):
    cast = found
    bulletin = issued(cast, [cast.f_plan])
    names, date = signature_lines(
        render_bulletin_pdf(bulletin),
        tmp_path,
        ["中共湖南省委党的群众路线", "教育实践活动领导小组办公室"],
        "2014年8月20日",
    )
    assert_first_character_moves_right_two(names, date)


# In a browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_the_office_issues_a_bulletin_and_the_county_reads_it(page, live_server, found, artifacts):
    from playwright.sync_api import expect

    from .conftest import login

    cast = found
    login(page, live_server, "office")
    page.goto(live_server.url + reverse("oversight:bulletins"))
    page.locator("#new-bulletin").click()
    page.fill("#id_title", TITLE)
    page.fill("#id_dated", "2014-08-20")
    page.check(f"#finding-{cast.f_plan.pk}")
    page.check(f"#finding-{cast.f_member.pk}")
    page.check(f"#finding-{cast.f_yx.pk}")
    page.screenshot(path=artifacts / "bulletin-form.png", full_page=True)
    page.locator("#save-bulletin").click()
    expect(page.locator(".alert-success")).to_contain_text("通报草稿已保存")
    expect(page.locator("#bulletin-text")).to_contain_text("征求意见稿")
    expect(page.locator("#bulletin-regions")).to_contain_text("长沙县、攸县")
    page.screenshot(path=artifacts / "bulletin-draft.png", full_page=True)
    page.locator("#issue-bulletin").click()  # the confirmation is accepted
    expect(page.locator(".alert-success")).to_contain_text("湘群办通报〔2014〕1号")
    expect(page.locator("#edit-bulletin")).to_have_count(0)
    page.screenshot(path=artifacts / "bulletin-issued.png", full_page=True)

    login(page, live_server, "secretary")
    page.goto(live_server.url + reverse("review:inbox"))
    page.locator("#notifications").get_by_role("link", name=f"湘群办通报〔2014〕1号 {TITLE}").click()
    expect(page.locator("#bulletin-text")).to_contain_text(cast.f_plan.text)
    expect(page.locator("#bulletin-text")).not_to_contain_text("征求意见稿")


def test_a_dashboard_lists_the_bulletins_its_reader_may_read(found, client):
    cast = found
    bulletin = issued(cast, [cast.f_plan])
    draft(cast, [cast.f_plan])
    for account, region in (
        (cast.group, cast.changsha),
        (cast.secretary, cast.csx),
        (cast.office, cast.hunan),
    ):
        listed = bulletins_naming(region)
        assert listed == [bulletin], account
        assert set(listed) <= set(issued_for(fresh(account)))
        as_user(client, account)
        assert bulletin.title in page(client.get(reverse("dashboard:region", args=[region.code])))
    # 攸县 is named by nothing.
    assert bulletins_naming(cast.youxian) == []
