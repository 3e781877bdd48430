"""The public site (section 七: 在当地媒体公开或以其他适当方式公开, 向群众公布): no login,
under /public/.

    index     published team plans, simplified plans and grassroots lists, by region
              (province → city → county → township) and searched by title or unit name
    document  one published document, from its approved version only
    pdf       its print, in the official layout
    notice    a grassroots list's one-page 公示 for the notice board

Only live publications of the public scopes (PUBLIC, MASSES) are found; anything else is the
site's own 404. Nothing here reads the session, the user or the messages, and no page has
a CSRF token (the search form is a GET), so no response sets a cookie. Every answer is
cached (the low-level cache, keyed by the path and the publication generation, which each
publish or withdraw raises) and marked Cache-Control: public; each address is counted per
minute in the database, by every server alike, and answered 429 past
settings.PUBLIC_RATE_LIMIT.
"""

import functools
import hashlib
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from ledger.models import Entry
from ledger.words import EntryState
from orgs.models import Level, Org, OrgKind
from orgs.tree import ancestors_of, subtree
from oversight.rules import Scope
from plans.words import DocumentKind
from rectify import renderings

from .. import frozen
from .. import pdf as printing
from ..models import Publication, Visits
from ..transitions import generation
from ..words import MISSING, MISSING_REASON, PUBLIC_STATE, STANDING, TOO_MANY, TOO_MANY_REASON

PUBLIC_SCOPES = (Scope.PUBLIC, Scope.MASSES)
# The levels a visitor walks down; a village's list is listed under its township.
BROWSED = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP)
PER_PAGE = 20


def _address(request):
    return request.META.get("REMOTE_ADDR") or "unknown"


# One statement, the same on SQLite and PostgreSQL: the address's row of this minute made
# with 1, or raised by 1, and the count read back, atomically whichever server asks.
COUNT = """
    INSERT INTO {table} (minute, address, hits) VALUES (%s, %s, 1)
    ON CONFLICT (minute, address) DO UPDATE SET hits = {table}.hits + 1
    RETURNING hits
"""


def _limited(request):
    """Has this address asked more than PUBLIC_RATE_LIMIT times this minute? Counted in
    the database (publication.models.Visits), so every server counts toward one limit;
    the first page of a minute forgets the minutes before the last."""
    minute = int(timezone.now().timestamp() // 60)
    table = connection.ops.quote_name(Visits._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(COUNT.format(table=table), [minute, _address(request)[:45]])
        (count,) = cursor.fetchone()
    if count == 1:
        Visits.objects.filter(minute__lt=minute - 1).delete()
    return count > settings.PUBLIC_RATE_LIMIT


def _page(request, template, context, status=200):
    return render(request, template, context, status=status)


def missing(request):
    return _page(
        request, "publication/public/refused.html", {"heading": MISSING, "reason": MISSING_REASON}, 404
    )


def public(view):
    """A page of the public site: anonymous, GET only, rate-limited, cached."""

    @login_not_required
    @require_safe
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if _limited(request):
            response = _page(
                request,
                "publication/public/refused.html",
                {"heading": TOO_MANY, "reason": TOO_MANY_REASON},
                429,
            )
            response["Retry-After"] = "60"
            return response
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"publication.page.{generation()}.{path}"
        kept = cache.get(key)
        if kept is None:
            response = view(request, *args, **kwargs)
            headers = {name: value for name, value in response.items() if name.lower() != "content-length"}
            kept = (response.status_code, headers, response.content)
            cache.set(key, kept, timeout=settings.PUBLIC_CACHE_SECONDS)
        status, headers, content = kept
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
        if status == 200:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        return response

    return wrapped


def published():
    return Publication.objects.live().filter(scope__in=PUBLIC_SCOPES, document__parent__isnull=True)


def _publication(pk):
    return published().select_related("document__team__org", "version").filter(pk=pk).first()


def _region(code):
    regions = Org.objects.filter(kind=OrgKind.REGION, level__in=BROWSED)
    return regions.filter(code=code).first() if code else None


def _children(region, listed):
    """The regions under REGION (the top regions without one) with how many published
    documents each holds, those with none left out."""
    count = (
        listed.filter(
            document__team__org__tree_id=OuterRef("tree_id"),
            document__team__org__lft__gte=OuterRef("lft"),
            document__team__org__lft__lte=OuterRef("rght"),
        )
        .order_by()
        .values("document__team__org__tree_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    children = Org.objects.filter(kind=OrgKind.REGION, level__in=BROWSED)
    children = children.filter(parent=region) if region else children.filter(parent__isnull=True)
    rows = children.annotate(published=Subquery(count)).filter(published__gt=0).order_by("code", "name")
    return list(rows)


@public
def index(request):
    region = _region(request.GET.get("region", "").strip())
    query = request.GET.get("q", "").strip()[:50]
    listed = published()
    if region is not None:
        listed = listed.filter(subtree(region, "document__team__org__"))
    children = _children(region, listed)
    if query:
        listed = listed.filter(
            Q(document__title__icontains=query)
            | Q(document__team__name__icontains=query)
            | Q(document__team__org__name__icontains=query)
        )
    listed = listed.select_related("document__team__org").order_by("-published_on", "-id")
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    crumbs = [*ancestors_of([region]).get(region.pk, []), region] if region else []
    return _page(
        request,
        "publication/public/index.html",
        {"region": region, "crumbs": crumbs, "children": children, "query": query, "page": page},
    )


def states_of(publication, rows):
    """Each row's 整改中 / 已完成 / 长期坚持 from the ledger (keyed by the item's uid)."""
    entries = {
        str(uid): (state, standing)
        for uid, state, standing in Entry.objects.filter(document=publication.document_id).values_list(
            "item_uid", "state", "standing"
        )
    }
    for row in rows:
        state, standing = entries.get(row.uid, (EntryState.OPEN, False))
        if standing:
            row.state, row.tone = STANDING, "info"
        else:
            row.state = PUBLIC_STATE.get(state, PUBLIC_STATE[EntryState.OPEN])
            row.tone = "success" if state == EntryState.CLOSED else "warning"
    return rows


@public
def document(request, pk):
    publication = _publication(pk)
    if publication is None:
        return missing(request)
    snapshot = publication.version.snapshot
    listing = publication.document.kind == DocumentKind.GRASSROOTS_LIST
    org = publication.document.team.org
    return _page(
        request,
        "publication/public/document.html",
        {
            "publication": publication,
            "title": snapshot.get("title", ""),
            "unit": snapshot.get("unit_name", ""),
            "crumbs": [*ancestors_of([org]).get(org.pk, []), org],
            "rows": states_of(publication, frozen.measures(snapshot)) if listing else [],
            "sections": [] if listing else frozen.sections(snapshot),
            "attachments": [
                (a.get("title", ""), frozen.sections(a)) for a in snapshot.get("attachments") or []
            ],
        },
    )


class _Waiting(Exception):
    """A public PDF is being printed: its waiting page, which must not be kept in the page
    cache as the PDF's answer. Raised through `public` (its rate limit applies, its cache is
    skipped) and answered by `_unless_waiting`."""

    def __init__(self, response):
        self.response = response


def _unless_waiting(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Waiting as waiting:
            return waiting.response

    return wrapped


def _pdf(request, rendering, name):
    """The kept PDF (read whole: the page cache keeps it), or its waiting page in the
    public site's frame, which reads no session and has no form: no cookie either way."""
    response = renderings.answer(
        request,
        rendering,
        name,
        disposition=f"inline; filename*=UTF-8''{quote(name)}",
        stream=False,
        frame="publication/public/base.html",
        public=True,
    )
    if not rendering.ready:
        raise _Waiting(response)
    return response


@_unless_waiting
@public
def document_pdf(request, pk):
    publication = _publication(pk)
    if publication is None:
        return missing(request)
    rendering = printing.kept_document(publication, retry="retry" in request.GET)
    return _pdf(request, rendering, printing.filename(publication))


@_unless_waiting
@public
def notice_pdf(request, pk):
    publication = _publication(pk)
    if publication is None or publication.scope != Scope.MASSES:
        return missing(request)
    rendering = printing.kept_notice(publication, retry="retry" in request.GET)
    return _pdf(request, rendering, printing.filename(publication, notice=True))
