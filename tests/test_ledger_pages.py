"""The ledger's pages: a document's ledger, one measure and its forms, my measures and
the verifier's queue. Outside reach is a 404, visible but not allowed a 403, GET never
changes anything, and a refused form comes back with what was typed."""

import pytest
from django.urls import reverse

from ledger import transitions
from ledger.models import Entry
from ledger.words import EntryState

from .factories import approved, filled_team_plan


@pytest.fixture
def plan(cast, leaders):
    return approved(filled_team_plan(cast), by=cast.filer)


@pytest.fixture
def entries(plan):
    return list(Entry.objects.filter(document=plan).order_by("position"))


def page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(f"ledger:{name}", args=args))


def test_the_documents_page_links_to_its_ledger_which_lists_every_measure(client, cast, plan, entries):
    client.force_login(cast.filer)
    document_page = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert reverse("ledger:document", args=[plan.pk]) in document_page
    ledger = page(client, cast.filer, "document", plan.pk).content.decode()
    for entry in entries:
        assert reverse("ledger:entry", args=[entry.pk]) in ledger
        assert entry.owner_name in ledger
    assert (
        ledger.count('class="ledger-row"')
        == Entry.objects.filter(document__in=[plan, *plan.attachments.all()]).count()
    )
    assert reverse("ledger:document_export", args=[plan.pk]) in ledger


def test_outsiders_see_nothing(client, cast, plan, entries):
    for user in (cast.outsider, cast.nobody):
        assert page(client, user, "document", plan.pk).status_code == 404
        assert page(client, user, "entry", entries[0].pk).status_code == 404
        response = client.post(reverse("ledger:report", args=[entries[0].pk]), {"revision": 1, "text": "x"})
        assert response.status_code == 404
    assert not entries[0].reports.exists()


def test_get_changes_nothing(client, cast, entries):
    client.force_login(cast.filer)
    for name in ("report", "close", "send_back"):
        assert client.get(reverse(f"ledger:{name}", args=[entries[0].pk])).status_code == 405


def test_visible_but_not_allowed_is_403(client, cast, entries):
    entry = entries[0]
    client.force_login(cast.group)  # a verifier, not a reporter
    response = client.post(
        reverse("ledger:report", args=[entry.pk]), {"revision": entry.revision, "text": "x"}
    )
    assert response.status_code == 403
    transitions.report(cast.filer, entry.pk, entry.revision, "已完成。", done=True)
    entry.refresh_from_db()
    client.force_login(cast.secretary)  # reads the document, neither decided it nor a group
    response = client.post(reverse("ledger:close", args=[entry.pk]), {"revision": entry.revision})
    assert response.status_code == 403
    assert Entry.objects.get(pk=entry.pk).state == EntryState.DONE


def test_each_user_is_offered_their_own_forms(client, cast, entries):
    entry = entries[0]
    filer_page = page(client, cast.filer, "entry", entry.pk).content.decode()
    assert 'id="report-form"' in filer_page and 'id="report-done"' in filer_page
    assert 'id="close-form"' not in filer_page
    transitions.report(cast.filer, entry.pk, entry.revision, "已完成。", done=True)
    group_page = page(client, cast.group, "entry", entry.pk).content.decode()
    assert 'id="close-form"' in group_page and 'id="send-back-form"' in group_page
    assert 'id="report-form"' not in group_page
    assert 'id="report-form"' not in page(client, cast.filer, "entry", entry.pk).content.decode()


def test_a_sending_back_without_a_reason_is_refused_on_the_page(client, cast, entries):
    entry = entries[0]
    transitions.report(cast.filer, entry.pk, entry.revision, "已完成。", done=True)
    entry.refresh_from_db()
    client.force_login(cast.group)
    response = client.post(
        reverse("ledger:send_back", args=[entry.pk]), {"revision": entry.revision, "reason": " "}
    )
    assert response.status_code == 400
    assert "退回继续整改须写明理由" in response.content.decode()
    assert Entry.objects.get(pk=entry.pk).state == EntryState.DONE


def test_a_stale_page_is_told_and_keeps_the_text(client, cast, entries):
    entry = entries[0]
    transitions.report(cast.filer, entry.pk, entry.revision, "别人先报了。")
    client.force_login(cast.filer)
    response = client.post(
        reverse("ledger:report", args=[entry.pk]), {"revision": entry.revision, "text": "我写的这段话。"}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "刷新页面" in body and "我写的这段话。</textarea>" in body
    assert entry.reports.count() == 1


def test_the_owner_sees_their_tasks_overdue_first(client, cast, entries):
    mine = [entry for entry in entries if entry.owner_id == cast.member_person.pk]
    assert mine
    Entry.objects.filter(pk=mine[-1].pk).update(deadline="2000-01-01")
    body = page(client, cast.member, "mine").content.decode()
    for entry in mine:
        assert reverse("ledger:entry", args=[entry.pk]) in body
    others = [entry for entry in entries if entry.owner_id != cast.member_person.pk]
    # The member sits in the team and fills its plan, so sees the team's too; an owner
    # from elsewhere would see only their own.
    first = body.index('class="ledger-row')
    assert body.index(reverse("ledger:entry", args=[mine[-1].pk])) > first
    assert body.index(reverse("ledger:entry", args=[mine[-1].pk])) < min(
        body.index(reverse("ledger:entry", args=[entry.pk])) for entry in [*mine[:-1], *others]
    )
    assert "逾期" in body


def test_the_verifiers_queue_and_the_home_page(client, cast, entries):
    entry = entries[0]
    transitions.report(cast.filer, entry.pk, entry.revision, "已完成。", done=True)
    body = page(client, cast.group, "verify").content.decode()
    assert reverse("ledger:entry", args=[entry.pk]) in body
    assert body.count('class="ledger-row') == 1
    assert (
        reverse("ledger:entry", args=[entry.pk])
        not in page(client, cast.secretary, "verify").content.decode()
    )
    client.force_login(cast.group)
    home = client.get(reverse("home")).content.decode()
    assert 'id="ledger-waiting"' in home and reverse("ledger:verify") in home
    client.force_login(cast.outsider)
    assert 'id="ledger-waiting"' not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("sent", ["abc", "9" * 30, ""])
def test_a_revision_that_does_not_read_is_a_stale_page_not_an_error(client, cast, entries, sent):
    entry = entries[0]
    client.force_login(cast.filer)
    response = client.post(reverse("ledger:report", args=[entry.pk]), {"revision": sent, "text": "进展。"})
    assert response.status_code == 409
    assert "刷新页面" in response.content.decode() and "进展。</textarea>" in response.content.decode()
    assert entry.reports.count() == 0
