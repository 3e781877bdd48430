"""Safe to send twice: a request that creates something, sent again with the same key,
answers as the first did and creates nothing more.

A form that creates something carries a key made when the page was rendered
(`{% once_field %}`, rectify/templatetags/once.py); an htmx request carries one in the
X-Once-Key header, which static/js/once.js adds to every POST htmx sends and keeps for
the same button until an answer arrives. The view, decorated with `@once`, runs in one
transaction that first claims (user, key) in rectify.models.Sent: a second request with
the key waits at that claim while the first is being answered (the unique constraint
makes PostgreSQL wait for the first transaction, SQLite queues writers), then finds the
first answer kept there and gives it again, with the messages it left for the next page.

An answer that refused (4xx) is not kept, for nothing was created: the corrected form
may be sent again. A failure rolls back everything, the claim with it. A request with no
key runs as before.

Answers are kept for settings.ONCE_RETENTION_DAYS. A kept answer queues a prune of the
older ones on the tasks worker after its transaction commits, at most once per
PRUNE_EVERY in each process (the cache says when it last did); `manage.py prune_sent`
prunes at once.
"""

import datetime as dt
import functools
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Sent
from .views import page_error

FIELD = "once"
HEADER = "X-Once-Key"
# Headers an answer is given again with (cookies are the session's, set afresh).
DROPPED = {"set-cookie", "content-length", "vary", "date"}
# Pruning is queued at most this often by one process: the answers it forgets are days
# old, so an hour more of them costs nothing.
PRUNE_EVERY = dt.timedelta(hours=1)
PRUNE_QUEUED = "rectify.once.prune_queued"


def new_key():
    return str(uuid.uuid4())


def once(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        raw = (request.headers.get(HEADER) or request.POST.get(FIELD) or "").strip()
        if request.method != "POST" or not raw or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        try:
            key = uuid.UUID(raw)
        except ValueError:
            return _refuse(request, _("表单已过期，请刷新页面后重新提交。"), 400)
        for _attempt in range(3):
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        sent = Sent.objects.create(user=request.user, key=key, path=request.path)
                except IntegrityError:
                    sent = None
                else:
                    response = view(request, *args, **kwargs)
                    _keep(request, sent, response)
                    return response
            first = Sent.objects.filter(user=request.user, key=key).first()
            if first is not None:
                return _repeat(request, first)
            # The first was refused and let go of its claim meanwhile: try again.
        return _refuse(request, _("这份表单正在处理，请稍候刷新页面查看结果。"), 409)

    return wrapped


def _keep(request, sent, response):
    if response.status_code >= 400 or response.streaming:
        sent.delete()
        return
    storage = getattr(request, "_messages", None)
    left = getattr(storage, "_queued_messages", [])
    sent.status = response.status_code
    sent.headers = {name: value for name, value in response.items() if name.lower() not in DROPPED}
    sent.body = response.content
    sent.messages = [[message.level, str(message.message), message.extra_tags or ""] for message in left]
    sent.save(update_fields=["status", "headers", "body", "messages"])
    if cache.add(PRUNE_QUEUED, True, timeout=PRUNE_EVERY.total_seconds()):
        transaction.on_commit(pruned.enqueue, robust=True)


def _repeat(request, sent):
    if sent.path != request.path:
        return _refuse(request, _("这份表单已经提交过，请刷新页面后再操作。"), 409)
    location = next((value for name, value in sent.headers.items() if name.lower() == "location"), None)
    if location is not None:
        response = HttpResponseRedirect(location, content=bytes(sent.body))
        response.status_code = sent.status
    else:
        response = HttpResponse(bytes(sent.body), status=sent.status)
    for name, value in sent.headers.items():
        response[name] = value
    for level, text, tags in sent.messages:
        messages.add_message(request, level, text, extra_tags=tags)
    return response


def _refuse(request, message, status):
    if getattr(request, "htmx", False):
        return page_error(message, status=status)
    return render(
        request, "refused.html", {"heading": _("这份表单没有提交"), "reason": message}, status=status
    )


def prune(days=None, now=None):
    """Forget the answers kept longer than DAYS (settings.ONCE_RETENTION_DAYS); return
    how many were forgotten."""
    days = settings.ONCE_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted, _by_model = Sent.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@task()
def pruned():
    """prune() on the tasks worker."""
    return prune()
