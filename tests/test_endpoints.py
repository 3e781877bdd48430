"""Every POST endpoint against the same questions, one row per endpoint:

  get        a GET is refused (405); the register and the import answer it with their form
  anonymous  a visitor who is not logged in is sent to log in …
  expired    … and an htmx request gets 401 instead, to keep what was typed
  outsider   the filer of 攸县, in another city, finds nothing there (404)
  forbidden  someone who sees the object but may not do this is refused (403)
  csrf       a post without the CSRF token is refused (403)
  happy      the right person's post answers as the page expects and changes the database

Every row but the happy path also checks, in the database, that the happy path's change
was not made. Each endpoint's objects are built from the cast by the same functions the
pages use. Where a question has no meaning for an endpoint, its row says why and what is
asked instead.
The per-view tests (test_editor, test_register, test_review_views, test_files) go into
the details; this table makes sure no endpoint misses a gate."""

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

import dashboard.urls
import orgs.urls
import oversight.urls
import plans.urls
import publication.urls
import review.urls
from dashboard.models import Freshness
from devdata import samples
from orgs.models import AuthorityKind
from oversight import transitions as checking
from oversight.models import Bulletin, Finding, Sample, SpotCheck
from oversight.words import BulletinState, CheckState, FindingState
from plans import editing, imports
from plans.models import Document, ImportState, Input, Item
from plans.words import DocumentKind, Source, Status
from publication import transitions as publishing
from publication.models import Publication
from review import transitions
from review.models import Comment, Notification, Step, StepState

from .factories import approved, filled_individual, filled_team_plan
from .sheets_samples import individual_workbook

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEW = "新写的内容"


# What the endpoints act on, built from the cast --------------------------------------


def county_committee(cast):
    """中共长沙县委常委班子, with its secretary 夏海波 and its member 欧阳明辉."""
    return SimpleNamespace(team=cast.committee, secretary=cast.secretary_person, member=cast.member_person)


def an_entry(cast):
    """An entry the county committee's filer put on its four-responses register."""
    return SimpleNamespace(entry=editing.add_input(cast.filer, cast.committee, Source.MASS_OPINION, "会议多"))


def draft_measures(cast):
    """欧阳明辉's individual measures, complete, still a draft. 夏海波, principal of the
    same team, sees them (and will review them) but does not fill them in."""
    document = filled_individual(cast)
    problems = document.items.filter(section="problems").order_by("position")
    return SimpleNamespace(document=document, item=problems.first(), count=document.items.count())


def two_problems_of_a_kind(cast):
    t = draft_measures(cast)
    t.above = t.item
    t.item = editing.add_item(
        cast.member, t.document, "problems", {"category": t.above.category, "text": "第二条"}
    )
    return t


def submitted_measures(cast):
    t = draft_measures(cast)
    t.review = transitions.submit(cast.member, t.document)
    t.step = t.review.steps.get()  # 本班子主要负责同志: 夏海波
    return t


def returned_measures(cast, comment=True):
    t = submitted_measures(cast)
    comments = {str(t.item.uid): "请具体到月"} if comment else {}
    transitions.return_for_revision(
        cast.secretary, t.step.pk, t.review.revision, [{"reason": "not_concrete"}], comments
    )
    t.comment = Comment.objects.filter(review=t.review).first()
    return t


def notified(cast):
    """夏海波 has an unread notice of the measures sent to him."""
    t = submitted_measures(cast)
    t.note = Notification.objects.create(
        user=cast.secretary, document=t.document, event=t.review.events.get(), text="请审阅"
    )
    return t


def sent_for_reading(cast):
    """夏海波's own measures (a county secretary's), approved by the group: 省委有关领导
    now have them to read, beside the provincial office's decision."""
    document = filled_individual(cast, person=cast.secretary_person, user=cast.secretary)
    review = transitions.submit(cast.secretary, document)
    first = review.steps.get(state=StepState.PENDING)
    transitions.approve(cast.group, first.pk, review.revision)
    step = review.steps.get(authority=AuthorityKind.PROVINCIAL_LEADERS)
    assert step.state == StepState.UNREAD
    return SimpleNamespace(document=document, step=step)


def status_of(t):
    return Document.objects.get(pk=t.document.pk).status


def state_of(t):
    return Step.objects.get(pk=t.step.pk).state


def upload_then_confirm(client, url, t, extra):
    """The import's two posts: the upload (the worker reads the file into a preview),
    the confirmation (the worker writes it)."""
    upload = SimpleUploadedFile("个人整改清单.xlsx", individual_workbook(), content_type=XLSX)
    with TestCase.captureOnCommitCallbacks(execute=True):
        preview = client.post(url, {"file": upload}, **extra)
    if preview.status_code != 302 or "/imports/" not in preview["Location"]:
        return preview  # refused, or sent to log in
    # The confirmation carries the key of the preview it confirms.
    form = client.get(preview["Location"]).content.decode().split('id="confirm-import"', 1)[0]
    form = form[form.rindex("<form") :]
    confirm = form.split('action="', 1)[1].split('"', 1)[0]
    key = form.split('name="once" value="', 1)[1].split('"', 1)[0]
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(confirm, {"once": key}, **extra)


def a_preview(cast):
    """欧阳明辉's individual measures, and his upload of his list, read into a preview."""
    t = draft_measures(cast)
    upload = SimpleUploadedFile("个人整改清单.xlsx", individual_workbook(), content_type=XLSX)
    with TestCase.captureOnCommitCallbacks(execute=True):
        t.preview = imports.upload(cast.member, t.document, upload)
    t.preview.refresh_from_db()
    assert t.preview.state == ImportState.PREVIEW
    return t


def confirmed(client, url, t, extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, {"once": str(t.preview.key)}, **extra)


# What oversight's endpoints act on: the provincial group's spot check of 长沙县's
# 人大、政府、政协 plans (section 六), the government's plan filed and picked, a finding.

THREE_PLANS = "provincial_group.county_three_plans"


def a_check(cast):
    check = checking.open_check(cast.group, cast.group_body, cast.csx, [THREE_PLANS])
    return SimpleNamespace(check=check, team=cast.government)


def a_picked_plan(cast):
    t = a_check(cast)
    plan = samples.fill_team_plan(
        cast.principal, cast.government, [cast.principal_person, cast.deputy_person]
    )
    transitions.submit(cast.principal, plan)
    t.sample = checking.pick(cast.group, t.check.pk, t.check.revision, cast.government.pk, plan.kind)
    t.check.refresh_from_db()
    t.document = plan
    return t


def a_finding(cast, answered=False):
    t = a_picked_plan(cast)
    t.finding = checking.record_finding(
        cast.group,
        t.check.pk,
        t.document.pk,
        "no_owner",
        "general",
        "责任人不明确",
        requires_rectification=True,
    )
    if answered:
        checking.answer(cast.principal, t.finding.pk, t.finding.revision, "已明确到人")
        t.finding.refresh_from_db()
    return t


def an_answered_finding(cast):
    return a_finding(cast, answered=True)


def a_draft_bulletin(cast):
    t = a_finding(cast)
    t.bulletin = checking.save_bulletin(
        cast.office, None, None, "关于抽查情况的通报", dt.date(2014, 8, 25), "", "", [t.finding.pk]
    )
    return t


# Section 七: 中共长沙县委's approved plan, published by its filer.


def an_approved_plan(cast):
    return SimpleNamespace(document=approved(filled_team_plan(cast), by=cast.filer))


def a_published_plan(cast):
    t = an_approved_plan(cast)
    t.publication = publishing.publish(
        cast.filer, t.document.pk, 0, "长沙县人民政府门户网站", dt.date(2014, 9, 30)
    )
    return t


def finding_state(t):
    return Finding.objects.get(pk=t.finding.pk).state


# The table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str  # the URL's name
    build: Callable  # cast -> the objects (t)
    args: Callable  # t -> the URL's arguments
    done: Callable  # t -> has the happy path's change been made? (read from the database)
    allowed: str  # the cast member whose post succeeds
    status: int  # … and what it answers
    forbidden: str | None  # sees the object, may not act (None: the row's comment says why)
    data: Callable = lambda t: {}
    query: Callable = lambda t: ""
    post: Callable | None = None  # client, url, t, extra -> response; default one post of data
    htmx: bool = False  # the page posts it with htmx
    get: int = 405  # a GET by the allowed user
    outsider_status: int = 404
    forbidden_status: int = 403
    fixtures: tuple = ()


ENDPOINTS = [
    Endpoint(
        "plans:open_team",
        county_committee,
        lambda t: [t.team.pk],
        lambda t: Document.objects.filter(team=t.team, kind=DocumentKind.TEAM_PLAN).exists(),
        allowed="filer",
        status=302,
        forbidden="group",  # oversees the county, files for no team in it
    ),
    Endpoint(
        "plans:open_measures",
        county_committee,
        lambda t: [t.team.pk, t.member.pk],
        lambda t: Document.objects.filter(team=t.team, person=t.member).exists(),
        allowed="member",  # their own measures
        status=302,
        forbidden="secretary",  # the team's principal: not his measures to open
    ),
    Endpoint(
        # 夏海波's own register: the team's registers have no cast member who sees them
        # and may not write (the secretary and the group write as supervisors).
        "plans:register",
        county_committee,
        lambda t: [t.team.pk],
        lambda t: Input.objects.filter(person=t.secretary, text=NEW, from_supervision=False).exists(),
        allowed="secretary",
        status=302,
        # A colleague on the same team: a leader's own register is not theirs to see,
        # as the leader's individual measures are not until published within the team.
        forbidden="member",
        forbidden_status=404,
        data=lambda t: {"source": Source.LIFE_MEETING, "text": NEW},
        query=lambda t: f"?person={t.secretary.pk}",
        get=200,  # the register's page; the form on it posts here
    ),
    Endpoint(
        "plans:input_save",
        an_entry,
        lambda t: [t.entry.pk],
        lambda t: Input.objects.get(pk=t.entry.pk).text == NEW,
        allowed="filer",
        status=200,
        forbidden="group",  # may write only what the group itself pointed out
        data=lambda t: {"revision": t.entry.revision, "text": NEW, "explanation": ""},
        htmx=True,
    ),
    Endpoint(
        "plans:input_delete",
        an_entry,
        lambda t: [t.entry.pk],
        lambda t: not Input.objects.filter(pk=t.entry.pk).exists(),
        allowed="filer",
        status=302,
        forbidden="group",
    ),
    Endpoint(
        "plans:header_save",
        draft_measures,
        lambda t: [t.document.pk],
        lambda t: Document.objects.get(pk=t.document.pk).unit_name == NEW,
        allowed="member",
        status=200,
        forbidden="admin",  # sees every document, fills none; colleagues no longer see a draft
        data=lambda t: {"revision": t.document.revision, "unit_name": NEW, "position_title": "县委常委"},
        htmx=True,
    ),
    Endpoint(
        "plans:item_add",
        draft_measures,
        lambda t: [t.document.pk],
        lambda t: Item.objects.filter(document=t.document).count() == t.count + 1,
        allowed="member",
        status=200,
        forbidden="admin",  # sees every document, fills none; colleagues no longer see a draft
        data=lambda t: {"section": "problems", "category": "four_winds"},
        htmx=True,
    ),
    Endpoint(
        "plans:item_save",
        draft_measures,
        lambda t: [t.item.pk],
        lambda t: Item.objects.get(pk=t.item.pk).text == NEW,
        allowed="member",
        status=200,
        forbidden="admin",  # sees every document, fills none; colleagues no longer see a draft
        data=lambda t: {"revision": t.item.revision, "category": t.item.category, "text": NEW},
        htmx=True,
    ),
    Endpoint(
        "plans:item_move",
        two_problems_of_a_kind,
        lambda t: [t.item.pk],
        lambda t: Item.objects.get(pk=t.item.pk).position < Item.objects.get(pk=t.above.pk).position,
        allowed="member",
        status=200,
        forbidden="admin",  # sees every document, fills none; colleagues no longer see a draft
        data=lambda t: {"step": "up"},
        htmx=True,
    ),
    Endpoint(
        "plans:item_delete",
        draft_measures,
        lambda t: [t.item.pk],
        lambda t: not Item.objects.filter(pk=t.item.pk).exists(),
        allowed="member",
        status=200,
        forbidden="admin",  # sees every document, fills none; colleagues no longer see a draft
        data=lambda t: {"revision": t.item.revision},
        htmx=True,
    ),
    Endpoint(
        "plans:import",
        draft_measures,
        lambda t: [t.document.pk],
        lambda t: t.document.items.filter(text="文风不实，讲话稿照本宣科").exists(),
        allowed="member",
        status=302,
        forbidden="admin",  # sees every document, fills none; colleagues no longer see a draft
        post=upload_then_confirm,
        get=200,  # the upload form
    ),
    Endpoint(
        "plans:import_confirm",
        a_preview,
        lambda t: [t.document.pk, t.preview.pk],
        lambda t: t.document.items.filter(text="文风不实，讲话稿照本宣科").exists(),
        allowed="member",
        status=302,
        forbidden="admin",  # sees every document, fills none; colleagues no longer see a draft
        post=confirmed,
    ),
    Endpoint(
        "review:submit",
        draft_measures,
        lambda t: [t.document.pk],
        lambda t: status_of(t) == Status.SUBMITTED,
        allowed="member",
        status=302,
        forbidden="admin",  # sees every document, fills none; colleagues no longer see a draft
    ),
    Endpoint(
        "review:withdraw",
        submitted_measures,
        lambda t: [t.document.pk],
        lambda t: status_of(t) == Status.DRAFT,
        allowed="member",
        status=302,
        forbidden="secretary",  # its reviewer
    ),
    Endpoint(
        "review:resubmit",
        lambda cast: returned_measures(cast, comment=False),
        lambda t: [t.document.pk],
        lambda t: status_of(t) == Status.SUBMITTED,
        allowed="member",
        status=302,
        forbidden="secretary",  # its reviewer, who returned it
        data=lambda t: {"note": "已按意见修改"},
    ),
    Endpoint(
        "review:approve",
        submitted_measures,
        lambda t: [t.step.pk],
        lambda t: state_of(t) == StepState.APPROVED,
        allowed="secretary",
        status=302,
        forbidden="member",  # files the document; not its reviewer
        data=lambda t: {"revision": t.review.revision},
    ),
    Endpoint(
        "review:return",
        submitted_measures,
        lambda t: [t.step.pk],
        lambda t: state_of(t) == StepState.RETURNED,
        allowed="secretary",
        status=302,
        forbidden="member",
        data=lambda t: {"revision": t.review.revision, "reason": ["not_concrete"]},
    ),
    Endpoint(
        # What the reviewer has written so far, saved as it is typed (static/js/review.js
        # posts it as htmx does, so an expired session answers 401, not the login page).
        "review:draft",
        submitted_measures,
        lambda t: [t.step.pk],
        lambda t: t.step.drafts.filter(text=NEW).exists(),
        allowed="secretary",
        status=200,
        forbidden="member",  # files the document; not its reviewer
        data=lambda t: {"item": str(t.item.uid), "text": NEW},
        htmx=True,
    ),
    Endpoint(
        "review:read",
        sent_for_reading,
        lambda t: [t.step.pk],
        lambda t: state_of(t) == StepState.READ,
        allowed="leader",
        status=302,
        forbidden="office",  # decides at the same stage; the reading is not sent to it
        fixtures=("leaders",),
    ),
    Endpoint(
        "review:address",
        returned_measures,
        lambda t: [t.comment.pk],
        lambda t: Comment.objects.get(pk=t.comment.pk).addressed,
        allowed="member",
        status=200,
        forbidden="secretary",  # wrote the comment; only the filers answer it
        data=lambda t: {"addressed": "on"},
        htmx=True,
    ),
    Endpoint(
        # Acts only on the poster's own unread reading steps: nothing is out of reach or
        # forbidden, the ids of someone else's steps just change nothing (302 back to the
        # inbox, "0 份"). The outsider and the office (who sees the document) post the
        # leaders' step.
        "review:read_many",
        sent_for_reading,
        lambda t: [],
        lambda t: state_of(t) == StepState.READ,
        allowed="leader",
        status=302,
        forbidden="office",
        data=lambda t: {"step": [t.step.pk]},
        outsider_status=302,
        forbidden_status=302,
        fixtures=("leaders",),
    ),
    Endpoint(
        # Marks the poster's own notifications read; it takes no ids, so there is nothing
        # to be refused: another user's post leaves 夏海波's notification unread.
        "review:notifications_read",
        notified,
        lambda t: [],
        lambda t: Notification.objects.get(pk=t.note.pk).read_at is not None,
        allowed="secretary",
        status=302,
        forbidden=None,
        outsider_status=302,
    ),
    Endpoint(
        # Counting runs on the tasks worker (at once in the tests): the figures get a time.
        "dashboard:refresh",
        lambda cast: SimpleNamespace(region=cast.csx),
        lambda t: [t.region.code],
        lambda t: Freshness.objects.filter(computed_at__isnull=False).exists(),
        allowed="group",
        status=302,
        forbidden="filer",  # sees 长沙县 as a member of its committee, oversees nothing
    ),
    Endpoint(
        # Opens a check, so there is no object to be out of reach: whoever belongs to no
        # checking body is refused (403), the outsider included.
        "oversight:new",
        lambda cast: SimpleNamespace(body=cast.group_body, region=cast.csx),
        lambda t: [],
        lambda t: SpotCheck.objects.exists(),
        allowed="group",
        status=302,
        forbidden="filer",
        data=lambda t: {
            f"region-{t.body.pk}": t.region.pk,
            f"classes-{t.body.pk}": THREE_PLANS,
            "method": "hand",
        },
        get=200,  # the form
        outsider_status=403,
    ),
    Endpoint(
        "oversight:pick",
        a_check,
        lambda t: [t.check.pk],
        lambda t: Sample.objects.filter(spot_check=t.check, team=t.team).exists(),
        allowed="group",
        status=302,
        forbidden="office",  # sees the checks made in the province, checks with none of them
        data=lambda t: {"revision": t.check.revision, "team": t.team.pk, "kind": "team_plan", "person": ""},
    ),
    Endpoint(
        "oversight:unpick",
        a_picked_plan,
        lambda t: [t.check.pk],
        lambda t: not Sample.objects.filter(pk=t.sample.pk).exists(),
        allowed="group",
        status=302,
        forbidden="office",
        data=lambda t: {"revision": t.check.revision, "sample": t.sample.pk},
    ),
    Endpoint(
        "oversight:close",
        a_check,
        lambda t: [t.check.pk],
        lambda t: SpotCheck.objects.get(pk=t.check.pk).state == CheckState.CLOSED,
        allowed="group",
        status=302,
        forbidden="office",
        data=lambda t: {"revision": t.check.revision},
    ),
    Endpoint(
        "oversight:record",
        a_picked_plan,
        lambda t: [t.check.pk],
        lambda t: Finding.objects.filter(document=t.document).exists(),
        allowed="group",
        status=302,
        forbidden="office",  # reads the plan, is not of the checking body
        data=lambda t: {"document": t.document.pk, "ground": "other", "severity": "minor", "text": NEW},
    ),
    Endpoint(
        "oversight:answer",
        a_finding,
        lambda t: [t.finding.pk],
        lambda t: finding_state(t) == FindingState.ANSWERED,
        allowed="principal",  # a member of the government team that filed the plan
        status=302,
        forbidden="group",  # made the finding; only the filers answer it
        data=lambda t: {"revision": t.finding.revision, "answer": NEW},
    ),
    Endpoint(
        "oversight:decide",
        an_answered_finding,
        lambda t: [t.finding.pk],
        lambda t: finding_state(t) == FindingState.ACCEPTED,
        allowed="group",
        status=302,
        forbidden="office",
        data=lambda t: {"revision": t.finding.revision, "accept": "1"},
    ),
    Endpoint(
        # Drafts a new bulletin: no object, so whoever is not of the provincial office is
        # refused (403), the outsider included.
        "oversight:bulletin_new",
        a_finding,
        lambda t: [],
        lambda t: Bulletin.objects.exists(),
        allowed="office",
        status=302,
        forbidden="group",
        data=lambda t: {
            "title": NEW,
            "dated": "2014-08-25",
            "opening": "",
            "closing": "",
            "findings": [t.finding.pk],
        },
        get=200,
        outsider_status=403,
    ),
    Endpoint(
        # A draft is seen by the provincial office alone: nobody sees it and may not edit.
        "oversight:bulletin_edit",
        a_draft_bulletin,
        lambda t: [t.bulletin.pk],
        lambda t: Bulletin.objects.get(pk=t.bulletin.pk).title == NEW,
        allowed="office",
        status=302,
        forbidden=None,
        data=lambda t: {
            "revision": t.bulletin.revision,
            "title": NEW,
            "dated": "2014-08-25",
            "opening": "",
            "closing": "",
            "findings": [t.finding.pk],
        },
        get=200,
    ),
    Endpoint(
        "oversight:bulletin_issue",
        a_draft_bulletin,
        lambda t: [t.bulletin.pk],
        lambda t: Bulletin.objects.get(pk=t.bulletin.pk).state == BulletinState.ISSUED,
        allowed="office",
        status=302,
        forbidden=None,  # a draft: seen by the provincial office alone
        data=lambda t: {"revision": t.bulletin.revision},
    ),
    Endpoint(
        "publication:publish",
        an_approved_plan,
        lambda t: [t.document.pk],
        lambda t: Publication.objects.filter(document=t.document).exists(),
        allowed="filer",
        status=302,
        forbidden="group",  # reads the county's approved plans, files none of them
        data=lambda t: {"after": 0, "channel": "长沙县人民政府门户网站", "published_on": "2014-09-30"},
        fixtures=("leaders",),
    ),
    Endpoint(
        "publication:withdraw",
        a_published_plan,
        lambda t: [t.publication.pk],
        lambda t: not Publication.objects.get(pk=t.publication.pk).live,
        allowed="filer",
        status=302,
        forbidden="group",
        data=lambda t: {"revision": t.publication.revision, "reason": "责任人有调整"},
        fixtures=("leaders",),
    ),
]

CASES = ("get", "anonymous", "expired", "outsider", "forbidden", "csrf", "happy")


ROWS = [
    pytest.param(endpoint, case, id=f"{endpoint.name.split(':')[1]}-{case}")
    for endpoint in ENDPOINTS
    for case in CASES
    if not (case == "forbidden" and endpoint.forbidden is None)
]


@pytest.mark.parametrize("endpoint, case", ROWS)
def test_endpoint(cast, request, endpoint, case):
    for name in endpoint.fixtures:
        request.getfixturevalue(name)
    t = endpoint.build(cast)
    url = reverse(endpoint.name, args=endpoint.args(t)) + endpoint.query(t)
    client = Client(enforce_csrf_checks=case == "csrf")
    extra = HX if case == "expired" or (endpoint.htmx and case != "anonymous") else {}
    account = {"outsider": "outsider", "forbidden": endpoint.forbidden}.get(case, endpoint.allowed)
    if case not in ("anonymous", "expired"):
        client.force_login(getattr(cast, account))

    if case == "get":
        response = client.get(url, **extra)
    elif endpoint.post and case != "csrf":
        response = endpoint.post(client, url, t, extra)
    else:
        response = client.post(url, endpoint.data(t), **extra)
    expected = {
        "get": endpoint.get,
        "anonymous": 302,
        "expired": 401,
        "outsider": endpoint.outsider_status,
        "forbidden": endpoint.forbidden_status,
        "csrf": 403,
        "happy": endpoint.status,
    }[case]
    assert response.status_code == expected, response.content.decode()[:500]

    if case == "anonymous":
        assert response.url == redirect_to_login(url).url
    if case == "csrf":
        assert "安全校验未通过" in response.content.decode()
    if case == "forbidden" and endpoint.htmx:
        assert response["HX-Retarget"] == "#page-error"
    assert endpoint.done(t) is (case == "happy")


def test_every_post_endpoint_is_in_the_table():
    """A new view that accepts POST joins the table, or this fails. (Views say which
    methods they take with require_POST or require_http_methods; logout is Django's
    LogoutView, POST-only and CSRF-protected by Django itself.)"""
    posting = set()
    for module in (orgs.urls, plans.urls, review.urls, oversight.urls, publication.urls, dashboard.urls):
        namespace = getattr(module, "app_name", None)
        for pattern in module.urlpatterns:
            methods = inspect.getclosurevars(pattern.callback).nonlocals.get("request_method_list")
            if methods and "POST" in methods:
                posting.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    assert posting == {endpoint.name for endpoint in ENDPOINTS}
