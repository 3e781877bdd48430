"""Publication (section 七): only the filers of an approved document publish it, in the
scope the rules give its kind; withdrawing needs a reason; a stale page changes nothing;
every move leaves an event. An individual measures is read by the team's members only once
it is published within the team. The public site shows what is published and nothing else,
without cookies, cached and rate-limited."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from guardian.shortcuts import assign_perm

from ledger.models import Entry
from ledger.words import EntryState
from orgs import policy
from orgs.models import Person, Position, Role
from oversight import rules
from plans import editing
from plans.documents import open_team_document
from plans.models import Document
from plans.words import Status
from publication import transitions
from publication.models import Event, Publication
from publication.words import Action
from rectify.dates import chinese_date
from review import transitions as review
from review.models import Comment, Version
from review.moves import NotAllowed, NotReady, Stale

from .conftest import fresh, user
from .factories import approved, fill_register, filled_individual, filled_team_plan
from .pdfread import lines
from .pdfs import get_pdf

TODAY = dt.date(2014, 9, 30)


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plan(cast, leaders):
    return approved(filled_team_plan(cast), by=cast.filer)


def village_list(cast):
    """开元路社区's list, approved by the 星沙街道 party committee above it: one entry
    with a date, one 长期坚持."""
    head = user("xs_head")
    person = Person.objects.create(name="周建国", user=head)
    Position.objects.create(
        person=person, team=cast.xingsha_committee, title="党工委书记", role=Role.PRINCIPAL
    )
    assign_perm("orgs.file_team", cast.filer, cast.kaiyuan_committee)
    filer = fresh(cast.filer)
    listing = open_team_document(cast.kaiyuan_committee, filer)
    inputs = fill_register(cast, team=cast.kaiyuan_committee)
    editing.add_item(
        filer,
        listing,
        "entries",
        {
            "text": "小区路灯损坏无人修",
            "measures": "10月底前更换损坏路灯12盏并公布报修电话",
            "owner_text": "刘娟",
            "deadline": dt.date(2014, 10, 31),
            "deadline_text": "2014年10月底前",
        },
        links={"answers": [inputs[0]]},
    )
    editing.add_item(
        filer,
        listing,
        "entries",
        {
            "text": "办事要跑几趟",
            "measures": "实行代办服务，群众办事一次办结",
            "owner_text": "陈红梅",
            "deadline_text": "长期坚持",
        },
        links={"answers": [inputs[1]]},
    )
    for other in inputs[2:]:
        editing.save_input(filer, other, other.revision, {"explanation": "已在其他条目中整改"})
    listing.refresh_from_db()
    return approved(listing, by=filer)


def publish(user, document, channel="长沙县人民政府门户网站", on=TODAY):
    last = transitions.latest(document.pk)
    return transitions.publish(user, document.pk, last.pk if last else 0, channel, on)


# The moves ----------------------------------------------------------------------------


def test_a_filer_publishes_the_approved_version_in_the_scope_of_the_rules(cast, plan):
    publication = publish(fresh(cast.filer), plan)
    assert publication.scope == rules.Scope.PUBLIC and publication.basis == rules.PUBLIC
    version = Version.objects.filter(document=plan).order_by("-number").first()
    assert publication.version == version
    assert (publication.channel, publication.published_on, publication.published_by) == (
        "长沙县人民政府门户网站",
        TODAY,
        cast.filer,
    )
    [event] = Event.objects.filter(publication=publication)
    assert (event.action, event.actor, event.text) == (Action.PUBLISH, cast.filer, "长沙县人民政府门户网站")


def test_the_scope_of_a_village_list_and_of_individual_measures(cast, leaders):
    listing = village_list(cast)
    assert publish(fresh(cast.filer), listing, "村务公开栏").scope == rules.Scope.MASSES
    measures = approved(filled_individual(cast), by=cast.member)
    assert publish(cast.member, measures, "县委常委班子会议通报").scope == rules.Scope.INTERNAL


def test_only_the_filers_publish(cast, plan):
    # The team's members fill its plan in (plans.access.fills) and may publish it; the
    # bodies above, another team's head and an outsider may not.
    for outsider in (cast.principal, cast.group, cast.office, cast.outsider):
        with pytest.raises(NotAllowed):
            publish(fresh(outsider), plan)
    assert not Publication.objects.exists()


def test_only_an_approved_document_is_published(cast, leaders):
    draft = filled_team_plan(cast)
    with pytest.raises(NotReady, match="审阅通过后"):
        publish(fresh(cast.filer), draft)
    review.submit(cast.filer, draft)
    with pytest.raises(NotReady, match="审阅通过后"):
        publish(fresh(cast.filer), draft)
    attachment = Document.objects.filter(parent=draft).first()
    Document.objects.filter(pk__in=[draft.pk, attachment.pk]).update(status=Status.APPROVED)
    with pytest.raises(NotReady, match="附件"):
        publish(fresh(cast.filer), attachment)
    assert not Publication.objects.exists()


@pytest.mark.parametrize(
    ("channel", "on", "message"),
    [
        ("  ", TODAY, "公开渠道"),
        ("网" * 201, TODAY, "不超过"),
        ("网站", None, "公开日期"),
        ("网站", dt.date(2999, 1, 1), "晚于今天"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(cast, plan, channel, on, message):
    with pytest.raises(NotReady, match=message):
        publish(fresh(cast.filer), plan, channel, on)
    assert not Publication.objects.exists() and not Event.objects.exists()


def test_a_refused_form_comes_back_with_what_was_typed(cast, plan, client):
    client.force_login(cast.filer)
    page = reverse("plans:document", args=[plan.pk])
    # A date the page's own field would not let through: refused, and the channel kept.
    client.post(
        reverse("publication:publish", args=[plan.pk]),
        {"after": 0, "channel": "长沙县人民政府门户网站", "published_on": "2999-01-01"},
    )
    assert not Publication.objects.exists()
    shown = client.get(page).content.decode()
    assert "晚于今天" in shown and 'value="长沙县人民政府门户网站"' in shown
    assert 'value="长沙县人民政府门户网站"' not in client.get(page).content.decode()  # put back once
    # A withdrawal from a stale page: refused, and the reason kept, its form open.
    publication = publish(fresh(cast.filer), plan)
    client.post(
        reverse("publication:withdraw", args=[publication.pk]),
        {"revision": publication.revision + 1, "reason": "发现错别字，修改后重新公开"},
    )
    publication.refresh_from_db()
    assert publication.live
    shown = client.get(page).content.decode()
    assert "<details open>" in shown and "发现错别字，修改后重新公开</textarea>" in shown


def test_publishing_twice_or_from_a_stale_page_is_refused(cast, plan):
    filer = fresh(cast.filer)
    first = publish(filer, plan)
    with pytest.raises(Stale):
        transitions.publish(filer, plan.pk, 0, "另一个网站", TODAY)  # the page showed none
    with pytest.raises(Stale, match="已经公开"):
        transitions.publish(filer, plan.pk, first.pk, "另一个网站", TODAY)
    assert Publication.objects.count() == 1


def test_withdrawing_needs_a_reason_and_the_revision_shown(cast, plan):
    filer = fresh(cast.filer)
    publication = publish(filer, plan)
    with pytest.raises(NotReady, match="理由"):
        transitions.withdraw(filer, publication.pk, publication.revision, "  ")
    with pytest.raises(Stale):
        transitions.withdraw(filer, publication.pk, publication.revision + 1, "发现错字")
    with pytest.raises(NotAllowed):
        transitions.withdraw(fresh(cast.group), publication.pk, publication.revision, "发现错字")
    publication.refresh_from_db()
    assert publication.live
    transitions.withdraw(filer, publication.pk, publication.revision, "责任人有调整，更正后重新公开")
    publication.refresh_from_db()
    assert not publication.live and publication.withdrawn_reason == "责任人有调整，更正后重新公开"
    assert list(Event.objects.values_list("action", flat=True)) == [Action.PUBLISH, Action.WITHDRAW]
    with pytest.raises(Stale):
        transitions.withdraw(filer, publication.pk, publication.revision, "再撤一次")
    again = publish(filer, plan, "《长沙晚报》")
    assert again.pk != publication.pk and Publication.objects.live().get() == again


def test_the_authors_are_told(cast, plan, django_capture_on_commit_callbacks):
    from review.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        publish(fresh(cast.filer), plan)
    assert Notification.objects.filter(user=cast.filer, text__contains="已在当地媒体公开").exists()


# Who reads individual measures ----------------------------------------------------------


def test_a_colleague_reads_individual_measures_only_while_published_within_the_team(cast, leaders):
    measures = filled_individual(cast)
    colleague = cast.secretary
    other = user("other_member")
    seat_person = Person.objects.create(name="罗志强", user=other)
    Position.objects.create(person=seat_person, team=cast.committee, title="县委常委、宣传部部长")

    def reads(account):
        account = fresh(account)
        return policy.visible(account, Document).filter(pk=measures.pk).exists(), policy.can(
            account, policy.Right.VIEW, measures
        )

    assert reads(other) == (False, False)  # a colleague's draft is not the team's
    assert reads(cast.member) == (True, True)  # the leader's own
    assert reads(cast.filer) == (True, True)  # the team's filer
    # The party secretary reads the region's submitted documents, not a colleague's draft.
    assert reads(colleague) == (False, False)
    approved(measures, by=cast.member)
    assert reads(colleague) == (True, True)
    assert reads(other) == (False, False)  # approved is not yet published
    publication = publish(fresh(cast.member), measures, "县委常委班子会议通报")
    assert reads(other) == (True, True)
    transitions.withdraw(fresh(cast.member), publication.pk, publication.revision, "措施需调整")
    assert reads(other) == (False, False)


def test_the_team_page_does_not_link_a_colleague_s_measures(cast, client):
    measures = filled_individual(cast)
    other = user("other_member")
    Position.objects.create(
        person=Person.objects.create(name="罗志强", user=other), team=cast.committee, title="县委常委"
    )
    client.force_login(other)
    html = client.get(reverse("plans:team_documents", args=[cast.committee.pk])).content.decode()
    assert reverse("plans:document", args=[measures.pk]) not in html
    assert client.get(reverse("plans:document", args=[measures.pk])).status_code == 404


# The public site ------------------------------------------------------------------------


def no_cookies(response):
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response


def test_a_published_plan_is_on_the_public_site_without_login_or_cookies(
    cast, plan, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # its PDF is printed as it is published
        publication = publish(fresh(cast.filer), plan)
    index = client.get(reverse("publication:public"))
    no_cookies(index)
    assert plan.title in index.content.decode()
    assert "public" in index["Cache-Control"] and "max-age=" in index["Cache-Control"]
    page = client.get(reverse("publication:public_document", args=[publication.pk]))
    no_cookies(page)
    html = page.content.decode()
    snapshot = publication.version.snapshot
    assert snapshot["sections"]["problems"][0]["text"] in html
    assert "csrfmiddlewaretoken" not in html and "csrftoken" not in html
    for entry in snapshot["inputs"]:
        assert entry["text"] not in html
    pdf = get_pdf(client, reverse("publication:public_pdf", args=[publication.pk]))
    no_cookies(pdf)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "public" in pdf["Cache-Control"]


def test_searching_and_browsing_by_region(cast, plan, client):
    publish(fresh(cast.filer), plan)
    url = reverse("publication:public")
    assert plan.title in client.get(url, {"q": "长沙县"}).content.decode()
    assert plan.title not in client.get(url, {"q": "攸县"}).content.decode()
    assert plan.title in client.get(url, {"region": "4301"}).content.decode()
    assert plan.title not in client.get(url, {"region": "4302"}).content.decode()
    top = client.get(url).content.decode()
    assert "?region=43" in top  # 湖南省 holds one


def test_the_public_site_shows_only_live_public_publications(cast, plan, client, leaders):
    url = lambda pk: reverse("publication:public_document", args=[pk])  # noqa: E731
    assert client.get(url(plan.pk)).status_code == 404  # nothing published
    publication = publish(fresh(cast.filer), plan)
    assert client.get(url(publication.pk)).status_code == 200
    transitions.withdraw(fresh(cast.filer), publication.pk, publication.revision, "更正")
    gone = client.get(url(publication.pk))
    assert gone.status_code == 404 and "已撤回" in gone.content.decode()
    no_cookies(gone)
    assert plan.title not in client.get(reverse("publication:public")).content.decode()
    measures = approved(filled_individual(cast), by=cast.member)
    internal = publish(cast.member, measures, "班子会议")
    assert client.get(url(internal.pk)).status_code == 404
    assert client.get(reverse("publication:public_pdf", args=[internal.pk])).status_code == 404
    assert measures.title not in client.get(reverse("publication:public")).content.decode()


def test_the_public_page_renders_the_approved_version_not_the_live_rows(cast, plan, client):
    publication = publish(fresh(cast.filer), plan)
    problem = plan.items.filter(section="problems").first()
    type(problem).objects.filter(pk=problem.pk).update(text="后来改动、从未审阅的文字")
    html = client.get(reverse("publication:public_document", args=[publication.pk])).content.decode()
    assert "后来改动、从未审阅的文字" not in html
    assert publication.version.snapshot["sections"]["problems"][0]["text"] in html


def test_a_village_list_shows_each_entry_s_state_and_its_notice(
    cast, leaders, client, django_capture_on_commit_callbacks, tmp_path
):
    listing = village_list(cast)
    with django_capture_on_commit_callbacks(execute=True):  # its PDFs are printed as it is published
        publication = publish(fresh(cast.filer), listing, "开元路社区公示栏")
    assert publication.scope == rules.Scope.MASSES
    url = reverse("publication:public_document", args=[publication.pk])
    html = client.get(url).content.decode()
    assert html.count("整改中") == 1 and "长期坚持" in html and "已完成" not in html
    dated = Entry.objects.get(document=listing, standing=False)
    Entry.objects.filter(pk=dated.pk).update(state=EntryState.CLOSED)
    cache.clear()
    html = client.get(url).content.decode()
    assert "已完成" in html and "整改中" not in html
    notice = get_pdf(client, reverse("publication:public_notice", args=[publication.pk]))
    no_cookies(notice)
    assert notice.content.startswith(b"%PDF")
    # Its date's first character stands two right of the 署名's, two in from the right.
    unit = publication.version.snapshot.get("unit_name") or listing.team.name
    [(width, _height, found)] = lines(notice.getvalue(), tmp_path)
    by_text = {line.text: line for line in found}
    name, date = by_text[unit], by_text[chinese_date(publication.published_on)]
    em = 12  # the notice's body size for a short list
    assert date.x0 - name.x0 == pytest.approx(2 * em, abs=0.6)
    right = width - 16 * 72 / 25.4 - 6  # the page's margin and the body's own (8px)
    assert max(name.x1, date.x1) == pytest.approx(right - 2 * em, abs=1)


def test_a_plan_has_no_notice(cast, plan, client):
    publication = publish(fresh(cast.filer), plan)
    assert client.get(reverse("publication:public_notice", args=[publication.pk])).status_code == 404


def test_no_comment_reaches_the_public_page(cast, leaders, client):
    document = filled_team_plan(cast)
    submitted = review.submit(cast.filer, document)
    step = submitted.steps.filter(state="pending").first()
    problem = document.items.filter(section="problems").first()
    review.return_for_revision(
        step.assignees.first(),
        step.pk,
        submitted.revision,
        [{"reason": "not_concrete"}],
        {problem.uid: "批注：请写具体"},
    )
    comment = Comment.objects.get()
    review.address(cast.filer, comment.pk, True, "已改写")
    review.resubmit(cast.filer, document)
    document.refresh_from_db()
    # approved() submits first; the document is under review already, so finish it here.
    from review.models import Mode, StepState

    current = document.reviews.get(state="open")
    while (step := current.steps.filter(mode=Mode.REVIEW, state=StepState.PENDING).first()) is not None:
        review.approve(step.assignees.first(), step.pk, current.revision)
        current.refresh_from_db()
    publication = publish(fresh(cast.filer), document)
    html = client.get(reverse("publication:public_document", args=[publication.pk])).content.decode()
    assert "批注：请写具体" not in html and "已改写" not in html


def test_the_rate_limit_answers_429_in_chinese(cast, plan, client, settings):
    settings.PUBLIC_RATE_LIMIT = 3
    url = reverse("publication:public")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429 and "访问过于频繁" in refused.content.decode()
    no_cookies(refused)


def test_the_public_site_is_get_only(client):
    assert client.post(reverse("publication:public")).status_code == 405


def test_pages_are_cached_until_a_move(cast, plan, client, django_assert_num_queries):
    url = reverse("publication:public")
    client.get(url)
    # A kept page: the address counted, the generation read, the page read.
    with django_assert_num_queries(3):
        client.get(url)
    publish(fresh(cast.filer), plan)
    assert plan.title in client.get(url).content.decode()
