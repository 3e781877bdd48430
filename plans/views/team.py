"""A team's documents: its plan or list (with attachments) and its leaders' measures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from orgs import policy
from orgs.models import Position, Team
from orgs.policy import Right
from orgs.tree import ancestors_of

from ..access import fills
from ..documents import open_individual_document, open_team_document
from ..models import Document
from ..structure import (
    asked_to_file,
    has_individual_measures,
    kinds_for_team,
    measures_seat,
    seats_of,
    team_document_kind,
)
from ..words import DocumentKind


@require_GET
def team_documents(request, pk):
    user = request.user
    team = policy.get_or_404(user, Team, related=("org",), pk=pk)
    visible = {
        (document.kind, document.person_id): document
        for document in policy.visible(user, Document).filter(team=team).select_related("updated_by")
    }
    kind = team_document_kind(team)
    main = visible.get((kind, None)) if kind else None
    attachments = [visible.get((k, None)) for k in kinds_for_team(team)[1:]]
    members = []
    if has_individual_measures(team):
        # A colleague's measures the user may not read yet (plans.access): said to exist,
        # never linked.
        unread = set(
            Document.objects.filter(team=team, kind=DocumentKind.INDIVIDUAL)
            .exclude(pk__in=[document.pk for document in visible.values()])
            .values_list("person_id", flat=True)
        )
        positions = list(
            Position.objects.filter(team=team, active=True)
            .select_related("person")
            .order_by("-role", "sort_order", "id")
        )
        seats = _seats_of_people([position.person_id for position in positions])
        for position in positions:
            mine = seats.get(position.person_id, [])
            seat = measures_seat(mine)
            # Filed under a higher seat in another team (orgs.seats): offered only to whoever
            # may fill that team's copy, the others read where it is filed.
            elsewhere = seat if seat is not None and seat.team_id != team.pk else None
            members.append(
                {
                    "position": position,
                    "document": visible.get((DocumentKind.INDIVIDUAL, position.person_id)),
                    "unread": position.person_id in unread,
                    "may_open": fills(user, (elsewhere or position).team_id, position.person),
                    "asked": asked_to_file(mine),
                    "elsewhere": elsewhere,
                }
            )
    return render(
        request,
        "plans/team_documents.html",
        {
            "team": team,
            "kind": DocumentKind(kind) if kind else None,
            "main": main,
            "attachments": [
                (DocumentKind(k), d) for k, d in zip(kinds_for_team(team)[1:], attachments, strict=True)
            ],
            "members": members,
            "can_file": policy.can(user, Right.FILE, team),
            "crumbs": [*ancestors_of([team.org]).get(team.org.pk, []), team.org],
        },
    )


@require_POST
def open_team(request, pk):
    user = request.user
    team = policy.get_or_404(user, Team, related=("org",), pk=pk)
    policy.require(user, Right.FILE, team)
    document = open_team_document(team, user)
    if document is None:
        messages.error(request, _("本班子不需要制定整改方案。"))
        return redirect("plans:team_documents", team.pk)
    return redirect("plans:document", document.pk)


def _seats_of_people(person_ids):
    """{person id: [active positions, teams and orgs loaded]}, in one query."""
    seats = {}
    for position in Position.objects.filter(person_id__in=person_ids, active=True).select_related(
        "team__org"
    ):
        seats.setdefault(position.person_id, []).append(position)
    return seats


@require_POST
def open_measures(request, pk, person):
    user = request.user
    team = policy.get_or_404(user, Team, related=("org",), pk=pk)
    position = get_object_or_404(
        Position.objects.select_related("person"), team=team, person_id=person, active=True
    )
    if not has_individual_measures(team) or not fills(user, team.pk, position.person):
        raise PermissionDenied(_("只有本人或本班子的填报人可以填写个人整改措施。"))
    seats = seats_of(position.person)
    if not asked_to_file(seats):
        messages.error(
            request,
            _("%(person)s没有撰写对照检查材料，不需要制定个人整改措施。如已撰写，请管理员在其职务中勾选。")
            % {"person": position.person.name},
        )
        return redirect("plans:team_documents", team.pk)
    seat = measures_seat(seats)
    if seat.team_id != team.pk and not fills(user, seat.team_id, position.person):
        messages.error(
            request,
            _("%(person)s的个人整改措施按本人最高职务（%(title)s）由%(team)s填报。")
            % {"person": position.person.name, "title": seat.title, "team": seat.team.name},
        )
        return redirect("plans:team_documents", team.pk)
    document = open_individual_document(team, position.person, user)
    return redirect("plans:document", document.pk)
