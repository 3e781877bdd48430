"""Every change of a publication, and nothing else makes one.

    publish   a filer of an approved document publishes its approved version, in the
              scope section 七 gives its kind (oversight.rules.publication, never chosen),
              naming the channel and the date
    withdraw  a filer withdraws a live publication, with a reason

Each runs in a transaction, locks the document's row, checks that the user fills the
document (plans.access.fills_document) and that the publication is as the page showed it
(AFTER: the id of the latest publication the page knew; REVISION: its revision), moves it
with a conditional update, writes an append-only Event and tells the authors after commit
(review.notices). Refusals raise review's errors (NotAllowed, Stale, NotReady) with a
message in Chinese; nothing changes then. Each move raises the public site's generation
(a row of the database, shared by every server), so its cached pages are read afresh.
"""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from oversight import rules
from plans.access import fills_document
from plans.models import Document
from plans.words import Status
from review import routing
from review.models import ReviewState, Version
from review.moves import NotAllowed, NotReady, Stale
from review.notices import Message, post
from review.transitions import authors

from . import pdf as printing
from . import words
from .models import CHANNEL_LIMIT, REASON_LIMIT, Event, Generation, Publication
from .words import Action


def generation():
    """The number the public site's cached pages are kept under; a move raises it. Read
    from the database, so every server keys its pages alike. The first read makes the row,
    from the clock: a database emptied and filled again (the tests' flush) never meets
    the pages cached under its old numbers."""
    value = Generation.objects.filter(pk=Generation.ONE).values_list("value", flat=True).first()
    if value is None:
        first = int(timezone.now().timestamp() * 1000)
        value = Generation.objects.get_or_create(pk=Generation.ONE, defaults={"value": first})[0].value
    return value


def _forget_pages():
    """Raise the generation, in the move's transaction: the new number is read with the
    move it follows, never before it commits."""
    if not Generation.objects.filter(pk=Generation.ONE).update(value=F("value") + 1):
        generation()
        Generation.objects.filter(pk=Generation.ONE).update(value=F("value") + 1)


def scope_of(document):
    """Where DOCUMENT is published (section 七): oversight.rules.Publication, or NotReady
    with the rules' reason for a document the notice provides no scope for."""
    try:
        return rules.publication(routing.subject_of(document))
    except routing.Unrouted as error:
        raise NotReady(str(error)) from None


def approved_version(document):
    """The version the approving review ended on, or None."""
    return (
        Version.objects.filter(review__document=document, review__state=ReviewState.APPROVED)
        .order_by("-review__closed_at", "-review_id", "-number")
        .first()
    )


def latest(document_id):
    return Publication.objects.filter(document_id=document_id).order_by("-id").first()


def _lock(user, document_id, after):
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("team__org", "person")
        .get(pk=document_id)
    )
    if not fills_document(user, document):
        raise NotAllowed(words.NOT_FILER)
    last = latest(document.pk)
    if (last.pk if last else 0) != int(after):
        raise Stale(words.STALE)
    return document, last


def _channel(text):
    text = " ".join((text or "").split())
    if not text:
        raise NotReady(words.NO_CHANNEL)
    if len(text) > CHANNEL_LIMIT:
        raise NotReady(words.CHANNEL_TOO_LONG % {"limit": CHANNEL_LIMIT})
    return text


def _date(value):
    if not isinstance(value, dt.date):
        raise NotReady(words.NO_DATE)
    if value > timezone.localdate():
        raise NotReady(words.FUTURE_DATE)
    return value


def publish(user, document_id, after, channel, published_on):
    """Publish the approved version of DOCUMENT_ID; AFTER is the id of the latest
    publication the page showed (0: none). Returns the Publication."""
    channel = _channel(channel)
    published_on = _date(published_on)
    with transaction.atomic():
        document, last = _lock(user, document_id, after)
        if document.parent_id is not None:
            raise NotReady(words.ATTACHMENT)
        if document.status != Status.APPROVED:
            raise NotReady(words.NOT_APPROVED)
        if last is not None and last.live:
            raise Stale(words.ALREADY)
        version = approved_version(document)
        if version is None:
            raise NotReady(words.NO_VERSION)
        scope = scope_of(document)
        publication = Publication.objects.create(
            document=document,
            version=version,
            scope=scope.scope,
            basis=scope.basis,
            channel=channel,
            published_on=published_on,
            published_by=user,
        )
        Event.objects.create(publication=publication, action=Action.PUBLISH, actor=user, text=channel)
        text = words.TOLD_PUBLISHED % {
            "title": document.title,
            "scope": publication.get_scope_display(),
            "channel": channel,
        }
        post([Message(authors(document), text)], reverse("plans:document", args=[document.pk]), document)
        printing.prepare(publication)  # printed on the worker now, so the first reader finds the PDF
        _forget_pages()
    return publication


def withdraw(user, publication_id, revision, reason):
    """Withdraw a live publication, saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise NotReady(words.NO_REASON)
    if len(reason) > REASON_LIMIT:
        raise NotReady(words.REASON_TOO_LONG % {"limit": REASON_LIMIT})
    with transaction.atomic():
        publication = Publication.objects.get(pk=publication_id)
        document, last = _lock(user, publication.document_id, publication.pk)
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        if not publication.live:
            raise Stale(words.NOT_PUBLISHED)
        now = timezone.now()
        touched = Publication.objects.filter(
            pk=publication.pk, revision=int(revision), withdrawn_at__isnull=True
        ).update(
            withdrawn_at=now, withdrawn_by=user, withdrawn_reason=reason, revision=publication.revision + 1
        )
        if touched != 1:
            raise Stale(words.STALE)
        publication.refresh_from_db()
        Event.objects.create(publication=publication, action=Action.WITHDRAW, actor=user, text=reason)
        text = words.TOLD_WITHDRAWN % {"title": document.title, "reason": reason[:80]}
        post([Message(authors(document), text)], reverse("plans:document", args=[document.pk]), document)
        _forget_pages()
    return publication
