"""What tests/test_two_servers.py drives through its servers, made in their database by a
process of its own (`manage.py shell -c "from tests.servers_seed import main; main(DIVISIONS)"`):
the tables (`migrate`), the tree in DIVISIONS (`import_divisions`), the demo cast
(seed_demo's, passwords and all) and

    the individual measures of two 长沙县委常委班子 members with logins, submitted, each waiting on its
        first step (one approved on both servers at once, one approved on one and
        returned on the other);
    长沙县委's team plan in draft, whose rows are saved through both servers;
    长沙县人民政府's approved plan (seed_demo's), to publish and to report on with a file.

The cast is made with a fast password hasher and then given one real hash of the demo
password, which the servers check as production would: seed_demo hashes each of its
hundred logins otherwise, twenty seconds. Prints what the test needs as JSON, last line.
"""

import io
import json

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test import override_settings

from devdata import demo, samples
from ledger.models import Entry
from ledger.words import EntryState
from orgs.models import Role, Team, TeamKind
from plans import editing
from plans.models import Document, Input
from plans.words import DocumentKind, Status
from review import transitions
from review.models import StepState


def _pending(review):
    step = review.steps.filter(state=StepState.PENDING).order_by("stage", "id").first()
    reviewer = step.assignees.order_by("pk").first()
    return {
        "step": step.pk,
        "revision": review.revision,
        "document": review.document_id,
        "reviewer": reviewer.username,
    }


def main(divisions):
    call_command("migrate", verbosity=0)
    call_command("import_divisions", divisions, stdout=io.StringIO())
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo.seed()
    get_user_model().objects.update(password=make_password(demo.PASSWORD))

    filer = get_user_model().objects.get(username="csx_filer")
    committee = Team.objects.get(org__code="430121", kind=TeamKind.PARTY_COMMITTEE)
    members = [
        position.person
        for position in committee.positions.filter(active=True, role=Role.MEMBER)
        .select_related("person__user")
        .order_by("sort_order", "pk")
    ]
    decisions = []
    for person in [member for member in members if member.user is not None][:2]:
        measures = samples.fill_individual(person.user, committee, person)
        # What the register holds and the measures do not answer, explained in writing.
        for entry in Input.objects.filter(
            team=committee, person=person, explanation="", answered_by__isnull=True
        ):
            editing.save_input(
                person.user, entry, entry.revision, {"explanation": "已在相关整改措施中一并解决"}
            )
        decisions.append(_pending(transitions.submit(person.user, measures)))

    plan = samples.fill_team_plan(filer, committee, members[:2])
    rows = plan.items.filter(section="measures").order_by("position", "pk")[:3]

    approved = Document.objects.get(
        team__org__code="430121",
        team__kind=TeamKind.GOVERNMENT,
        kind=DocumentKind.TEAM_PLAN,
        status=Status.APPROVED,
    )
    entry = Entry.objects.filter(document=approved, state=EntryState.OPEN).order_by("position", "pk").first()
    print(
        json.dumps(
            {
                "password": demo.PASSWORD,
                "same_decision": decisions[0],
                "approve_or_return": decisions[1],
                "filer": filer.username,
                "plan": plan.pk,
                "rows": [{"id": row.pk, "revision": row.revision, "category": row.category} for row in rows],
                "approved": {"document": approved.pk, "title": approved.title, "filer": "csx_gov_filer"},
                "entry": {"id": entry.pk, "revision": entry.revision},
            }
        )
    )
