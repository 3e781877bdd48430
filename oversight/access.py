"""What oversight adds to who sees what: the documents an open spot check samples are
readable by its checkers, and only while it is open (调阅); every such read is logged.

Registered with orgs.policy when the app is ready (OversightConfig.ready imports this
module), beside what plans and review register for documents.
"""

from django.db.models import Exists, OuterRef, Q
from django.dispatch import receiver

from orgs import policy
from orgs.policy import Right
from plans import pages
from plans.models import Document
from plans.words import DocumentKind, Status

from .models import Finding, Reading, Sample, SpotCheck
from .words import CheckState


def open_checks(user):
    """The open spot checks USER is a checker of: a member of the checking body."""
    return SpotCheck.objects.filter(state=CheckState.OPEN, authority__group__user=user)


def _samples_of(user, team, kind, person):
    """Samples of USER's open checks naming the document of (TEAM, KIND, PERSON); the
    arguments are values or OuterRef()s."""
    return Sample.objects.filter(
        spot_check__state=CheckState.OPEN,
        spot_check__authority__group__user=user,
        team_id=team,
        kind=kind,
    ).filter(Q(person__isnull=True) | Q(person_id=person))


@policy.scope(Document)
def _sampled(user, r):
    """A sampled document that has been filed (not a draft), and the attachments of a
    sampled team plan, which travel and are read with it."""
    if not r.spans:  # a checker belongs to a body with a jurisdiction
        return Q(pk__in=[])
    own = Exists(_samples_of(user, OuterRef("team_id"), OuterRef("kind"), OuterRef("person_id")))
    with_plan = Q(parent__isnull=False) & Q(
        Exists(_samples_of(user, OuterRef("team_id"), DocumentKind.TEAM_PLAN, None))
    )
    return (Q(own) | with_plan) & ~Q(status=Status.DRAFT)


def sampling_checks(user, document):
    """The open checks of USER that sample DOCUMENT (or the plan it is attached to)."""
    if not policy.reach(user).spans or document.status == Status.DRAFT:
        return SpotCheck.objects.none()
    if document.parent_id is not None:
        kind, person = DocumentKind.TEAM_PLAN, None
    else:
        kind, person = document.kind, document.person_id
    return open_checks(user).filter(
        Exists(_samples_of(user, document.team_id, kind, person).filter(spot_check=OuterRef("pk")))
    )


def checks_sampling(user, document):
    """sampling_checks() as a list (with their bodies), asked once per page: the page's
    part and the read log share it."""
    key = f"_sampling_checks_{user.pk}"
    if key not in document.__dict__:
        document.__dict__[key] = list(sampling_checks(user, document).select_related("authority"))
    return document.__dict__[key]


@policy.right(Document, Right.VIEW)
def _view_sampled(user, r, document):
    return sampling_checks(user, document).exists()


@receiver(pages.document_read)
def log_read(sender, user, document, what, **kwargs):
    """Log the read once for every open check of the user's that samples the document."""
    checks = checks_sampling(user, document)
    if checks:
        Reading.objects.bulk_create(
            Reading(spot_check=check, document=document, user=user, what=what) for check in checks
        )


# Spot checks and findings ------------------------------------------------------------


@policy.scope(SpotCheck)
def _spot_checks(user, r):
    """A body's members see its checks; a body that reads a jurisdiction sees the checks
    made in it (the provincial office, a city's group, those of the counties below)."""
    if not r.spans:
        return Q(pk__in=[])
    return Q(authority__group__user=user) | r.reading_q("region__")


@policy.scope(Finding)
def _findings(user, r):
    """The findings of the spot checks the user sees, and those that require the
    rectification of a document the user files."""
    own = Q(requires_rectification=True, document__team_id__in=r.team_ids)
    if not r.spans:
        return own
    return own | Q(spot_check__in=policy.visible(user, SpotCheck))
