"""What a reviewer writes before deciding: 批注 on items and the 总体意见 are kept on the
server as they are typed, for that reviewer and that step alone, until the return or the
approval that sends (or discards) them."""

import pytest
from django.urls import reverse

from plans.words import Status
from review import transitions
from review.models import (
    COMMENT_MAX_CHARS,
    NOTE_MAX_CHARS,
    RESUBMIT_NOTE_MAX_CHARS,
    Action,
    Comment,
    CommentDraft,
    Event,
    StepState,
)
from review.moves import NotReady, Stale, TransitionError

from .conftest import user
from .factories import filled_team_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(cast, leaders):
    """长沙县委's plan, submitted; the provincial group has a second member, 周建军."""
    cast.colleague = user("colleague", first_name="周建军")
    cast.group_body.group.user_set.add(cast.colleague)
    plan = filled_team_plan(cast)
    review = transitions.submit(cast.filer, plan)
    step = review.steps.get(authority="provincial_group")
    assert set(step.assignees.all()) == {cast.group, cast.colleague}
    problems = list(plan.items.filter(section="problems").order_by("category", "position", "id"))
    return plan, review, step, problems


def drafts(step, who):
    return {
        (str(uid) if uid else None): text
        for uid, text in CommentDraft.objects.filter(step=step, user=who).values_list("item_uid", "text")
    }


def page(client, who, plan):
    client.force_login(who)
    return client.get(reverse("plans:document", args=[plan.pk])).content.decode()


def test_a_draft_is_kept_as_typed_and_belongs_to_its_writer(cast, client, submitted):
    plan, review, step, problems = submitted
    first, second = problems[0].uid, problems[1].uid
    url = reverse("review:draft", args=[step.pk])
    client.force_login(cast.group)
    assert client.post(url, {"item": first, "text": "措施要写明学习会"}).status_code == 200
    assert client.post(url, {"item": first, "text": "措施要写明学习会的具体内容"}).status_code == 200
    assert client.post(url, {"item": second, "text": "压缩比例要有基数"}).status_code == 200
    answer = client.post(url, {"text": "请对照意见逐条修改"})
    assert answer.status_code == 200 and "已保存" in answer.content.decode()
    assert drafts(step, cast.group) == {
        str(first): "措施要写明学习会的具体内容",
        str(second): "压缩比例要有基数",
        None: "请对照意见逐条修改",
    }
    # The writer's page shows them back, in the fields they were typed in.
    html = page(client, cast.group, plan)
    assert "措施要写明学习会的具体内容</textarea>" in html
    assert "压缩比例要有基数</textarea>" in html
    assert "请对照意见逐条修改</textarea>" in html
    # The other member of the same group never sees them, and writes their own.
    html = page(client, cast.colleague, plan)
    assert "措施要写明学习会" not in html and "请对照意见逐条修改" not in html
    assert client.post(url, {"item": first, "text": "另一位审阅人的批注"}).status_code == 200
    assert drafts(step, cast.colleague) == {str(first): "另一位审阅人的批注"}
    assert drafts(step, cast.group)[str(first)] == "措施要写明学习会的具体内容"
    # Emptying a field removes its draft.
    client.force_login(cast.group)
    assert client.post(url, {"item": second, "text": "  "}).status_code == 200
    assert str(second) not in drafts(step, cast.group)
    # Nothing about the review changed.
    review.refresh_from_db()
    step.refresh_from_db()
    assert (review.revision, step.state) == (1, StepState.PENDING)
    assert not Comment.objects.exists()


def test_who_may_write_a_draft(cast, client, submitted):
    plan, review, step, problems = submitted
    url = reverse("review:draft", args=[step.pk])
    data = {"item": problems[0].uid, "text": "批注"}
    client.force_login(cast.group)
    assert client.get(url).status_code == 405
    client.force_login(cast.outsider)  # outside the jurisdiction: the step is not there
    assert client.post(url, data).status_code == 404
    client.force_login(cast.nobody)
    assert client.post(url, data).status_code == 404
    client.force_login(cast.office)  # sees the document, but the step is not the office's
    refused = client.post(url, data)
    assert refused.status_code == 403 and "您不是这一审阅环节的审阅人" in refused.content.decode()
    client.force_login(cast.filer)
    assert client.post(url, data).status_code == 403
    client.force_login(cast.group)  # an item that is not in the version under review
    stranger = client.post(url, {"item": "00000000-0000-0000-0000-000000000000", "text": "批注"})
    assert stranger.status_code == 409 and "不在当前版本中" in stranger.content.decode()
    assert not CommentDraft.objects.exists()


def test_a_step_no_longer_waiting_takes_no_draft(cast, client, submitted):
    plan, review, step, problems = submitted
    office = review.steps.get(authority="provincial_office")
    client.force_login(cast.office)  # the office's step is not reached yet
    early = client.post(reverse("review:draft", args=[office.pk]), {"text": "总体意见"})
    assert early.status_code == 409 and "这一环节现在不需要您作出决定" in early.content.decode()
    transitions.approve(cast.colleague, step.pk, review.revision)
    client.force_login(cast.group)  # the colleague decided the step the group was writing on
    late = client.post(reverse("review:draft", args=[step.pk]), {"item": problems[0].uid, "text": "晚了"})
    assert late.status_code == 409 and "这一环节现在不需要您作出决定" in late.content.decode()
    with pytest.raises(Stale):
        transitions.save_drafts(cast.group, step.pk, {None: "晚了"})
    assert not CommentDraft.objects.exists()


def test_a_refused_return_keeps_every_comment_and_the_note(cast, client, submitted):
    plan, review, step, problems = submitted
    client.force_login(cast.group)
    response = client.post(
        reverse("review:return", args=[step.pk]),
        {
            "revision": review.revision,
            f"comment-{problems[0].uid}": "措施要写明学习会的具体内容",
            f"comment-{problems[1].uid}": "压缩比例要有基数",
            f"comment-{problems[2].uid}": "",
            "note": "请对照意见逐条修改",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "退回修改须至少选择一条理由。" in html
    for text in ("措施要写明学习会的具体内容", "压缩比例要有基数", "请对照意见逐条修改"):
        assert f"{text}</textarea>" in html
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED and not Comment.objects.exists()
    assert drafts(step, cast.group) == {
        str(problems[0].uid): "措施要写明学习会的具体内容",
        str(problems[1].uid): "压缩比例要有基数",
        None: "请对照意见逐条修改",
    }


def test_a_recorded_return_clears_its_writers_drafts(cast, submitted):
    plan, review, step, problems = submitted
    transitions.save_drafts(cast.group, step.pk, {problems[0].uid: "草稿", None: "总体意见草稿"})
    transitions.save_drafts(cast.colleague, step.pk, {problems[1].uid: "同事的草稿"})
    transitions.return_for_revision(
        cast.group,
        step.pk,
        review.revision,
        [{"reason": "not_concrete"}],
        {problems[0].uid: "定稿"},
        "总体意见",
    )
    assert drafts(step, cast.group) == {}
    assert Comment.objects.get().text == "定稿"
    # The colleague's own draft is theirs: it waits for the step to be theirs again.
    assert drafts(step, cast.colleague) == {str(problems[1].uid): "同事的草稿"}


def test_approving_with_drafts_asks_what_becomes_of_them(cast, submitted):
    plan, review, step, problems = submitted
    transitions.save_drafts(cast.group, step.pk, {problems[0].uid: "学习会内容可再具体", None: "总体可行"})
    with pytest.raises(NotReady, match="请选择随审阅通过送达，或者放弃"):
        transitions.approve(cast.group, step.pk, review.revision)
    with pytest.raises(NotReady):
        transitions.approve(cast.group, step.pk, review.revision, remarks="later")
    step.refresh_from_db()
    assert step.state == StepState.PENDING
    assert not Event.objects.filter(action=Action.APPROVE).exists()
    assert len(drafts(step, cast.group)) == 2

    transitions.approve(cast.group, step.pk, review.revision, remarks=transitions.SEND_REMARKS)
    event = Event.objects.get(action=Action.APPROVE)
    assert event.comment == "总体可行"
    remark = Comment.objects.get()
    assert (remark.event, str(remark.item_uid), remark.text, remark.item_text) == (
        event,
        str(problems[0].uid),
        "学习会内容可再具体",
        problems[0].text,
    )
    assert drafts(step, cast.group) == {}


def test_discarding_drops_the_drafts_and_sends_nothing(cast, submitted):
    plan, review, step, problems = submitted
    transitions.save_drafts(cast.group, step.pk, {problems[0].uid: "不送了", None: "也不送"})
    transitions.approve(cast.group, step.pk, review.revision, remarks=transitions.DISCARD_REMARKS)
    event = Event.objects.get(action=Action.APPROVE)
    assert event.comment == "" and not Comment.objects.exists()
    assert not CommentDraft.objects.exists()


def test_an_approval_without_drafts_needs_no_choice(cast, submitted):
    plan, review, step, problems = submitted
    transitions.approve(cast.group, step.pk, review.revision)
    step.refresh_from_db()
    assert step.state == StepState.APPROVED


def test_approving_over_http_says_what_to_choose(cast, client, submitted):
    plan, review, step, problems = submitted
    transitions.save_drafts(cast.group, step.pk, {problems[0].uid: "学习会内容可再具体"})
    client.force_login(cast.group)
    url = reverse("review:approve", args=[step.pk])
    refused = client.post(url, {"revision": review.revision}, follow=True)
    assert "请选择随审阅通过送达，或者放弃" in refused.content.decode()
    step.refresh_from_db()
    assert step.state == StepState.PENDING
    assert client.post(url, {"revision": review.revision, "remarks": "send"}).status_code == 302
    step.refresh_from_db()
    assert step.state == StepState.APPROVED
    assert Comment.objects.get().event.action == Action.APPROVE


def test_remarks_sent_with_an_approval_ask_nothing_of_the_filer(cast, client, submitted):
    """The filer sees them beside the item; only the comments of a return wait for an
    answer before the document may be sent again."""
    plan, review, step, problems = submitted
    transitions.save_drafts(cast.group, step.pk, {problems[0].uid: "学习会内容可再具体"})
    transitions.approve(cast.group, step.pk, review.revision, remarks=transitions.SEND_REMARKS)
    office = review.steps.get(authority="provincial_office")
    review.refresh_from_db()
    transitions.return_for_revision(
        cast.office, office.pk, review.revision, [{"reason": "no_owner"}], {problems[1].uid: "责任人不明确"}
    )
    html = page(client, cast.filer, plan)
    assert "学习会内容可再具体" in html and "审阅通过时的意见" in html
    returned = Comment.objects.get(event__action=Action.RETURN)
    with pytest.raises(TransitionError, match="还有 1 条审阅意见"):
        transitions.resubmit(cast.filer, plan)
    transitions.address(cast.filer, returned.pk, True)
    transitions.resubmit(cast.filer, plan)
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


# Limits ---------------------------------------------------------------------------------


def test_each_text_says_its_limit_on_the_page(cast, client, submitted):
    plan, review, step, problems = submitted
    html = page(client, cast.group, plan)
    note = html.split('id="return-note"', 1)[1].split(">", 1)[0]
    assert f'data-limit="{NOTE_MAX_CHARS}"' in note
    on_item = html.split(f'name="comment-{problems[0].uid}"', 1)[1].split(">", 1)[0]
    assert f'data-limit="{COMMENT_MAX_CHARS}"' in on_item
    form = html.split('id="return-form"', 1)[1].split(">", 1)[0]
    assert "删减之前不能退回修改或审阅通过" in form  # what the note says past the limit
    transitions.return_for_revision(cast.group, step.pk, review.revision, [{"reason": "not_concrete"}])
    html = page(client, cast.filer, plan)
    resubmit = html.split('id="resubmit-form"', 1)[1].split("</form>", 1)[0]
    assert f'data-limit="{RESUBMIT_NOTE_MAX_CHARS}"' in resubmit and "才能重新报送" in resubmit


def test_a_draft_over_its_limit_is_refused_and_the_one_kept_stays(cast, client, submitted):
    plan, review, step, problems = submitted
    url = reverse("review:draft", args=[step.pk])
    uid = problems[0].uid
    client.force_login(cast.group)
    assert client.post(url, {"item": uid, "text": "措施要具体"}).status_code == 200
    refused = client.post(url, {"item": uid, "text": "问" * (COMMENT_MAX_CHARS + 1)})
    assert refused.status_code == 422
    assert (
        f"批注最多 {COMMENT_MAX_CHARS:,} 字，现在是 {COMMENT_MAX_CHARS + 1:,} 字" in refused.content.decode()
    )
    assert drafts(step, cast.group) == {str(uid): "措施要具体"}
    # At the limit it is kept; a line break counts once, as the field counted it.
    full = "问\r\n" * (COMMENT_MAX_CHARS // 2)
    assert client.post(url, {"item": uid, "text": full}).status_code == 200
    assert client.post(url, {"text": "意" * (NOTE_MAX_CHARS + 1)}).status_code == 422
    assert client.post(url, {"text": "意" * NOTE_MAX_CHARS}).status_code == 200
    assert drafts(step, cast.group) == {str(uid): full, None: "意" * NOTE_MAX_CHARS}


def test_a_return_with_a_text_over_its_limit_is_refused_and_keeps_the_others(cast, client, submitted):
    plan, review, step, problems = submitted
    client.force_login(cast.group)
    response = client.post(
        reverse("review:return", args=[step.pk]),
        {
            "revision": review.revision,
            "reason": "not_concrete",
            f"comment-{problems[0].uid}": "问" * (COMMENT_MAX_CHARS + 5),
            f"comment-{problems[1].uid}": "压缩比例要有基数",
            "note": "请对照意见逐条修改",
        },
        follow=True,
    )
    assert f"批注最多 {COMMENT_MAX_CHARS:,} 字" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED and not Comment.objects.exists()
    assert drafts(step, cast.group) == {str(problems[1].uid): "压缩比例要有基数", None: "请对照意见逐条修改"}
    with pytest.raises(NotReady, match="总体意见最多"):
        transitions.return_for_revision(
            cast.group,
            step.pk,
            review.revision,
            [{"reason": "not_concrete"}],
            {},
            "意" * (NOTE_MAX_CHARS + 1),
        )


def test_a_resubmission_note_over_its_limit_is_refused(cast, client, submitted):
    plan, review, step, problems = submitted
    transitions.return_for_revision(cast.group, step.pk, review.revision, [{"reason": "not_concrete"}])
    client.force_login(cast.filer)
    url = reverse("review:resubmit", args=[plan.pk])
    refused = client.post(url, {"note": "改" * (RESUBMIT_NOTE_MAX_CHARS + 1)}, follow=True)
    assert f"修改说明最多 {RESUBMIT_NOTE_MAX_CHARS:,} 字" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.RETURNED
    assert client.post(url, {"note": "改" * RESUBMIT_NOTE_MAX_CHARS}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
