"""No 500 from input: every URL of the product, asked with hostile values.

Every pattern of the URL resolver is requested, by the first member of the cast it lets
in (the office, a leader filing his measures, his reviewer, a filer, the supervision
group, 省委有关领导, a principal), by each method it answers:
  - with each hostile value in each of its path parameters in turn, the others valid
    (an <id:…> that is not an id matches no pattern: the resolver's 404, asked once);
  - with valid path parameters and each hostile value in every query parameter any view
    reads (GET) and in every form field any view reads (POST).
The answer is never a 5xx; a refusal (4xx) says why in Chinese. A view that ignores a
value it cannot read (page=abc shows the first page) answers as usual.

The parameters the views read are found in their source (request.GET.get("…"),
request.POST.getlist("…"), the fields of the forms and of the documents' sections), so
a view that starts reading a new one is asked about it without this file changing."""

import logging
import re
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from dashboard import words as dashboard_words
from ledger.models import Entry, Evidence, Export
from orgs.models import Org, Person, Team
from oversight.models import Bulletin, Finding, SpotCheck
from plans import structure
from plans.forms import LINK_FIELDS
from plans.models import Document, Import, Input, Item
from publication.models import Publication
from review.models import Comment, Notification, Step

from .test_endpoints import a_draft_bulletin, a_preview, a_published_plan, returned_measures

pytestmark = pytest.mark.django_db

HOSTILE = {
    "malformed": "12abc",
    "huge": "99999999999999999999999",
    "negative": "-1",
    "non-numeric": "abc",
    "non-ASCII": "湖南省①",
    "NUL": "1\x00",
}
CHINESE = re.compile(r"[\u4e00-\u9fff]")
APPS = ("orgs", "plans", "review", "oversight", "ledger", "publication", "dashboard", "rectify")
# Who asks: the provincial office, a leader filing his own measures, his reviewer, a
# team's filer, the provincial supervision group, 省委有关领导, a county principal.
ROLES = ("office", "member", "secretary", "filer", "group", "leader", "principal")

FALLBACK = "office"  # asks where no one is let in

# What the first path parameter of a route names, by the route's text before it.
MODELS = [
    ("orgs/", Org),
    ("teams/", Team),
    ("people/", Person),
    ("inputs/", Input),
    ("items/", Item),
    ("documents/", Document),
    ("steps/", Step),
    ("comments/", Comment),
    ("notifications/", Notification),
    ("oversight/checks/", SpotCheck),
    ("oversight/findings/", Finding),
    ("oversight/bulletins/", Bulletin),
    ("publications/", Publication),
    ("public/", Publication),
    ("ledger/entries/", Entry),
    ("ledger/exports/", Export),
    ("ledger/document/", Document),
    ("ledger/evidence/", Evidence),
    ("ledger/region/", Org),
    ("dashboard/", Org),
]
# Parameters other than the first, by name.
OTHERS = {"person": Person, "import_pk": Import}


def patterns(resolver=None, prefix=""):
    """The route of every URL the product answers, the admin's included."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def read_names():
    """Every query parameter and form field a view of the product reads."""
    get_resolver().url_patterns  # noqa: B018  (imports every view)
    names = set()
    reads = re.compile(
        r"""(?:request\.(?:GET|POST)(?:\.get|\.getlist)?\(?\[?|data\.get\()["']([\w-]+)["']"""
        r"""|["']([\w-]+)["'] in request\.(?:GET|POST)"""
    )
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in APPS and getattr(module, "__file__", None):
            for found in reads.finditer(Path(module.__file__).read_text()):
                names.add(found.group(1) or found.group(2))
    for form in all_subclasses(forms.Form):
        if form.__module__.split(".")[0] in APPS:
            names.update(form.base_fields)
    for kind in structure.STRUCTURES.values():
        for section in kind.sections:
            names.update(section.fields)
    return names


def all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_subclasses(sub)


@pytest.fixture
def world(cast, leaders):
    """Something behind every URL: a returned individual measures with a comment, an
    import read into a preview, a spot check with a finding and a draft bulletin, a
    published plan with its ledger open."""
    t = SimpleNamespace(cast=cast)
    t.returned = returned_measures(cast)
    t.bulletin = a_draft_bulletin(cast)
    t.published = a_published_plan(cast)
    # The preview is of 夏海波's own measures (欧阳明辉's were returned above).
    t.preview = a_preview_of_secretary(cast)
    Notification.objects.create(
        user=cast.member, document=t.returned.document, event=t.returned.review.events.first(), text="请修改"
    )
    return t


def a_preview_of_secretary(cast):
    me = SimpleNamespace(**vars(cast))
    me.member, me.member_person = cast.secretary, cast.secretary_person
    return a_preview(me)


def valid(route, name, index):
    """A value of parameter NAME of ROUTE that finds something."""
    if name == "code":
        return "430121"
    if name == "name":
        if route.startswith("dashboard/"):
            return next(table for table in dashboard_words.TABLES if table != "unfiled")
        return LINK_FIELDS[0]
    if name == "uid":
        found = Evidence.objects.first()
        return str(found.uid if found else uuid.uuid4())
    if index == 0:
        model = next((model for prefix, model in MODELS if route.startswith(prefix)), None)
    else:
        model = OTHERS.get(name)
    assert model is not None, f"{route}: what does <{name}> name? Add it to MODELS or OTHERS."
    found = model.objects.order_by("-pk").first()
    return str(found.pk if found else 1)


def urls(route, values):
    """ROUTE with VALUES ({name: value}) put in its parameters."""
    return "/" + PARAMETER.sub(lambda m: values[m["name"]], route).replace("^", "").replace("$", "")


def matches(url):
    """Does URL resolve to a view?"""
    try:
        resolve(url)
    except Resolver404:
        return False
    return True


def check(client, method, url, data, who):
    """What is wrong with the answer to this request ("" when nothing), and its status."""
    response = getattr(client, method)(url, data)
    body = b"".join(response) if response.streaming else response.content
    status = response.status_code
    if status >= 500 or (status >= 400 and not CHINESE.search(body.decode(errors="replace"))):
        shown = next(iter(data.values()), "") if data else ""
        return f"{who} {method.upper()} {url!r} {shown!r}: {status} {body[:120]!r}", status
    return "", status


def test_no_500_from_hostile_input(world, quiet):
    cast = world.cast
    names = sorted(read_names())
    assert {"person", "within", "step", "page", "q", "revision", "text"} <= set(names)
    clients = {who: Client(raise_request_exception=False) for who in ROLES}
    for who, client in clients.items():
        client.force_login(getattr(cast, who))
    wrong = []

    def ask(who, method, url, data=None):
        problem, status = check(clients[who], method, url, data or {}, who)
        wrong.append(problem)
        if url.startswith("/accounts/logout/"):
            clients[who].force_login(getattr(cast, who))
        return status

    for route in patterns():
        if route.startswith(("admin/", "healthz")):
            continue
        parameters = [(m["name"], m["converter"]) for m in PARAMETER.finditer(route)]
        good = {name: valid(route, name, i) for i, (name, _converter) in enumerate(parameters)}
        url = urls(route, good)
        # Who reaches the view with this URL, by each method it answers: the first of the
        # cast it does not refuse (403, 404), else the office. Hostile values are worth
        # sending only where a view reads them, and a view reads them whoever asks.
        reach = {}
        for method in ("get", "post"):
            for who in ROLES:
                status = ask(who, method, url)
                if status == 405:
                    break  # the view does not answer this method, whoever asks
                if status not in (403, 404):
                    reach[method] = who
                    break
            else:
                reach[method] = FALLBACK
        for value in HOSTILE.values():
            for name, converter in parameters:
                hostile = urls(route, {**good, name: value})
                # An id that is not one matches no pattern, whoever asks: the 404 page
                # (asked for below) says so. Were it to match another, that is asked.
                if converter == "id" and not matches(hostile):
                    continue
                for method, who in reach.items():
                    ask(who, method, hostile)
            for method, who in reach.items():
                ask(who, method, url, {name: value for name in names})
    for value in HOSTILE.values():
        ask(FALLBACK, "get", f"/documents/{value}/")
    wrong = sorted(set(filter(None, wrong)))
    assert not wrong, "\n".join(wrong)


@pytest.fixture
def quiet():
    """Django logs every refusal (404, 403) with its traceback; only errors are of interest
    here, and formatting thousands of tracebacks would take most of the test's time."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def test_the_admin_answers_hostile_ids(cast, quiet):
    """The admin's own pages, as the administrator: an id that is not one finds nothing."""
    client = Client(raise_request_exception=False)
    client.force_login(cast.admin)
    wrong = []
    for route in patterns():
        if not route.startswith("admin/") or "<" not in route or "(?P" in route:
            continue
        for value in HOSTILE.values():
            url = urls(route, {m["name"]: value for m in PARAMETER.finditer(route)})
            wrong.append(check(client, "get", url, {}, "admin")[0])
    wrong = sorted(set(filter(None, wrong)))
    assert not wrong, "\n".join(wrong)


def test_a_person_who_is_not_an_id_is_not_the_teams_register(cast, client):
    """An entry posted for a leader named by something that is not an id is refused, not
    put on the team's register in its place."""
    client.force_login(cast.filer)
    url = f"/teams/{cast.committee.pk}/register/"
    for person in ("abc", "99999999999999999999999", "-1", "１２"):
        response = client.post(f"{url}?person={person}", {"source": "mass_opinion", "text": "会议多"})
        assert response.status_code == 404
        assert "不存在" in response.content.decode()
    assert not cast.committee.inputs.exists()


def test_an_address_with_a_control_character_changes_nothing(cast, client):
    client.force_login(cast.filer)
    url = f"/teams/{cast.committee.pk}/register/"
    response = client.post(url, {"source": "mass_opinion", "text": "会议多\x00"})
    assert response.status_code == 400
    assert "无法识别的字符" in response.content.decode()
    assert client.get("/orgs/search/?q=%0b").status_code == 400
    assert client.get("/orgs/search/?q=%E9%95%BF%E6%B2%99%0A").status_code == 200  # a line break is typed
    assert not cast.committee.inputs.exists()


def test_a_refusal_django_leaves_blank_says_why(cast, client):
    client.force_login(cast.filer)
    url = f"/documents/{cast.committee.pk}/submit/"
    page = client.get(url)
    assert page.status_code == 405 and page["Allow"] == "POST"
    assert "不能直接打开" in page.content.decode() and "<html" in page.content.decode()
    line = client.get(url, headers={"HX-Request": "true"})
    assert line.status_code == 405 and "<html" not in line.content.decode()
    assert "不能直接打开" in line.content.decode()
