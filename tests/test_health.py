"""/healthz and the worker's heartbeat it reads (rectify/health.py, rectify/heartbeat.py), and
what every server shares in the database: the cache's table, the public site's generation
and its counts of visits. tests/test_two_servers.py drives them through two real servers."""

import datetime as dt
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from publication.models import Generation, Visits
from publication.transitions import generation
from rectify import heartbeat
from rectify.models import Heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    """The database queue, as production has it (the tests otherwise run tasks at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def beat_at(at):
    Heartbeat.objects.update_or_create(pk=Heartbeat.ONE, defaults={"at": at})


def health(client, **params):
    response = client.get(reverse("healthz"), params)
    assert not response.cookies and "Set-Cookie" not in response
    return response.status_code, json.loads(response.content)


def test_healthy_when_the_database_answers_and_the_worker_beat_lately(client, django_assert_num_queries):
    beat_at(timezone.now() - dt.timedelta(seconds=30))
    with django_assert_num_queries(1):
        status, answer = health(client)
    assert status == 200
    assert answer["database"] == "ok" and answer["worker"] == "ok"
    assert answer["heartbeat"].startswith(timezone.localdate().isoformat()[:4])


def test_a_worker_silent_too_long_is_named(client, settings):
    beat_at(timezone.now() - dt.timedelta(seconds=settings.HEARTBEAT_STALE_SECONDS + 1))
    assert health(client)[0] == 503 and health(client)[1]["worker"] == "stale"
    Heartbeat.objects.all().delete()
    assert health(client) == (503, {"database": "ok", "worker": "never", "heartbeat": None})


def test_a_load_balancer_may_ask_about_the_database_alone(client):
    assert health(client, only="database") == (200, {"database": "ok"})


def test_healthz_needs_no_login_and_takes_no_post(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_the_command_starts_one_chain_however_often_it_runs(queue):
    out = io.StringIO()
    call_command("heartbeat", stdout=out)
    call_command("heartbeat", stdout=out)
    assert "已排定心跳" in out.getvalue() and "未重复排定" in out.getvalue()
    assert heartbeat.waiting().count() == 1


def test_a_beat_records_its_time_forgets_the_last_and_queues_the_next(queue, settings):
    heartbeat.start()
    earlier = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=earlier.pk).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now() - dt.timedelta(minutes=1)
    )
    before = timezone.now()
    heartbeat.beat.call()
    assert Heartbeat.objects.get().at >= before
    left = DBTaskResult.objects.get()  # the finished beat forgotten, the next one waiting
    assert left.status == TaskResultStatus.READY and left.task_path == heartbeat.beat.module_path
    assert left.run_after >= before + dt.timedelta(seconds=settings.HEARTBEAT_SECONDS)


def test_without_the_database_queue_nothing_is_scheduled(client):
    out = io.StringIO()
    call_command("heartbeat", stdout=out)
    assert "无法排定心跳" in out.getvalue()
    assert heartbeat.beat.call()  # the beat itself still records its time
    assert health(client)[0] == 200


def test_the_cache_is_a_table_every_server_reads():
    cache.set("shared", {"figure": 42})
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM rectify_cache")
        assert cursor.fetchone()[0] == 1
    assert cache.get("shared") == {"figure": 42}


def test_the_generation_is_one_row_that_each_move_raises():
    first = generation()
    assert Generation.objects.get().value == first
    Generation.objects.update(value=first + 1)  # as another server's publish leaves it
    assert generation() == first + 1


def test_the_public_site_s_counts_are_rows_and_past_minutes_are_pruned(client, settings):
    settings.PUBLIC_RATE_LIMIT = 2
    for _attempt in range(2):  # made again if it crossed into a new minute
        Visits.objects.all().delete()
        minute = int(timezone.now().timestamp() // 60)
        Visits.objects.create(minute=minute - 5, address="10.0.0.9", hits=100)
        # Another server counted this address already this minute.
        Visits.objects.create(minute=minute, address="10.0.0.1", hits=2)
        refused = client.get(reverse("publication:public"), REMOTE_ADDR="10.0.0.1").status_code
        served = client.get(reverse("publication:public"), REMOTE_ADDR="10.0.0.2").status_code
        if int(timezone.now().timestamp() // 60) == minute:
            break
    assert (refused, served) == (429, 200)
    assert sorted(Visits.objects.values_list("address", "hits")) == [("10.0.0.1", 3), ("10.0.0.2", 1)]
