"""Signing in and staying signed in: repeated wrong passwords lock an account and an address
out (django-axes) until the wait passes or the admin unlocks; a session left idle ends;
each user changes their own password; nothing shown to a signed-in user is cached."""

import datetime as dt
import logging
import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.urls import reverse
from django.utils import timezone

from plans.documents import open_team_document

from .conftest import PASSWORD

LOCKED = "密码错误次数过多"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)


def sign_in(client, username, password=PASSWORD, address="10.1.1.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return "_auth_user_id" in client.session


def text(response):
    return response.content.decode()


# Lockout --------------------------------------------------------------------------------


def test_wrong_passwords_below_the_limit_still_let_the_right_one_in(client, cast):
    for _ in range(2):
        assert sign_in(client, "filer", "wrong").status_code == 200
    assert sign_in(client, "filer").status_code == 302 and signed_in(client)


def test_an_account_is_locked_after_repeated_failures_from_any_address(client, cast):
    for n in range(2):
        assert "用户名或密码不正确" in text(sign_in(client, "filer", "wrong", address=f"10.0.0.{n}"))
    third = sign_in(client, "filer", "wrong", address="10.0.0.9")
    assert third.status_code == 429 and LOCKED in text(third)
    right = sign_in(client, "filer", address="10.9.9.9")
    assert right.status_code == 429 and LOCKED in text(right) and "15 分钟" in text(right)
    assert not signed_in(client)
    # Another account from the same addresses is not held up by it.
    assert sign_in(client, "group", address="10.0.0.1").status_code == 302


def test_an_address_is_locked_after_failures_on_any_accounts(client, cast):
    for username in ["filer", "group", "nobody-at-all"]:
        sign_in(client, username, "wrong", address="10.2.2.2")
    refused = sign_in(client, "office", address="10.2.2.2")
    assert refused.status_code == 429 and LOCKED in text(refused) and not signed_in(client)
    assert sign_in(client, "office", address="10.3.3.3").status_code == 302


def test_failures_are_kept_and_logged(client, cast, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        sign_in(client, "filer", "wrong", address="10.4.4.4")
        sign_in(client, "filer", "wrong", address="10.4.4.4")
    failures = AccessFailureLog.objects.filter(username="filer")
    assert [(f.ip_address, f.locked_out) for f in failures] == [("10.4.4.4", False)] * 2
    assert AccessAttempt.objects.get(username="filer").failures_since_start == 2
    assert "filer" in caplog.text and "10.4.4.4" in caplog.text
    sign_in(client, "office", address="10.4.4.5")
    assert AccessLog.objects.filter(username="office", ip_address="10.4.4.5").count() == 1


def test_the_lock_ends_when_the_wait_has_passed(client, cast):
    for _ in range(3):
        sign_in(client, "filer", "wrong")
    assert sign_in(client, "filer").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert sign_in(client, "filer").status_code == 302 and signed_in(client)


def test_the_admin_unlocks_by_deleting_the_attempt(client, cast):
    for _ in range(3):
        sign_in(client, "filer", "wrong")
    admin = client.__class__()
    admin.force_login(cast.admin)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "filer" in text(listing) and "登录失败计数" in text(listing)
    attempt = AccessAttempt.objects.get(username="filer")
    confirmed = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert confirmed.status_code == 302 and not AccessAttempt.objects.exists()
    assert sign_in(client, "filer").status_code == 302 and signed_in(client)


def test_only_staff_reach_the_attempts(client, cast):
    client.force_login(cast.office)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


# Idle timeout ---------------------------------------------------------------------------


def leave_idle(client, minutes):
    session = client.session
    session["seen"] = int(time.time()) - minutes * 60
    session.save()


def test_a_session_idle_too_long_is_signed_out(client, cast, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(cast.filer)
    leave_idle(client, 31)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not signed_in(client)
    page = client.get(response["Location"])
    assert "超过 30 分钟没有操作" in text(page)


def test_an_idle_htmx_request_is_told_to_sign_in_again(client, cast, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(cast.filer)
    leave_idle(client, 31)
    response = client.get(reverse("review:waiting"), HTTP_HX_REQUEST="true")
    assert response.status_code == 401 and "重新登录" in text(response)


def test_a_request_within_the_idle_time_keeps_the_session_and_notes_it(client, cast, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(cast.filer)
    leave_idle(client, 29)
    assert client.get(reverse("home")).status_code == 200
    assert int(time.time()) - client.session["seen"] < 60
    assert client.get(reverse("home")).status_code == 200


def test_signing_in_notes_the_time_so_the_next_page_writes_no_session(client, cast):
    assert sign_in(client, "filer").status_code == 302
    noted = client.session["seen"]
    assert int(time.time()) - noted < 60
    assert client.get(reverse("home")).status_code == 200
    assert client.session["seen"] == noted


# Changing one's own password -------------------------------------------------------------

NEW = "Xiang-qun-2014-31"


def test_the_header_links_to_changing_the_password(client, cast):
    client.force_login(cast.filer)
    assert f'href="{reverse("password_change")}"' in text(client.get(reverse("home")))


def test_a_user_changes_their_own_password(client, cast):
    other = client.__class__()
    other.force_login(cast.filer)
    client.force_login(cast.filer)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "修改密码" in text(page) and "旧密码" in text(page)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert "新密码已生效" in text(client.get(response["Location"]))
    assert check_password(NEW, get_user_model().objects.get(pk=cast.filer.pk).password)
    # This session stays signed in; the account's other sessions end.
    assert client.get(reverse("home")).status_code == 200
    assert other.get(reverse("home")).status_code == 302


@pytest.mark.parametrize(
    "old, new1, new2, message",
    [
        ("wrong", NEW, NEW, "旧密码不正确"),
        (PASSWORD, NEW, NEW + "x", "两个密码不一致"),
        (PASSWORD, "12345678", "12345678", "这个密码太常见了"),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(client, cast, old, new1, new2, message):
    client.force_login(cast.filer)
    response = client.post(
        reverse("password_change"), {"old_password": old, "new_password1": new1, "new_password2": new2}
    )
    assert response.status_code == 200 and message in text(response)
    assert check_password(PASSWORD, get_user_model().objects.get(pk=cast.filer.pk).password)


def test_changing_the_password_needs_a_sign_in(client, cast):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# Nothing signed-in is cached -------------------------------------------------------------


def no_store(response):
    return "no-store" in response.get("Cache-Control", "")


def test_signed_in_pages_and_downloads_are_not_stored(client, cast):
    document = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    for url in [reverse("home"), reverse("plans:document", args=[document.pk]), reverse("review:waiting")]:
        response = client.get(url)
        assert response.status_code == 200 and no_store(response), url
    download = client.get(reverse("plans:export", args=[document.pk]))
    assert download.status_code == 200 and no_store(download)
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")


def test_static_files_and_the_public_site_keep_their_caching(client, cast):
    client.force_login(cast.filer)
    static = client.get("/static/css/rectify.css")
    assert static.status_code == 200 and not no_store(static)
    client.logout()
    public = client.get(reverse("publication:public"))
    assert public.status_code == 200 and not no_store(public) and "max-age" in public["Cache-Control"]
