"""Oversight's part of a document's page: the open spot checks of the user's that
sample it, with a form to record a finding on the whole document or under any item; the
findings themselves, beside the items they are about, as return comments are: the filer
answers those that require rectification, the checker accepts the answer or keeps the
finding open. Read-only: the forms post to oversight/views/findings.py.

Registered with plans/pages.py (OversightConfig.ready imports this module).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from orgs import policy
from plans import pages
from plans.access import fills_document
from plans.words import Source

from .access import checks_sampling
from .models import Finding
from .transitions import is_checker
from .words import FindingGround, FindingState, Severity


@dataclass
class Remark:
    """What oversight shows under one item: its findings, and the checks the user may
    record a new one in."""

    uid: str
    findings: list
    checks: list
    document: object
    csrf: str  # rows are rendered without the request: the forms carry the token
    grounds = FindingGround.choices
    severities = Severity.choices


def findings_for(user, document, filing):
    """The findings on DOCUMENT this user reads: a filer those that require
    rectification (they are sent to the filer); a checker those of the user's bodies.
    Most documents have none: one look by the document's index says so before the
    query that joins seven tables (whose planning alone costs more than the look)."""
    if not Finding.objects.filter(document=document).exists():
        return []
    q = Q(spot_check__authority__group__user=user)
    if filing:
        q |= Q(requires_rectification=True)
    return list(
        Finding.objects.filter(q, document=document)
        .select_related("spot_check__authority", "created_by", "answered_by")
        .distinct()
        .order_by("id")
    )


@pages.document_part
def oversight_part(request, document, checklist):
    user = request.user
    filing = fills_document(user, document)
    checks = checks_sampling(user, document)
    findings = findings_for(user, document, filing) if (filing or checks or _has_spans(user)) else []
    if not (checks or findings):
        return None
    mine = {check.authority_id for check in checks}
    by_item = defaultdict(list)
    whole = []
    for finding in findings:
        finding.deciding = finding.state == FindingState.ANSWERED and (
            finding.spot_check.authority_id in mine or is_checker(user, finding.spot_check)
        )
        finding.answering = filing and finding.state == FindingState.OPEN
        (by_item[str(finding.item_uid)] if finding.item_uid else whole).append(finding)
    context = {
        "document": document,
        "checks": checks,
        "findings": whole,
        "count": len(findings),
        "open_count": sum(1 for f in findings if f.state == FindingState.OPEN),
        "grounds": FindingGround.choices,
        "sources": Source.choices,
        "severities": Severity.choices,
    }
    sidebar = render_to_string("oversight/_panel.html", context, request)
    csrf = get_token(request)

    def remark(item):
        uid = str(item.uid)
        found = by_item.get(uid, [])
        if not (found or checks):
            return None
        return Remark(uid, found, checks, document, csrf)

    return pages.PagePart(sidebar=sidebar, item_template="oversight/_item_findings.html", remark=remark)


def _has_spans(user):
    return bool(policy.reach(user).spans)
