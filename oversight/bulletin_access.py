"""Who sees which named bulletin (点名通报), registered with orgs.policy when the app is
ready (OversightConfig.ready imports this module).

* The provincial office's members see the bulletins of their office, drafts included:
  those a fellow member drafted, and those naming a body within their jurisdiction.
* An issued bulletin is also read where it was sent: by whoever supervises one of the
  regions it names (a jurisdiction covering it), by the members of those regions' teams,
  and by the filers and members of a team whose document it names.

A draft is the office's alone. Everything is a Q with subqueries, so the scope costs no
query of its own beside the user's reach.
"""

from django.db.models import Exists, OuterRef, Q

from orgs import policy
from orgs.models import Authority, AuthorityKind

from .models import Bulletin
from .words import BulletinState


def _offices(user):
    return Authority.objects.filter(kind=AuthorityKind.PROVINCIAL_OFFICE, group__user=user)


@policy.scope(Bulletin)
def _bulletins(user, r):
    if not user.is_authenticated:
        return Q(pk__in=[])
    in_office = Exists(_offices(user))
    # Two filter() calls: the office has the user and (perhaps another member) the author.
    drafted_here = Exists(_offices(user).filter(group__user=OuterRef("created_by")))
    findings = Bulletin.findings.through.objects.filter(bulletin=OuterRef("pk"))
    names_own = Exists(findings.filter(r.spans_q("finding__document__team__org__")))
    office = Q(drafted_here) | (Q(in_office) & Q(names_own))

    regions = Bulletin.regions.through.objects.filter(bulletin=OuterRef("pk"))
    sent_here = Exists(regions.filter(r.spans_q("org__") | Q(org_id__in=r.member_org_ids)))
    names_team = Exists(findings.filter(finding__document__team_id__in=r.team_ids))
    issued = Q(state=BulletinState.ISSUED) & (Q(sent_here) | Q(names_team))
    return office | issued


def issued_for(user):
    """The issued bulletins USER reads, newest first: what a dashboard lists."""
    return policy.visible(user, Bulletin).filter(state=BulletinState.ISSUED).order_by("-issued_at", "-id")
