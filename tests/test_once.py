"""Safe to send twice: every request that creates something, sent again with the key its
form carried (a double click, a browser's retry, a reload of the answer), creates it
once and answers as the first did (rectify/once.py)."""

import datetime as dt
import io
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from ledger import transitions as ledger_transitions
from ledger.models import Entry, Event, Evidence, Export, Report
from ledger.words import Action, EntryState
from orgs.models import Org
from oversight.models import Bulletin, Finding, Sample, SpotCheck
from plans import editing
from plans.documents import open_team_document
from plans.models import Import, Input, Item
from publication.models import Event as PublicationEvent
from publication.models import Publication
from publication.words import DONE_PUBLISH, DONE_WITHDRAW
from publication.words import Action as PublicationAction
from rectify import once
from rectify.models import Sent
from review import transitions
from review.models import Review, Version

from .factories import approved, filled_team_plan
from .importing import confirm_url, latest, upload
from .sheets_samples import team_workbook
from .test_bulletins import found  # noqa: F401  (a fixture)
from .test_concurrency import race
from .test_ledger_evidence import PDF
from .test_review_views import pending
from .test_spot_checks import COUNTY_PLAN, account, body, county_plan, demo, sampled  # noqa: F401

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def said(response):
    """The messages this answer left for the next page (not those left by earlier ones)."""
    return [str(message) for message in response.wsgi_request._messages._queued_messages]


def twice(client, url, data=None, htmx=False):
    """Post DATA to URL twice with one key; return both answers. DATA may be a function
    making the form afresh for each post (a file sent is read by the post that sends it)."""
    key = str(uuid.uuid4())
    answers = []
    for _time in range(2):
        form = (data() if callable(data) else data) or {}
        if htmx:
            answers.append(client.post(url, form, HTTP_HX_REQUEST="true", HTTP_X_ONCE_KEY=key))
        else:
            answers.append(client.post(url, {**form, "once": key}))
    return answers


def same(first, second):
    assert first.status_code == second.status_code
    assert first.get("Location") == second.get("Location")
    assert first.content == second.content
    assert first.get("HX-Trigger") == second.get("HX-Trigger")
    assert said(first) == said(second)


def test_a_register_entry_sent_twice_is_one_entry(cast, client):
    client.force_login(cast.filer)
    url = reverse("plans:register", args=[cast.committee.pk])
    first, second = twice(client, url, {"source": "mass_opinion", "text": "会议多、文件多"})
    assert first.status_code == 302 and said(first) == ["已登记 1 条征求到的群众意见。"]
    same(first, second)
    assert Input.objects.count() == 1
    # A new page has a new key: the same words sent from it are a duplicate, not a second entry.
    page = client.get(url).content.decode()
    assert 'name="once" value="' in page


def test_a_register_paste_sent_twice_is_pasted_once(cast, client):
    client.force_login(cast.filer)
    url = reverse("plans:register", args=[cast.committee.pk])
    column = "\r\n".join(f"第{n}条群众意见" for n in range(120))
    first, second = twice(client, url, {"source": "mass_opinion", "text": column})
    same(first, second)
    assert said(second) == ["已登记 120 条征求到的群众意见。"]
    assert Input.objects.count() == 120


def test_add_one_sent_twice_adds_one_row(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    before = plan.items.filter(section="problems").count()
    first, second = twice(
        client,
        reverse("plans:item_add", args=[plan.pk]),
        {"section": "problems", "category": "four_winds"},
        htmx=True,
    )
    assert first.status_code == 200 and "HX-Trigger" in first
    same(first, second)
    assert plan.items.filter(section="problems").count() == before + 1
    # The next click is another key, and another row.
    client.post(
        reverse("plans:item_add", args=[plan.pk]),
        {"section": "problems", "category": "four_winds"},
        HTTP_HX_REQUEST="true",
        HTTP_X_ONCE_KEY=str(uuid.uuid4()),
    )
    assert plan.items.filter(section="problems").count() == before + 2


def test_save_as_new_sent_twice_saves_one_row(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    item = editing.add_item(cast.filer, plan, "problems", {"category": "four_winds", "text": "原文"})
    editing.delete_item(cast.member, item, item.revision)  # deleted while the filer typed
    client.force_login(cast.filer)
    mine = {
        "section": "problems",
        "category": "four_winds",
        "revision": item.revision,
        "text": "我刚写的问题",
    }
    first, second = twice(client, reverse("plans:item_add", args=[plan.pk]), mine, htmx=True)
    assert first.status_code == 200
    same(first, second)
    assert Item.objects.filter(document=plan, text="我刚写的问题").count() == 1


def test_an_import_confirmed_twice_imports_once_and_both_answers_say_so(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    preview = upload(client, plan, team_workbook())
    key = preview.content.decode().split('name="once" value="', 1)[1].split('"', 1)[0]
    url = confirm_url(latest(plan))
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = client.post(url, {"once": key})
        second = client.post(url, {"once": key})
    same(first, second)
    assert first["Location"] == reverse("plans:import_page", args=[plan.pk, latest(plan).pk])
    assert "已从“清单.xlsx”导入 8 行。" in client.get(second["Location"]).content.decode()
    assert plan.items.filter(section="problems").count() == 7


def test_submit_and_resubmit_sent_twice_make_one_review_and_one_version(cast, client, leaders):
    plan = filled_team_plan(cast)
    client.force_login(cast.filer)
    first, second = twice(client, reverse("review:submit", args=[plan.pk]))
    assert first.status_code == 302
    same(first, second)
    assert said(second) == ["已报送审阅。文件在审阅期间只读。"]
    review = Review.objects.get()
    transitions.return_for_revision(
        cast.group, pending(review).pk, review.revision, [{"reason": "not_concrete"}], {}
    )
    first, second = twice(client, reverse("review:resubmit", args=[plan.pk]), {"note": "已改"})
    assert first.status_code == 302
    same(first, second)
    assert said(second) == ["已重新报送，退回意见的审阅人会看到修改之处。"]
    assert Review.objects.count() == 1 and Version.objects.filter(document=plan).count() == 2


def test_oversight_creations_sent_twice_create_once(county_plan, client):  # noqa: F811
    office = body("central_office")
    client.force_login(account("central_office"))
    first, second = twice(
        client,
        reverse("oversight:new"),
        {
            f"region-{office.pk}": Org.objects.get(code="43").pk,
            f"classes-{office.pk}": COUNTY_PLAN,
            "method": "hand",
            "title": "八月抽查",
        },
    )
    assert first.status_code == 302
    same(first, second)
    spot_check = SpotCheck.objects.get()

    first, second = twice(
        client,
        reverse("oversight:pick", args=[spot_check.pk]),
        {
            "revision": spot_check.revision,
            "team": county_plan.team_id,
            "kind": county_plan.kind,
            "person": "",
        },
    )
    same(first, second)
    assert said(second) == ["已选定。"] and Sample.objects.filter(spot_check=spot_check).count() == 1

    first, second = twice(
        client,
        reverse("oversight:record", args=[spot_check.pk]),
        {"document": county_plan.pk, "ground": "not_concrete", "severity": "general", "text": "措施空泛"},
    )
    same(first, second)
    assert said(second) == ["已记录发现问题。"] and Finding.objects.count() == 1


def test_a_bulletin_saved_twice_is_one_draft(found, client):  # noqa: F811
    client.force_login(found.office)
    data = {
        "revision": "0",
        "title": "关于部分县市区整改方案抽查情况的通报",
        "dated": "2014-08-20",
        "opening": "现将抽查发现的问题通报如下：",
        "closing": "请认真整改。",
        "findings": [found.f_plan.pk],
    }
    first, second = twice(client, reverse("oversight:bulletin_new"), data)
    assert first.status_code == 302
    same(first, second)
    assert Bulletin.objects.count() == 1


def test_an_upload_sent_twice_keeps_one_file_and_answers_with_its_import(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    url = reverse("plans:import", args=[plan.pk])
    assert 'name="once" value="' in client.get(url).content.decode().split('id="upload"', 1)[1]
    first, second = twice(
        client, url, lambda: {"file": SimpleUploadedFile("清单.xlsx", team_workbook(), content_type=XLSX)}
    )
    assert first.status_code == 302
    same(first, second)
    assert first["Location"] == reverse("plans:import_page", args=[plan.pk, Import.objects.get().pk])


def test_a_refused_upload_is_not_kept_and_the_right_file_goes_through(cast, client):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    url = reverse("plans:import", args=[plan.pk])
    key = str(uuid.uuid4())
    empty = SimpleUploadedFile("清单.xlsx", b"", content_type=XLSX)
    refused = client.post(url, {"file": empty, "once": key})
    assert refused.status_code == 422 and not Import.objects.exists() and not Sent.objects.exists()
    right = SimpleUploadedFile("清单.xlsx", team_workbook(), content_type=XLSX)
    assert client.post(url, {"file": right, "once": key}).status_code == 302
    assert Import.objects.count() == 1


@pytest.fixture
def ledger_entry(cast, leaders):
    """The first measure of 长沙县委's approved team plan: its ledger is open."""
    plan = approved(filled_team_plan(cast), by=cast.filer)
    return Entry.objects.filter(document=plan).order_by("position").first()


def test_a_report_with_evidence_sent_twice_is_one_report_and_one_file(cast, ledger_entry, client):
    client.force_login(cast.filer)
    first, second = twice(
        client,
        reverse("ledger:report", args=[ledger_entry.pk]),
        lambda: {
            "revision": ledger_entry.revision,
            "text": "已召开专题会议，附会议纪要。",
            "done": "on",
            "files": SimpleUploadedFile("会议纪要.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert first.status_code == 302
    same(first, second)
    assert said(second) == ["已报告完成，等待核验销号。"]
    assert Report.objects.filter(entry=ledger_entry).count() == 1 and Evidence.objects.count() == 1
    assert Event.objects.filter(entry=ledger_entry, action=Action.DONE).count() == 1


def test_a_close_and_a_sending_back_sent_twice_are_each_one_decision(cast, ledger_entry, client):
    ledger_transitions.report(cast.filer, ledger_entry.pk, ledger_entry.revision, "已完成。", done=True)
    reported = Entry.objects.get(pk=ledger_entry.pk)
    assert reported.state == EntryState.DONE
    client.force_login(cast.group)
    first, second = twice(
        client,
        reverse("ledger:send_back", args=[reported.pk]),
        {"revision": reported.revision, "reason": "佐证材料不足，请补充会议纪要。"},
    )
    assert first.status_code == 302
    same(first, second)
    assert said(second) == ["已退回继续整改，责任人和填报人会收到退回理由。"]
    assert Event.objects.filter(entry=reported, action=Action.SEND_BACK).count() == 1
    entry = Entry.objects.get(pk=reported.pk)
    ledger_transitions.report(cast.filer, entry.pk, entry.revision, "已补充会议纪要。", done=True)
    entry = Entry.objects.get(pk=entry.pk)
    first, second = twice(client, reverse("ledger:close", args=[entry.pk]), {"revision": entry.revision})
    assert first.status_code == 302
    same(first, second)
    assert said(second) == ["已核验销号。"]
    assert Entry.objects.get(pk=entry.pk).state == EntryState.CLOSED
    assert Event.objects.filter(entry=entry, action=Action.CLOSE).count() == 1


def test_a_publication_and_its_withdrawal_sent_twice_are_each_done_once(cast, leaders, client):
    plan = approved(filled_team_plan(cast), by=cast.filer)
    client.force_login(cast.filer)
    first, second = twice(
        client,
        reverse("publication:publish", args=[plan.pk]),
        {"after": 0, "channel": "长沙县人民政府门户网站", "published_on": "2014-09-30"},
    )
    assert first.status_code == 302
    same(first, second)
    assert said(second) == [str(DONE_PUBLISH)]
    publication = Publication.objects.get()
    first, second = twice(
        client,
        reverse("publication:withdraw", args=[publication.pk]),
        {"revision": publication.revision, "reason": "发现错别字，修改后重新公开"},
    )
    assert first.status_code == 302
    same(first, second)
    assert said(second) == [str(DONE_WITHDRAW)]
    assert PublicationEvent.objects.filter(action=PublicationAction.WITHDRAW).count() == 1
    assert not Publication.objects.get().live


def test_an_export_asked_for_twice_is_written_once(cast, leaders, client):
    approved(filled_team_plan(cast), by=cast.filer)
    client.force_login(cast.office)
    first, second = twice(client, reverse("ledger:region_export_queue", args=["43"]), {"kind": "team_plan"})
    assert first.status_code == 302
    same(first, second)
    assert said(second) == ["已安排在后台生成 Excel，生成后在本页下载。"]
    assert Export.objects.count() == 1


# The key itself ------------------------------------------------------------------------------


def test_a_refusal_is_not_kept_and_the_corrected_form_goes_through(cast, client):
    client.force_login(cast.filer)
    url = reverse("plans:register", args=[cast.committee.pk])
    key = str(uuid.uuid4())
    refused = client.post(url, {"source": "mass_opinion", "text": "   ", "once": key})
    assert refused.status_code == 422 and not Sent.objects.exists()
    done = client.post(url, {"source": "mass_opinion", "text": "会议多", "once": key})
    assert done.status_code == 302 and Input.objects.count() == 1


def test_a_key_is_the_users_own_and_its_addresss_own(cast, client):
    key = str(uuid.uuid4())
    client.force_login(cast.filer)
    client.post(
        reverse("plans:register", args=[cast.committee.pk]),
        {"source": "mass_opinion", "text": "甲", "once": key},
    )
    # The same key sent to another address is not taken for its answer.
    plan = open_team_document(cast.committee, cast.filer)
    other = client.post(
        reverse("plans:item_add", args=[plan.pk]),
        {"section": "problems", "category": "four_winds"},
        HTTP_HX_REQUEST="true",
        HTTP_X_ONCE_KEY=key,
    )
    assert other.status_code == 409 and "已经提交过" in other.content.decode()
    assert not plan.items.filter(section="problems").exists()
    # Another user's key is another key.
    client.force_login(cast.secretary)
    client.post(
        reverse("plans:register", args=[cast.committee.pk]),
        {"source": "mass_opinion", "text": "乙", "once": key},
    )
    assert sorted(Input.objects.values_list("text", flat=True)) == ["乙", "甲"]


def test_a_key_that_is_not_one_is_refused_in_chinese_and_changes_nothing(cast, client):
    client.force_login(cast.filer)
    response = client.post(
        reverse("plans:register", args=[cast.committee.pk]),
        {"source": "mass_opinion", "text": "甲", "once": "not-a-key"},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "表单已过期" in html
    assert "这份表单没有提交" in html and "</html>" in html  # the product's own page
    assert not Input.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_import_once_and_both_say_it_was_imported(cast):
    """The same confirmation sent twice at the same moment (two workers, one session), on
    SQLite and on PostgreSQL: one import, and both answers say it was done."""
    plan = open_team_document(cast.committee, cast.filer)
    first = Client()
    first.force_login(cast.filer)
    first.post(
        reverse("plans:import", args=[plan.pk]),
        {"file": SimpleUploadedFile("清单.xlsx", team_workbook(), content_type=XLSX)},
    )
    preview = latest(plan)
    url = confirm_url(preview)
    second = Client()
    second.cookies = first.cookies  # the same browser: one session
    outcomes = race(
        lambda: first.post(url, {"once": str(preview.key)}),
        lambda: second.post(url, {"once": str(preview.key)}),
    )
    answers = [answer for ok, answer in outcomes if ok]
    assert len(answers) == 2, outcomes
    for answer in answers:
        assert answer.status_code == 302
        assert answer["Location"] == reverse("plans:import_page", args=[plan.pk, preview.pk])
        assert "已从“清单.xlsx”导入 8 行。" in first.get(answer["Location"]).content.decode()
    assert plan.items.filter(section="problems").count() == 7
    assert Sent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_register_paste_sent_twice_at_once_is_pasted_once(cast):
    client = Client()
    client.force_login(cast.filer)
    url = reverse("plans:register", args=[cast.committee.pk])
    data = {
        "source": "mass_opinion",
        "text": "\n".join(f"第{n}条群众意见" for n in range(120)),
        "once": str(uuid.uuid4()),
    }
    outcomes = race(lambda: client.post(url, data), lambda: client.post(url, data))
    answers = [answer for ok, answer in outcomes if ok]
    assert len(answers) == 2, outcomes
    assert answers[0].content == answers[1].content
    assert Input.objects.count() == 120


# Kept answers are pruned ------------------------------------------------------------------


def kept(user, days_ago, path="/old/"):
    sent = Sent.objects.create(user=user, key=uuid.uuid4(), path=path, status=302)
    Sent.objects.filter(pk=sent.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return sent


def test_answers_older_than_the_retention_are_pruned(cast, settings):
    settings.ONCE_RETENTION_DAYS = 7
    old, recent = kept(cast.filer, 8), kept(cast.filer, 6)
    assert once.prune() == 1
    assert list(Sent.objects.all()) == [recent]
    assert not Sent.objects.filter(pk=old.pk).exists()
    settings.ONCE_RETENTION_DAYS = 5
    assert once.prune() == 1 and not Sent.objects.exists()


def test_a_kept_answer_queues_one_prune_an_hour(cast, client, django_capture_on_commit_callbacks):
    cache.delete(once.PRUNE_QUEUED)
    client.force_login(cast.filer)
    url = reverse("plans:register", args=[cast.committee.pk])
    old = kept(cast.filer, 30)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        first, _again = twice(client, url, {"source": "mass_opinion", "text": "会议多、文件多"})
    assert first.status_code == 302 and len(queued) == 1
    assert not Sent.objects.filter(pk=old.pk).exists()
    assert Sent.objects.get().path == url  # the answer just given is kept
    # Within the hour nothing more is queued; the next hour prunes again.
    older = kept(cast.filer, 30)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(url, {"source": "mass_opinion", "text": "文山会海", "once": str(uuid.uuid4())})
    assert queued == [] and Sent.objects.filter(pk=older.pk).exists()
    cache.delete(once.PRUNE_QUEUED)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(url, {"source": "mass_opinion", "text": "检查评比多", "once": str(uuid.uuid4())})
    assert len(queued) == 1 and not Sent.objects.filter(pk=older.pk).exists()
    assert Input.objects.count() == 3


def test_a_refusal_queues_no_prune(cast, client, django_capture_on_commit_callbacks):
    cache.delete(once.PRUNE_QUEUED)
    client.force_login(cast.filer)
    url = reverse("plans:register", args=[cast.committee.pk])
    with django_capture_on_commit_callbacks(execute=True) as queued:
        refused = client.post(url, {"source": "mass_opinion", "text": "", "once": str(uuid.uuid4())})
    assert refused.status_code == 422
    assert queued == [] and not Sent.objects.exists()


def test_prune_sent_command(cast):
    kept(cast.filer, 10), kept(cast.filer, 3)
    out = io.StringIO()
    call_command("prune_sent", stdout=out)
    assert "已删除保存超过 7 天的已处理提交 1 条。" in out.getvalue()
    call_command("prune_sent", "--days", "2", stdout=out)
    assert "已删除保存超过 2 天的已处理提交 1 条。" in out.getvalue() and not Sent.objects.exists()
    kept(cast.filer, 10)
    for bad in ("0", "-3", "七"):
        with pytest.raises(CommandError, match="--days 须是正整数"):
            call_command("prune_sent", "--days", bad)
    assert Sent.objects.count() == 1
