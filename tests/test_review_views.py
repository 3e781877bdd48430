"""Review over HTTP: who may submit, decide, read and answer; stale pages; the inbox
with its filters, counts and pinned queries; the changes page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from plans import editing
from plans.documents import open_team_document
from plans.models import Document
from plans.words import Status
from review import transitions
from review.models import Comment, Event, Notification, Review, StepState

from .conftest import fresh, user
from .factories import filled_team_plan

pytestmark = pytest.mark.django_db

# What the inbox and a submitted team plan's page cost a reviewer, whatever the numbers
# of rows, items and documents (tests/test_seed_scale.py checks the same at scale), on
# the reviewer's second page: the reach their first read is kept by the process, and
# only the token of who holds what is read again (orgs.stamps).
# The inbox's last query reads whether the user is among each listed step's assignees,
# which the read move's guard asks before a row offers its checkbox. A supervision
# group files for no team, so its list of returned documents to revise costs no query.
INBOX_QUERIES = 9
# The page's last two ask oversight whether an open spot check of the reviewer's samples
# the document, and for the findings the reviewer's bodies recorded on it; the checklist
# reads the team's members once, to tell a 责任人 of the team from one who is not; one
# reads the 批注 and 总体意见 the reviewer has written and not yet sent. Who last changed
# the document (and their person's name) comes with the document itself. The items of the
# plan and of its two attachments are read together, once, for the rows and the checklist
# alike (four queries: the items and their three kinds of links).
TEAM_PLAN_PAGE_QUERIES = 23


@pytest.fixture
def submitted(cast, leaders, django_capture_on_commit_callbacks):
    plan = filled_team_plan(cast)
    with django_capture_on_commit_callbacks(execute=True):
        review = transitions.submit(cast.filer, plan)
    return plan, review


def pending(review):
    return review.steps.get(state=StepState.PENDING)


def test_a_draft_shows_its_route_and_who_is_missing(cast, client):
    plan = filled_team_plan(cast)
    client.force_login(cast.filer)
    html = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert "省委派驻该市州督导组" in html and "省委有关领导" in html
    assert "尚未指定人员" in html  # nobody is 省委有关领导 in this cast
    response = client.post(reverse("review:submit", args=[plan.pk]), follow=True)
    assert "“省委有关领导”尚未指定人员" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT and not Review.objects.exists()


def test_an_incomplete_document_cannot_be_submitted(cast, client, leaders):
    plan = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    response = client.post(reverse("review:submit", args=[plan.pk]), follow=True)
    assert "项须整改，不能报送" in response.content.decode()
    assert not Review.objects.exists()


def test_only_filers_submit_and_strangers_do_not_reach(cast, client, leaders):
    plan = filled_team_plan(cast)
    client.force_login(cast.outsider)
    assert client.post(reverse("review:submit", args=[plan.pk])).status_code == 404
    client.force_login(cast.group)  # a draft is outside the group's sight
    assert client.post(reverse("review:submit", args=[plan.pk])).status_code == 404
    client.force_login(cast.filer)
    assert client.post(reverse("review:submit", args=[plan.pk])).status_code == 302
    assert Review.objects.count() == 1
    # A second click finds it already submitted.
    again = client.post(reverse("review:submit", args=[plan.pk]), follow=True)
    assert "已经报送" in again.content.decode()
    assert Review.objects.count() == 1


def test_only_the_current_steps_assignees_decide(cast, client, submitted):
    plan, review = submitted
    step = pending(review)
    url = reverse("review:approve", args=[step.pk])
    client.force_login(cast.office)  # sees it (the province), but its step is not reached
    assert client.post(url, {"revision": review.revision}).status_code == 403
    client.force_login(cast.filer)
    assert client.post(url, {"revision": review.revision}).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(url, {"revision": review.revision}).status_code == 404
    assert Event.objects.filter(action="approve").count() == 0
    client.force_login(cast.group)
    assert client.post(url, {"revision": review.revision}).status_code == 302
    step.refresh_from_db()
    assert step.state == StepState.APPROVED and step.decided_by == cast.group


def test_a_page_left_open_cannot_decide_on_an_old_state(cast, client, submitted):
    plan, review = submitted
    step = pending(review)
    old = review.revision
    client.force_login(cast.group)
    client.post(
        reverse("review:return", args=[step.pk]),
        {"revision": old, "reason": ["no_owner"], "note": "责任人不明确"},
    )
    transitions.resubmit(cast.filer, plan)
    # The reviewer's other tab still shows the first version's page.
    response = client.post(reverse("review:approve", args=[step.pk]), {"revision": old}, follow=True)
    assert "页面打开后审阅情况已有变化" in response.content.decode()
    step.refresh_from_db()
    assert step.state == StepState.PENDING


def test_a_return_needs_grounds_and_names_the_source(cast, client, submitted):
    plan, review = submitted
    step = pending(review)
    client.force_login(cast.group)
    url = reverse("review:return", args=[step.pk])
    empty = client.post(url, {"revision": review.revision, "note": "不行"}, follow=True)
    assert "至少选择一条理由" in empty.content.decode()
    vague = client.post(url, {"revision": review.revision, "reason": ["four_responses"]}, follow=True)
    assert "指明没有回应的是哪一项" in vague.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    problem = plan.items.filter(section="problems").first()
    done = client.post(
        url,
        {
            "revision": review.revision,
            "reason": ["four_responses", "not_targeted"],
            "source": ["superior"],
            f"comment-{problem.uid}": "没有回应督导组点明的问题",
        },
    )
    assert done.status_code == 302
    event = Event.objects.get(action="return")
    assert event.grounds == [
        {"reason": "four_responses", "source": "superior"},
        {"reason": "not_targeted", "source": None},
    ]
    assert Comment.objects.get().item_uid == problem.uid
    # The filer sees it beside the item, and it can be answered only by the team's people.
    client.force_login(cast.filer)
    html = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert "没有回应督导组点明的问题" in html and "没有做到“四个回应”（上级党组织和督导组点明的问题）" in html
    comment = Comment.objects.get()
    client.force_login(cast.group)
    assert client.post(reverse("review:address", args=[comment.pk]), {"addressed": "on"}).status_code == 403
    client.force_login(cast.filer)
    answered = client.post(
        reverse("review:address", args=[comment.pk]), {"addressed": "on"}, HTTP_HX_REQUEST="true"
    )
    assert answered.status_code == 200
    comment.refresh_from_db()
    assert comment.addressed and comment.addressed_by == cast.filer


def test_withdraw_before_the_first_decision_only(cast, client, submitted):
    plan, review = submitted
    client.force_login(cast.filer)
    client.post(reverse("review:withdraw", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT
    block = plan.items.get(section="principles")
    editing.save_item(cast.filer, block, block.revision, {"text": "撤回后补充的内容"})
    review = transitions.submit(cast.filer, plan)
    client.force_login(cast.group)
    client.post(reverse("review:approve", args=[pending(review).pk]), {"revision": review.revision})
    client.force_login(cast.filer)
    response = client.post(reverse("review:withdraw", args=[plan.pk]), follow=True)
    assert "已有审阅意见，不能再撤回" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_the_inbox_lists_oldest_first_filters_and_costs_the_same_at_any_size(cast, client, leaders):
    client.force_login(cast.group)
    url = reverse("review:inbox")
    assert "没有待办的文件" in client.get(url).content.decode()

    plan = filled_team_plan(cast)
    transitions.submit(cast.filer, plan)
    with CaptureQueriesContext(connection) as one:
        html = client.get(url, {"state": "all"}).content.decode()
    assert plan.title in html and html.count('class="inbox-row"') == 1

    def rows(**filters):
        return client.get(url, filters).content.decode().count('class="inbox-row"')

    assert rows(region=cast.changsha.pk) == 1
    assert rows(region=cast.zhuzhou.pk) == 0
    assert rows(kind="individual") == 0
    assert rows(state="done") == 0
    # A second row (the leaders' reading step, not yet reached, also given to the group)
    # costs no query.
    Review.objects.get().steps.get(authority="provincial_leaders").assignees.add(cast.group)
    with CaptureQueriesContext(connection) as two:
        assert rows(state="all") == 2
    assert len(two.captured_queries) == len(one.captured_queries)
    assert len(one.captured_queries) == INBOX_QUERIES
    # The outsider's inbox is empty.
    client.force_login(cast.outsider)
    assert plan.title not in client.get(url).content.decode()
    # Once decided, it moves to what the group has done.
    client.force_login(cast.group)
    review = Review.objects.get()
    transitions.approve(cast.group, pending(review).pk, review.revision)
    assert rows(state="pending") == 0 and rows(state="done") == 1


def test_the_leaders_read_in_bulk_and_reading_never_blocks(cast, client, leaders, submitted):
    plan, review = submitted
    transitions.approve(cast.group, pending(review).pk, review.revision)
    review.refresh_from_db()
    transitions.approve(cast.office, pending(review).pk, review.revision)
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED  # before anybody read it
    read = review.steps.get(authority="provincial_leaders")
    client.force_login(leaders)
    response = client.post(reverse("review:read_many"), {"step": [read.pk]}, follow=True)
    assert "已将 1 份文件标记为已阅" in response.content.decode()
    read.refresh_from_db()
    assert read.state == StepState.READ and read.decided_by == leaders
    again = client.post(reverse("review:read_many"), {"step": [read.pk]}, follow=True)
    assert "已将 0 份文件标记为已阅" in again.content.decode()
    assert Event.objects.filter(action="read").count() == 1


def test_notifications_and_mail_reach_the_next_people(
    cast, leaders, mailoutbox, django_capture_on_commit_callbacks
):
    cast.group.email = "group@example.cn"
    cast.group.save()
    plan = filled_team_plan(cast)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.submit(cast.filer, plan)
    assert Notification.objects.filter(user=cast.group, document=plan).exists()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["group@example.cn"]
    assert plan.title in mailoutbox[0].subject


def test_the_changes_page_compares_versions(cast, client, submitted):
    plan, review = submitted
    problem = plan.items.filter(section="problems").first()
    transitions.return_for_revision(
        cast.group, pending(review).pk, review.revision, [{"reason": "not_concrete"}], {problem.uid: "请具体"}
    )
    problem.refresh_from_db()
    editing.save_item(cast.filer, problem, problem.revision, {"text": "改写后的问题"})
    comment = Comment.objects.get()
    transitions.address(cast.filer, comment.pk, True)
    transitions.resubmit(cast.filer, plan)
    client.force_login(cast.group)
    html = client.get(reverse("review:changes", args=[plan.pk])).content.decode()
    assert "改写后的问题" in html and "请具体" in html and "已整改" in html
    client.force_login(cast.outsider)
    assert client.get(reverse("review:changes", args=[plan.pk])).status_code == 404


def test_the_document_page_with_a_review_costs_the_same_at_any_length(cast, client, leaders):
    small = filled_team_plan(cast, problems=5)
    transitions.submit(cast.filer, small)
    client.force_login(cast.group)
    url = reverse("plans:document", args=[small.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    Document.objects.filter(pk=small.pk).update(status=Status.DRAFT)
    for n in range(20):
        editing.add_item(cast.filer, small, "problems", {"category": "four_winds", "text": f"补充问题{n}"})
    Document.objects.filter(pk=small.pk).update(status=Status.SUBMITTED)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) == TEAM_PLAN_PAGE_QUERIES


def test_individual_measures_and_a_village_list_travel_their_own_chains(cast, client):
    from orgs.models import Position, Role

    from .factories import fill_register, filled_individual

    measures = filled_individual(cast)
    client.force_login(cast.member)
    assert client.post(reverse("review:submit", args=[measures.pk])).status_code == 302
    review = Review.objects.get(document=measures)
    assert [step.authority for step in review.steps.all()] == ["team_principal"]
    assert list(pending(review).assignees.all()) == [cast.secretary]
    client.force_login(cast.secretary)
    client.post(reverse("review:approve", args=[pending(review).pk]), {"revision": review.revision})
    measures.refresh_from_db()
    assert measures.status == Status.APPROVED

    # 开元路社区's list goes to the party committee of 星沙街道 above it.
    head = user("xs_head")
    person = cast.secretary_person.__class__.objects.create(name="周建国", user=head)
    Position.objects.create(
        person=person, team=cast.xingsha_committee, title="党工委书记", role=Role.PRINCIPAL
    )
    assign_perm("orgs.file_team", cast.filer, cast.kaiyuan_committee)
    filer = fresh(cast.filer)
    listing = open_team_document(cast.kaiyuan_committee, filer)
    entry = fill_register(cast, team=cast.kaiyuan_committee)[0]
    editing.add_item(
        cast.filer,
        listing,
        "entries",
        {
            "text": "路灯坏了没人修",
            "measures": "10月底前全部修复并公布报修电话",
            "owner_text": "刘娟",
            "deadline_text": "长期坚持",
        },
        links={"answers": [entry]},
    )
    for other in cast.kaiyuan_committee.inputs.exclude(pk=entry.pk):
        editing.save_input(cast.filer, other, other.revision, {"explanation": "已在其他条目中整改"})
    review = transitions.submit(filer, listing)
    assert [step.authority for step in review.steps.all()] == ["township_committee"]
    client.force_login(head)
    assert listing.title in client.get(reverse("review:inbox")).content.decode()
    client.post(reverse("review:approve", args=[pending(review).pk]), {"revision": review.revision})
    listing.refresh_from_db()
    assert listing.status == Status.APPROVED


def test_opening_a_notification_marks_it_read(cast, client, submitted):
    plan, review = submitted
    note = Notification.objects.get(user=cast.group)
    client.force_login(cast.office)
    assert client.get(reverse("review:notification", args=[note.pk])).status_code == 404
    client.force_login(cast.group)
    response = client.get(reverse("review:notification", args=[note.pk]))
    assert response.url == reverse("plans:document", args=[plan.pk])
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_returned_document_lists_its_comments_with_links_to_their_items(cast, client, submitted):
    plan, review = submitted
    problem = plan.items.filter(section="problems").order_by("category", "position", "id").first()
    attachment = plan.attachments.order_by("kind").first()
    task = attachment.items.first()
    gone = plan.items.filter(section="measures").order_by("position", "id").first()
    transitions.save_drafts(cast.group, pending(review).pk, {problem.uid: "还在写"})
    client.force_login(cast.group)  # under review, there is no such list, drafts or not
    assert (
        'id="returned-comments"' not in client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    )
    transitions.return_for_revision(
        cast.group,
        pending(review).pk,
        review.revision,
        [{"reason": "not_concrete"}],
        {problem.uid: "问题要具体", str(task.uid): "排查范围不明确", gone.uid: "这条措施重复"},
    )
    gone.refresh_from_db()
    editing.delete_item(cast.filer, gone, gone.revision)
    client.force_login(cast.filer)
    html = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    listed = html[html.index('id="returned-comments"') :]
    assert "退回意见 3 条" in listed
    assert f'href="#item-{problem.uid}"' in listed and "问题要具体" in listed
    assert f'href="{reverse("plans:document", args=[attachment.pk])}#item-{task.uid}"' in listed
    assert "这条措施重复" in listed and "该条目已删除" in listed
    assert listed.count("未处理") == 3
    transitions.address(cast.filer, Comment.objects.get(text="问题要具体").pk, True)
    transitions.address(cast.filer, Comment.objects.get(text="排查范围不明确").pk, False, "已修改")
    listed = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    listed = listed[listed.index('id="returned-comments"') :]
    assert listed.count("未处理") == 1 and "已答复" in listed and "已整改" in listed


def test_the_menu_and_the_home_page_count_what_waits(cast, client, submitted, django_assert_num_queries):
    plan, review = submitted
    client.force_login(cast.group)
    url = reverse("review:waiting")
    client.get(url)
    with django_assert_num_queries(3):  # the session, the user, the count
        badge = client.get(url).content.decode()
    assert 'id="waiting-badge"' in badge and ">1</span>" in badge and "待审阅 1 份，送我阅 0 份" in badge
    home = client.get(reverse("home")).content.decode()
    assert (
        'id="waiting"' in home
        and "待审阅" in home
        and "送我阅" not in home[home.index('id="waiting"') :][:600]
    )
    assert f'hx-get="{url}"' in home  # the menu asks for its badge
    assert client.post(url).status_code == 405
    # The leader's read step is not reached yet; once the chain reaches it, it waits there.
    client.force_login(cast.leader)
    assert "waiting-badge" not in client.get(url).content.decode()
    assert 'id="waiting"' not in client.get(reverse("home")).content.decode()
    transitions.approve(cast.group, pending(review).pk, review.revision)
    review.refresh_from_db()
    transitions.approve(cast.office, pending(review).pk, review.revision)
    assert ">1</span>" in client.get(url).content.decode()
    assert "送我阅" in client.get(reverse("home")).content.decode()
    # The group's step is done: nothing waits on it.
    client.force_login(cast.group)
    assert "waiting-badge" not in client.get(url).content.decode()
