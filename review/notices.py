"""Telling people what happened: the notifications in the product and the mail.

A transition decides who hears what (`tell(event, messages)`) and nothing more. Only
when its transaction commits is anything written or sent, and then on the tasks worker
(Django's tasks framework; django-tasks-db in production and the demo), never inside
the request:

* `deliver` writes the notifications of one event, once: a task run again writes
  nothing twice;
* `send` mails one notification to its user, once: it marks the notification mailed.
  A mail server that is slow holds up the worker, not the reviewer; one that fails is
  logged and the mail is tried again later, MAIL_ATTEMPTS times in all, with longer
  pauses. The state the mail reports has changed whatever the mail server says.
"""

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Event, Notification

logger = logging.getLogger(__name__)

MAIL_ATTEMPTS = 5
# The pause before the second, third … attempt at a mail that failed.
RETRY_AFTER = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=10),
    dt.timedelta(hours=1),
    dt.timedelta(hours=6),
)


@dataclass
class Message:
    users: list
    text: str


def tell(event, messages):
    """Once the transaction commits, tell each message's users what EVENT did."""
    plan = [[sorted({user.pk for user in m.users}), str(m.text)] for m in messages if m.users]
    if plan:
        transaction.on_commit(partial(deliver.enqueue, event.pk, plan))


def post(messages, link, document=None):
    """Once the transaction commits, tell each message's users something that is not a
    review event (a finding to answer, a bulletin issued), with the LINK to open."""
    plan = [[sorted({user.pk for user in m.users}), str(m.text)] for m in messages if m.users]
    if plan:
        document_id = document.pk if document is not None else None
        transaction.on_commit(partial(deliver_posted.enqueue, plan, str(link), document_id))


@task()
def deliver_posted(messages, link, document_id):
    """Write the notifications that post() queued and queue their mail."""
    notes = Notification.objects.bulk_create(
        Notification(user_id=user_id, document_id=document_id, link=link, text=text[:300])
        for user_ids, text in messages
        for user_id in user_ids
    )
    for note in notes:  # send() skips users without an address
        send.enqueue(note.pk)


@task()
def deliver(event_id, messages):
    """Write the notifications of EVENT_ID (MESSAGES: [[user ids], text]) and queue their mail."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event_id)
        if not Notification.objects.filter(event=event).exists():
            Notification.objects.bulk_create(
                Notification(user_id=user_id, document_id=event.document_id, event=event, text=text[:300])
                for user_ids, text in messages
                for user_id in user_ids
            )
        mails = list(
            Notification.objects.filter(
                event=event, mailed_at__isnull=True, user__is_active=True, user__email__gt=""
            ).values_list("pk", flat=True)
        )
    for notification_id in mails:
        send.enqueue(notification_id)


@task()
def send(notification_id, attempt=1):
    """Mail one notification to its user, unless it has been mailed already."""
    note = Notification.objects.select_related("user").get(pk=notification_id)
    if note.mailed_at is not None or not note.user.email:
        return
    try:
        send_mail(
            subject=note.text[:80],
            message=_("%(text)s\n\n请登录整改方案填报审阅系统查看：%(link)s")
            % {"text": note.text, "link": note.link or f"/documents/{note.document_id}/"},
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[note.user.email],
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("mail %s to %s failed (attempt %d)", note.pk, note.user.email, attempt)
        _retry(note, attempt)
        return
    Notification.objects.filter(pk=note.pk, mailed_at__isnull=True).update(mailed_at=timezone.now())


def _retry(note, attempt):
    backend = send.get_backend()
    if attempt >= MAIL_ATTEMPTS or not backend.supports_defer:
        logger.error("mail %s to %s not sent after %d attempts", note.pk, note.user.email, attempt)
        return
    pause = RETRY_AFTER[min(attempt, len(RETRY_AFTER)) - 1]
    send.using(run_after=timezone.now() + pause).enqueue(note.pk, attempt + 1)
