"""Notifications and mail on the tasks worker's queue (django-tasks-db), as in production:
a request that changes a review returns before anything is written or sent; the worker
tells people once, however often it runs; a mail server that fails does not lose the mail."""

import datetime as dt
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from review import notices, transitions
from review.models import Notification

from .factories import filled_team_plan
from .workers import db_worker


class BrokenMail(BaseEmailBackend):
    """A mail server that drops every connection."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")


@pytest.fixture
def queued(settings, cast, leaders):
    """The database queue of production; the group, whom a submission reaches, has an address."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    cast.group.email = "group@example.org"
    cast.group.save(update_fields=["email"])
    return filled_team_plan(cast)


def work():
    """manage.py db_worker's own loop, once through everything due now (in the test's
    transaction: the command itself would close the test's database connection)."""
    worker = db_worker("test")
    while (result := DBTaskResult.objects.ready().get_locked()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)


def waiting(path):
    return DBTaskResult.objects.filter(task_path=f"review.notices.{path}", status="READY")


def test_the_request_returns_before_anything_is_told_and_the_worker_tells_once(
    queued, cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    plan = queued
    client.force_login(cast.filer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review:submit", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "submitted"
    # Nothing told yet: the work waits on the queue.
    assert not Notification.objects.exists()
    assert mailoutbox == []
    assert waiting("deliver").count() == 1

    work()
    note = Notification.objects.get()
    assert note.user == cast.group and "请审阅" in note.text
    assert [m.to for m in mailoutbox] == [["group@example.org"]]
    assert note.mailed_at is not None
    assert not waiting("deliver").exists() and not waiting("send").exists()

    # The same tasks run again (a worker restarted mid-way) tell nobody twice.
    event_id = note.event_id
    notices.deliver.call(event_id, [[cast.group.pk], note.text])
    notices.send.call(note.pk)
    work()
    assert Notification.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_failed_mail_is_logged_and_tried_again_later(
    queued, cast, settings, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    plan = queued
    settings.MAILERS = {"default": {"BACKEND": "tests.test_notices.BrokenMail"}}
    with django_capture_on_commit_callbacks(execute=True):
        transitions.submit(cast.filer, plan)
    work()
    # The notification is there; the mail failed, was logged, and waits to be tried again.
    note = Notification.objects.get(user=cast.group)
    assert note.mailed_at is None
    assert "failed (attempt 1)" in caplog.text
    retry = waiting("send").get()
    assert retry.args_kwargs["args"] == [note.pk, 2]
    assert retry.run_after > timezone.now() + dt.timedelta(seconds=30)
    # Not before its time.
    work()
    assert waiting("send").get().pk == retry.pk

    # The server is back; when the pause is over, the mail goes, once.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    work()
    note.refresh_from_db()
    assert note.mailed_at is not None
    assert [m.to for m in mailoutbox] == [["group@example.org"]]
    assert not waiting("send").exists()


def test_a_mail_that_never_goes_is_given_up_and_said_so(queued, cast, settings, caplog):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_notices.BrokenMail"}}
    note = Notification.objects.create(
        user=cast.group, document=queued, event_id=_an_event(cast, queued), text="《测试》请审阅"
    )
    notices.send.call(note.pk, notices.MAIL_ATTEMPTS)
    assert "not sent after 5 attempts" in caplog.text
    assert not waiting("send").exists()
    note.refresh_from_db()
    assert note.mailed_at is None


def _an_event(cast, plan):
    review = transitions.submit(cast.filer, plan)
    return review.events.get().pk
