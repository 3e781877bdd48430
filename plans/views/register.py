"""The four-responses register (四个回应): what a team, or one leader, must answer.

The team's filers and members keep it; a supervision group over the team adds what it
pointed out (上级党组织和督导组点明的问题), which the filers cannot delete. Each entry shows
the problems that answer it, or the written explanation of why none does.
"""

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from orgs import policy
from orgs.models import Position, Team
from rectify.auth import display_name
from rectify.once import once
from rectify.posted import number

from .. import editing
from ..access import RegisterRight, fills, supervises
from ..documents import register_kind, sources_asked
from ..forms import MAX_PASTE_CHARS, MAX_PASTE_LINES, InputEditForm, InputForm
from ..models import MAX_INPUT_CHARS, Input, Item
from ..words import DocumentKind, Source
from .common import fragment

REPORT_CHARS = 120  # of a line added or repeated, as the report shows it
SUPERVISION_ONLY = gettext_lazy(
    "督导组点明的问题只能由点明它的督导组删除；不列入问题清单的，请填写书面说明。"
)
ANOTHER_BODY = gettext_lazy("这一条是%(body)s点明的，只能由%(body)s修改或删除。")


def _rights(user, team, person):
    """Does USER keep this register (its team's, or PERSON's), and does USER oversee the team?"""
    return fills(user, team.pk, person), supervises(user, team)


def _person(team, request):
    """The leader whose own register is asked for, or None for the team's. A person that
    is not an id of the team's is a 404, never the team's register in its place."""
    pk = request.GET.get("person") or request.POST.get("person")
    if not pk:
        return None
    position = get_object_or_404(Position.objects.select_related("person"), team=team, person_id=number(pk))
    return position.person


def _entries(team, person):
    return (
        Input.objects.filter(team=team, person=person)
        .select_related("created_by__person", "added_by_body")
        .prefetch_related(
            Prefetch("answered_by", queryset=Item.objects.select_related("document").order_by("document_id"))
        )
        .order_by("source", "position", "id")
    )


def _row_context(user, entry):
    changes = policy.can(user, RegisterRight.CHANGE, entry)
    return {
        "entry": entry,
        "may_edit_text": changes,
        "may_explain": policy.can(user, RegisterRight.EXPLAIN, entry),
        "may_delete": changes,
    }


@require_http_methods(["GET", "POST"])
@once
def register(request, pk):
    user = request.user
    team = policy.get_or_404(user, Team, related=("org",), pk=pk)
    person = _person(team, request)
    files, oversees = _rights(user, team, person)
    if person is not None and not (files or oversees or policy.reach(user).reads(team.org)):
        # A colleague's own register, as their individual measures, is not the team's.
        raise Http404
    kind = register_kind(team, person)
    asked = sources_asked(kind)
    # A filer registers what the document must answer; a group's entry is always what it
    # pointed out, whatever the document.
    offered = None if oversees and not files else asked
    form = InputForm(request.POST or None, initial={"source": Source.MASS_OPINION}, sources=offered)
    stash = _stash_key(team, person)
    if request.method == "POST":
        if not (files or oversees):
            raise PermissionDenied(_("您不能在这本登记簿里登记。"))
        if form.is_valid():
            source = form.cleaned_data["source"]
            from_supervision = oversees and not files
            if from_supervision:
                source = Source.SUPERIOR
            lines = editing.add_inputs(
                user, team, source, form.lines, person=person, from_supervision=from_supervision
            )
            report = _report(source, lines)
            request.session[stash] = report
            say = messages.success if report["added"] and not report["refused"] else messages.warning
            say(request, _summary(report))
            return redirect(request.path + (f"?person={person.pk}" if person else ""))
    report = request.session.pop(stash, None) if request.method == "GET" else None
    if report and report["refused"]:
        # What was refused is back in the box, to be corrected and sent again.
        kept = "\n".join(line["text"] for line in report["refused"])
        form = InputForm(initial={"source": report["code"], "text": kept}, sources=offered)
    entries = list(_entries(team, person))
    # The sources the document is asked about, in its words; another source somebody
    # entered is still shown, as responses() still counts it.
    groups = [
        (source, asked.get(source, source.label), rows)
        for source in Source
        for rows in [[_row_context(user, entry) for entry in entries if entry.source == source]]
        if source in asked or rows
    ]
    return render(
        request,
        "plans/register.html",
        {
            "team": team,
            "person": person,
            "groups": groups,
            "document_label": DocumentKind(kind).label if kind else _("整改方案"),
            "asked": "、".join(str(words) for words in asked.values()),
            "form": form,
            "files": files,
            "oversees": oversees,
            "supervision_only": oversees and not files,
            "report": report,
            "max_lines": MAX_PASTE_LINES,
            "max_chars": MAX_PASTE_CHARS,
            "max_entry": MAX_INPUT_CHARS,
        },
        status=422 if form.errors else 200,
    )


def _stash_key(team, person):
    return f"register-report:{team.pk}:{person.pk if person else ''}"


def _report(source, lines):
    """What a paste did, line by line, as plain data kept in the session for the page
    the answer leads to. Only refused lines keep their whole text (they go back in the box)."""
    by = {outcome: [] for outcome in editing.PASTE_OUTCOMES}
    for line in lines:
        text = line.text if line.outcome == editing.REFUSED else Truncator(line.text).chars(REPORT_CHARS)
        by[line.outcome].append(
            {"number": line.number, "text": text, "reason": line.reason, "same": line.same}
        )
    return {
        "code": str(source),
        "source": str(Source(source).label),
        "total": len(lines),
        "added": by[editing.ADDED],
        "duplicates": by[editing.DUPLICATE],
        "refused": by[editing.REFUSED],
    }


def _summary(report):
    said = _("已登记 %(n)s 条%(source)s") % {"n": intcomma(len(report["added"])), "source": report["source"]}
    if report["duplicates"]:
        said += _("；%(n)s 条与已有的重复，未再登记") % {"n": intcomma(len(report["duplicates"]))}
    if report["refused"]:
        said += _("；%(n)s 条未登记，原因见下") % {"n": intcomma(len(report["refused"]))}
    return said + "。"


def _entry_or_404(user, pk):
    return get_object_or_404(policy.visible(user, Input).select_related("team__org", "person"), pk=pk)


@require_POST
def input_save(request, pk):
    user = request.user
    entry = _entry_or_404(user, pk)
    context = _row_context(user, entry)
    if not (context["may_edit_text"] or context["may_explain"]):
        if entry.from_supervision and supervises(user, entry.team):
            raise PermissionDenied(ANOTHER_BODY % {"body": _pointed_by(entry)})
        raise PermissionDenied(_("您不能修改这一条。"))
    form = InputEditForm(request.POST)
    if not form.is_valid():
        context["error"] = "；".join(str(e) for errors in form.errors.values() for e in errors)
        return fragment(render_to_string("plans/_input_row.html", context, request=request), status=422)
    values = {}
    if context["may_edit_text"]:
        values["text"] = form.cleaned_data["text"]
    if context["may_explain"]:
        values["explanation"] = form.cleaned_data["explanation"]
    try:
        entry = editing.save_input(user, entry, form.cleaned_data["revision"], values)
        context = _row_context(user, entry) | {"saved": True}
        status = 200
    except editing.EditError as error:
        entry.refresh_from_db()
        context = _row_context(user, entry) | {"error": error.message}
        status = 409
    entry = _entries(entry.team, entry.person).get(pk=entry.pk)
    context["entry"] = entry
    return fragment(
        render_to_string("plans/_input_row.html", context, request=request),
        status=status,
        events={"document-changed": {}},
    )


@require_POST
def input_delete(request, pk):
    user = request.user
    entry = _entry_or_404(user, pk)
    if not policy.can(user, RegisterRight.CHANGE, entry):
        if policy.can(user, RegisterRight.EXPLAIN, entry):
            return _refuse(request, entry, SUPERVISION_ONLY)
        if entry.from_supervision and supervises(user, entry.team):
            return _refuse(request, entry, ANOTHER_BODY % {"body": _pointed_by(entry)})
        raise PermissionDenied(_("您不能删除这一条。"))
    try:
        editing.delete_input(user, entry)
    except editing.EditError as error:
        return _refuse(request, entry, error.message)
    messages.success(request, _("已删除。"))
    return _back(entry)


def _back(entry):
    url = redirect("plans:register", entry.team_id).url
    return redirect(url + (f"?person={entry.person_id}" if entry.person_id else ""))


def _pointed_by(entry):
    """Who pointed out a supervision entry, as the refusals name them."""
    if entry.added_by_body_id:
        return str(entry.added_by_body)
    return display_name(entry.created_by) or _("原登记人")


def _refuse(request, entry, message):
    messages.error(request, message)
    return _back(entry)
