"""The dashboard's pages: where it starts, a region's figures, who has not filed, and
each table as Excel. A region comes only through orgs.policy: outside the user's reach
it does not exist (404); visible to a member but not overseen, it is refused (403)."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit import access as audit_access
from orgs import policy
from orgs.models import Org, OrgKind
from orgs.policy import Right
from orgs.tree import ancestors_of, subtree
from oversight.models import Bulletin
from oversight.words import BulletinState

from . import board as boards
from . import sheets, tables, words
from .charts import chart_data
from .figures import ALL, KINDS
from .models import Freshness
from .refresh import PAGE_LEVELS, note_change
from .unfiled import STATES, describe, unfiled

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNFILED_PER_PAGE = 50
FIGURES_KEPT = 3600  # seconds a region's figures stay in the cache (a new count makes a new key)


def supervises(user):
    """Does USER oversee anything (a jurisdiction, or everything)? Reads the reach the
    request computes anyway."""
    reach = policy.reach(user)
    return reach.everything or bool(reach.spans)


def _region(user, code):
    region = policy.get_or_404(user, Org, code=code, kind=OrgKind.REGION)
    policy.require(user, Right.OVERSEE, region)
    return region


def _kind(request):
    kind = request.GET.get("kind", ALL)
    return kind if kind in KINDS else ALL


def stamp(as_of, live=False):
    """The time of the figures, as the page and the files say it."""
    if as_of is None:
        return str(words.NOT_YET)
    moment = timezone.localtime(as_of)
    shown = moment.strftime("%H:%M") if moment.date() == timezone.localdate() else f"{moment:%Y-%m-%d %H:%M}"
    return str(words.LIVE if live else words.AS_OF) % {"time": shown}


@require_GET
def index(request):
    """Where the dashboard starts: the user's one region, or a list of them."""
    user = request.user
    reach = policy.reach(user)
    regions = policy.orgs(user).filter(kind=OrgKind.REGION)
    if reach.everything:
        regions = regions.filter(parent__isnull=True)
    else:
        regions = regions.filter(pk__in=[span.org_id for span in reach.spans])
    regions = list(regions.order_by("tree_id", "lft"))
    if not regions:
        raise PermissionDenied(_("督导看板供负有督导审阅职责的同志使用：您没有督导的地区。"))
    if len(regions) == 1:
        return redirect(boards.dashboard_url(regions[0]))
    return render(request, "dashboard/index.html", {"regions": regions, "paths": ancestors_of(regions)})


def _figures(request, board):
    """The region's figures as HTML: the kinds, the summary, every table and chart."""
    by_name = tables.region_tables(board)
    total = board.total.figure(board.kind)
    summary = [("must", words.MUST, total.must)] + [
        (code, label, getattr(total, code)) for code, label in words.STATE_COLUMNS
    ]
    context = {
        "board": board,
        "region": board.region,
        "tables": by_name,
        "summary": summary,
        "kinds": [(kind, words.kind_label(kind)) for kind in board.kinds],
        "kind_label": words.kind_label(board.kind),
        "sources": tables.unanswered_sources(board),
        "chart": chart_data(board, by_name),
        "words": words,
        "bulletins": bulletins_naming(board.region),
    }
    return render_to_string("dashboard/_figures.html", context, request), context


def _cache_key(region, kind, freshness):
    """Rolled-up figures stay as they are until the next count: everyone who opens the
    region before then is shown the same HTML. What it depends on is in the key: the time
    of the figures, and the overdue days and today's date that mark what waits."""
    if freshness is None or freshness.computed_at is None:
        return None
    return ":".join(
        (
            "dashboard",
            str(region.pk),
            kind or "all",
            freshness.computed_at.isoformat(),
            str(boards.overdue_days()),
            timezone.localdate().isoformat(),
            get_language() or "",
        )
    )


@require_GET
def region(request, code):
    user = request.user
    region = _region(user, code)
    kind = _kind(request)
    live = region.level not in PAGE_LEVELS
    freshness = None if live else Freshness.objects.filter(pk=Freshness.ONE).first()
    key = None if live else _cache_key(region, kind, freshness)
    figures = cache.get(key) if key else None
    context = {}
    if figures is None:
        board = boards.build(region, kind, freshness)
        figures, context = _figures(request, board)
        if key:
            cache.set(key, figures, FIGURES_KEPT)
        as_of = board.as_of
    else:
        as_of = freshness.computed_at
    context.update(
        {
            "region": region,
            "kind": kind,
            "live": live,
            "figures": figures,
            "stamp": stamp(as_of, live),
            "updating": bool(freshness and freshness.updating),
            "crumbs": policy.crumbs(user, region),
            "words": words,
            "audit_reader": audit_access.may_read(user),
        },
    )
    return render(request, "dashboard/region.html", context)


def bulletins_naming(region, count=5):
    """The latest issued bulletins that name a body in REGION: what the provincial office
    told this region's offices (点名通报), shown and kept with its figures (a bulletin
    issued has them counted again). Whoever opens the region's page covers it (the page
    is refused otherwise), and oversight.bulletin_access gives whoever covers a region
    named the bulletins naming it: so they are the same for every reader of the page, who
    may read them all, and the page need not build the whole scope to say so."""
    return list(
        Bulletin.objects.filter(state=BulletinState.ISSUED)
        .filter(subtree(region, "regions__"))
        .distinct()
        .order_by("-issued_at", "-id")[:count]
    )


@require_POST
def refresh(request, code):
    """Ask for the figures to be counted again (on the tasks worker, never here)."""
    region = _region(request.user, code)
    note_change()
    messages.success(request, _("已安排重新统计，稍后刷新本页即可看到最新数字。"))
    return redirect(boards.dashboard_url(region))


def _download(content, name):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_GET
def export(request, code, name):
    """One table of a region's page as an Excel file. What waits longest is read live,
    and longer than the page lists it."""
    region = _region(request.user, code)
    if name not in words.TABLES or name == "unfiled":
        raise Http404
    board = boards.build(region, _kind(request))
    if name == "oldest":
        table = tables.oldest(board, boards.oldest_now(region))
        moment = str(words.LIVE) % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    else:
        table = getattr(tables, name)(board)
        moment = stamp(board.as_of, board.live)
    return _download(sheets.workbook(table, region, moment), sheets.filename(region, table))


def _unfiled_table(rows):
    table = tables.Table(
        "unfiled",
        [
            tables.Column(str(words.UNIT), tables.TEXT),
            tables.Column(str(words.TEAM), tables.TEXT),
            tables.Column(str(words.PERSON), tables.TEXT),
            tables.Column(str(words.KIND), tables.TEXT),
            tables.Column(str(words.STATE), tables.TEXT),
            tables.Column(str(words.UPDATED), tables.DATE),
        ],
        note=str(words.TABLE_NOTES["unfiled"]),
    )
    for row in rows:
        row = describe(row)
        updated = row["updated_at"]
        table.add(
            [
                row["org_name"],
                tables.Cell(row["team_name"], reverse("plans:team_documents", args=[row["team_ref"]])),
                row["person_name"],
                row["kind_label"],  # a draft is its filers' alone: nothing to link to
                str(words.UNFILED_STATES[row["state"]]),
                timezone.localtime(updated).replace(tzinfo=None, microsecond=0) if updated else None,
            ]
        )
    return table


def _unfiled_filters(request):
    state = request.GET.get("state") or None
    return _kind(request), state if state in STATES else None


@require_GET
def unfiled_list(request, code):
    user = request.user
    region = _region(user, code)
    kind, state = _unfiled_filters(request)
    page = Paginator(unfiled(region, kind, state), UNFILED_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/unfiled.html",
        {
            "region": region,
            "page": page,
            "table": _unfiled_table(page.object_list),
            "kind": kind,
            "state": state or "",
            "kinds": [(k, words.kind_label(k)) for k in (ALL, *KINDS)],
            "states": list(words.UNFILED_STATES.items()),
            "crumbs": policy.crumbs(user, region),
            "words": words,
            "now": timezone.localtime().strftime("%H:%M"),
        },
    )


@require_GET
def unfiled_export(request, code):
    region = _region(request.user, code)
    kind, state = _unfiled_filters(request)
    table = _unfiled_table(unfiled(region, kind, state))
    moment = str(words.LIVE) % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    return _download(sheets.workbook(table, region, moment), sheets.filename(region, table))
