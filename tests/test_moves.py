"""The move table against the whole demo: what a page offers is exactly what the
transitions allow.

Every demo document (each team's plan or list, its attachments, every leader's
measures), some of them taken through review to every state a document can be in, is
looked at by every demo user: each move available_moves() offers succeeds, in a
transaction rolled back afterwards, and each move it does not offer is refused by the
transition itself.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from devdata import samples
from orgs.models import Person, Team, TeamKind
from plans import editing
from plans.documents import open_individual_document, open_team_document
from plans.models import Document, Input
from plans.structure import has_individual_measures
from plans.words import Status
from review import transitions
from review.models import Comment, StepState
from review.moves import MOVES, Situation, TransitionError, available_moves

from .test_demo import seed


class RolledBack(Exception):
    """Thrown out of a move that succeeded, so that it leaves nothing behind."""


def login(username):
    return get_user_model().objects.get(username=username)


def explain_the_rest(user, team, person=None):
    """Explain in writing every entry of the register nothing answers yet."""
    for entry in Input.objects.filter(team=team, person=person, answered_by__isnull=True, explanation=""):
        editing.save_input(user, entry, entry.revision, {"explanation": "已在相关整改措施中一并解决"})


def fill_team_plan(username, code):
    team = Team.objects.get(org__code=code, kind=TeamKind.PARTY_COMMITTEE)
    owners = [position.person for position in team.positions.filter(active=True)[:2]]
    plan = samples.fill_team_plan(login(username), team, owners)
    explain_the_rest(login(username), team)
    return plan


def county_member(title):
    """The 长沙县委 member holding the seat TITLE."""
    return Person.objects.filter(positions__team__org__code="430121", positions__title=title).distinct().get()


def fill_measures(username, person):
    """PERSON's complete measures in the 长沙县委 team, filled by USERNAME."""
    team = Team.objects.get(org__code="430121", kind=TeamKind.PARTY_COMMITTEE)
    document = samples.fill_individual(login(username), team, person)
    explain_the_rest(login(username), team, person)
    return document


def decide(username, document, approve=True):
    """USERNAME decides the step now pending for them on DOCUMENT."""
    user = login(username)
    review = document.reviews.get(state__in=["open", "returned"])
    step = review.steps.get(state=StepState.PENDING, assignees=user)
    if approve:
        transitions.approve(user, step.pk, review.revision)
    else:
        problem = document.items.filter(section="problems").first()
        transitions.return_for_revision(
            user, step.pk, review.revision, [{"reason": "not_concrete"}], {problem.uid: "请写明具体举措"}
        )


@pytest.fixture
def demo(demo_tree, settings):
    """The demo, every document opened, and documents in every state of review:

    - 长沙县委's plan: the province's group approved it; the office decides, the leaders read;
    - 长沙市委's plan: returned by the group with a comment not yet answered;
    - 攸县县委's plan: approved at last, the leaders not yet read it;
    - the 组织部部长's measures: waiting for the county secretary;
    - the 纪委书记's measures: submitted and withdrawn, a draft ready to go again;
    - the 宣传部部长's measures: returned by the secretary, the comment answered;
    - everything else: drafts, empty or not."""
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed()
    for team in Team.objects.select_related("org"):
        open_team_document(team)
        if has_individual_measures(team):
            for position in team.positions.filter(active=True):
                open_individual_document(team, position.person)

    county = fill_team_plan("csx_filer", "430121")
    transitions.submit(login("csx_filer"), county)
    decide("cs_group", county)

    city = fill_team_plan("cs_filer", "4301")
    transitions.submit(login("cs_filer"), city)
    decide("cs_group", city, approve=False)

    youxian = fill_team_plan("outsider", "430223")
    transitions.submit(login("outsider"), youxian)
    decide("zz_group", youxian)
    decide("province_office", youxian)

    member = Person.objects.get(user__username="csx_member")
    waiting = fill_measures("csx_member", member)
    transitions.submit(login("csx_member"), waiting)

    withdrawn = fill_measures("csx_filer", county_member("县委常委、纪委书记"))
    transitions.submit(login("csx_filer"), withdrawn)
    transitions.withdraw(login("csx_filer"), withdrawn)

    revised = fill_measures("csx_filer", county_member("县委常委、宣传部部长"))
    transitions.submit(login("csx_filer"), revised)
    decide("csx_secretary", revised, approve=False)
    for comment in Comment.objects.filter(review__document=revised):
        transitions.address(login("csx_filer"), comment.pk, True)

    states = {
        county.pk: Status.SUBMITTED,
        city.pk: Status.RETURNED,
        youxian.pk: Status.APPROVED,
        waiting.pk: Status.SUBMITTED,
        withdrawn.pk: Status.DRAFT,
        revised.pk: Status.RETURNED,
    }
    for pk, expected in states.items():
        assert Document.objects.get(pk=pk).status == expected
    return states


def _make(move, user, document, target):
    """Make MOVE as USER on DOCUMENT (and TARGET), as the pages would."""
    if move.code == "submit":
        return transitions.submit(user, document)
    if move.code == "withdraw":
        return transitions.withdraw(user, document)
    if move.code == "resubmit":
        return transitions.resubmit(user, document)
    if move.code == "approve":
        return transitions.approve(user, target.pk, target.review.revision)
    if move.code == "return":
        return transitions.return_for_revision(
            user, target.pk, target.review.revision, [{"reason": "no_owner"}]
        )
    if move.code == "read":
        return transitions.mark_read(user, target.pk)
    if move.code == "address":
        return transitions.address(user, target.pk, True)
    raise AssertionError(f"a move the test does not know: {move.code}")


def _targets(move, situation):
    if move.code in ("submit", "withdraw", "resubmit"):
        return [None]
    if move.code in ("approve", "return", "read"):
        return situation.steps
    return list(Comment.objects.filter(review=situation.review)) if situation.review else []


def test_what_is_offered_succeeds_and_what_is_not_is_refused(demo):
    users = list(get_user_model().objects.order_by("username"))
    documents = list(Document.objects.select_related("team__org", "person", "parent").order_by("pk"))
    assert len(documents) > 140 and len(users) > 40
    made = {code: 0 for code in MOVES}
    refused = 0
    for document in documents:
        situation = Situation.of(document)
        for user in users:
            offered = {
                (offer.move.code, getattr(offer.target, "pk", None))
                for offer in available_moves(user, document, situation)
            }
            for move in MOVES.values():
                for target in _targets(move, situation):
                    key = (move.code, getattr(target, "pk", None))
                    if key in offered:
                        with pytest.raises(RolledBack), transaction.atomic():
                            _make(move, user, document, target)
                            raise RolledBack
                        made[move.code] += 1
                    else:
                        # A transition runs in its own transaction: refused, it leaves nothing.
                        with pytest.raises(TransitionError):
                            _make(move, user, document, target)
                        refused += 1
    # Every move of the table was offered somewhere in the demo, and made.
    assert all(made.values()), made
    assert refused > 10 * sum(made.values())
    # Nothing was left behind.
    for pk, expected in demo.items():
        assert Document.objects.get(pk=pk).status == expected
