"""What every document view needs: the document or item through the policy, and the
shape of an htmx answer (a fragment, an event for the rest of the page)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_htmx.http import trigger_client_event

from orgs import policy
from orgs.policy import Right

from ..models import Document, Item

DOCUMENT_RELATED = ("team__org", "person", "parent", "updated_by__person")
ITEM_RELATED = tuple(f"document__{name}" for name in DOCUMENT_RELATED)
# What a change of an item reads of its document: the team and org (its rights, checks
# and audit) and the person (an individual's filers). Not who saved it last nor the plan
# it is attached to: each of the six joins costs PostgreSQL planning on every save, and
# those two are read only when asked (0.4 ms of planning against 2.2 ms for all six).
CHANGING_RELATED = ("document__team__org", "document__person")


def _by_key(queryset, pk):
    """The row of QUERYSET with key PK, or None. Not first(): its ORDER BY and LIMIT over
    the joined relations cost PostgreSQL four times the planning of the lookup itself."""
    return next(iter(queryset.filter(pk=pk)), None)


def document_or_404(user, pk):
    """The document, if USER may see it. It is read by its key and asked of the view
    right, which each app registers beside its scope and which answers the same; only
    when the right says no is the scope asked, and outside it the document does not
    exist. The scope's union costs PostgreSQL some 5 ms of planning on every page."""
    document = _by_key(Document.objects.select_related(*DOCUMENT_RELATED), pk)
    if document is not None and policy.can(user, Right.VIEW, document):
        return document
    return policy.get_or_404(user, Document, related=DOCUMENT_RELATED, pk=pk)


def item_or_404(user, pk):
    """An item of a document the user can see; anything else does not exist."""
    return get_object_or_404(
        Item.objects.select_related(*ITEM_RELATED),
        pk=pk,
        document__in=policy.visible(user, Document),
    )


def item_to_file(user, pk):
    """item_or_404, then require_filing, for the requests that change an item. Whoever
    may file a document may see it (plans.access: a filer is of the team), so the item
    is read by its key alone and the scope is asked only of the others, to tell those
    who may not see the item (404) from those who may not change it (403)."""
    item = _by_key(Item.objects.select_related(*CHANGING_RELATED), pk)
    if item is not None and policy.can(user, Right.FILE, item.document):
        return item
    item = item_or_404(user, pk)
    require_filing(user, item.document)
    return item


def require_filing(user, document):
    """403 with the reason: under review (read-only) or not one of the document's editors."""
    if policy.can(user, Right.FILE, document):
        return
    if not document.editable:
        raise PermissionDenied(
            _("《%(title)s》%(status)s，现在不能修改。")
            % {"title": document.title, "status": document.get_status_display()}
        )
    raise PermissionDenied(_("您不是本文件的填报人，不能修改。"))


def fragment(content, status=200, events=None):
    """An htmx answer: CONTENT, and EVENTS ({name: detail}) fired on the page."""
    response = HttpResponse(content, status=status)
    for name, detail in (events or {}).items():
        trigger_client_event(response, name, detail)
    return response
