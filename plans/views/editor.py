"""The document editor: one page per document, every row its own autosaving form.

Each save posts the revision the form was loaded at; editing.save_item refuses it if
somebody saved in between, and the answer shows both versions. Rows are added, moved
and removed by small htmx requests. Every change answers with the checklist beside the
document as it stands after it, and the flags of the rows the change may have altered
(checks.rows_touched), as htmx out-of-band swaps: a pause in typing costs one request.
Every change goes through plans/editing.py; the rows are drawn by plans/views/rows.py.
"""

import time

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from orgs import policy
from orgs.models import TEAM_SEATS, Position
from orgs.policy import Right
from rectify.dates import chinese_date
from rectify.middleware import megabytes
from rectify.once import once
from rectify.views import page_error

from .. import editing, pages
from ..checks import check, rows_touched
from ..documents import attachments_of, inputs_for, items_by_document, numbered_problems
from ..forms import LINK_FIELDS, Choices, HeaderForm, ItemForm
from ..models import Document, Item, SpecialTask
from ..structure import is_party_committee_plan, structure_for, structure_of, team_document_kind
from ..words import CATEGORY_SHORT, HEADER_FIELDS, ITEM_FIELDS, DocumentKind, text_label
from .common import document_or_404, fragment, item_or_404, item_to_file, require_filing
from .rows import Shape

# What a change made elsewhere (the register, a review's move) fires for the page to ask
# for the checklist again; the editor's own answers carry it (with_checklist).
CHANGED = "document-changed"
# Which fields of a saved form could not be read ({"form": id, "fields": {name: why}}):
# the page marks them, keeps what was typed there, and clears the marks of the others.
UNREAD = "fields-unread"
# The kinds a filled copy of the notice's tables (or of 附件1、2 as exported) can be
# imported into (plans/views/imports.py): every kind.
IMPORTABLE_KINDS = tuple(DocumentKind.values)


# What rows may point at ----------------------------------------------------------


def choices_for(document, fields=None, sections=None):
    """The members, inputs and problems the rows of DOCUMENT may point at. FIELDS limits
    the queries to what one row needs; SECTIONS reuses items already loaded."""
    structure = structure_of(document)
    wanted = set(fields) if fields is not None else {f for s in structure.sections for f in s.fields}
    members = []
    if "owner" in wanted:
        members = [
            position.person
            # 逐条落实到班子成员头上: the owners are the team's seats, not 其他党员领导干部.
            for position in Position.objects.filter(
                team_id=document.team_id, active=True, role__in=TEAM_SEATS
            )
            .select_related("person")
            .order_by("-role", "sort_order", "id")
        ]
    inputs = list(inputs_for(document).order_by("source", "position", "id")) if "answers" in wanted else []
    problems = []
    if "addresses" in wanted:
        target = next((s.addresses for s in structure.sections if s.addresses), None)
        if target:
            if sections is not None:
                problems = sections.get(target, [])
            else:
                problems = list(document.items.filter(section=target).order_by("category", "position", "id"))
    team_problems = []
    if "claims" in wanted:
        plan = Document.objects.filter(
            team_id=document.team_id, person__isnull=True, kind=team_document_kind(document.team)
        ).first()
        if plan is not None:
            team_problems = list(
                plan.items.filter(section="problems").exclude(text="").order_by("category", "position", "id")
            )
    choices = Choices(document, members, inputs, problems, team_problems)
    if "special_task" in wanted:
        choices.special_tasks = list(SpecialTask.objects.all())
    return choices


def header_fields(document):
    fields = ["unit_name", "dated"]
    if document.person_id:
        fields.insert(1, "position_title")
    if document.kind == "team_plan" and is_party_committee_plan(document.team):
        fields += ["presided_by_secretary", "meeting_name", "meeting_date"]
    return fields


def _picker_context(document, item, spec, choices, editable):
    """What a link picker of ITEM's row needs: the row's links, as ids."""
    linked = (
        {
            name: {target.pk for target in getattr(item, name).all()}
            for name in LINK_FIELDS
            if name in spec.fields
        }
        if item.pk and not spec.single
        else {}
    )
    return {
        "document": document,
        "item": item,
        "spec": spec,
        "choices": choices,
        "editable": editable,
        "linked": linked,
    }


def _row(document, item, spec, choices, editable=True):
    """ITEM's row on its own (added, or as it stands after a conflict)."""
    shape = Shape.of(document, spec, choices, editable)
    return shape.row(item)


# After a change ------------------------------------------------------------------------


def stamp():
    """When a checklist is computed, in microseconds: taken before its queries, so the
    later of two stamps has seen every save the earlier one saw. The page keeps the
    newer checklist and flags when two answers cross (static/js/editor.js)."""
    return time.time_ns() // 1000


def with_checklist(request, document, html, touched=None, wrap=True):
    """HTML followed by the checklist of DOCUMENT as it stands now (as an out-of-band
    swap into #checklist; WRAP=False: as the answer itself), the flags of the rows the
    change may have altered and what the parts above plans send after a change
    (pages.refreshes), out of band. TOUCHED(checklist) gives the uids of those rows;
    without it, every row's flags are sent."""
    stamped = stamp()
    checklist = check(document)
    listed = [
        str(item.uid)
        for spec in structure_of(document).sections
        if spec.is_list
        for item in checklist.sections.get(spec.code, [])
    ]
    if touched is not None:
        touched = touched(checklist)
        listed = [uid for uid in listed if uid in touched]
    oob = render_to_string(
        "plans/_checklist_swap.html",
        {
            "document": document,
            "checklist": checklist,
            "responses": checklist.responses,
            "flags": {uid: checklist.for_item(uid) for uid in listed},
            "stamp": stamped,
            "wrap": wrap,
            "refreshed": mark_safe(pages.refreshes(request, document, checklist)),  # noqa: S308
        },
        request=request,
    )
    return mark_safe(html + oob)  # noqa: S308


# The page ------------------------------------------------------------------------


# Links the rows show only when their picker is opened (picker_part loads them then).
PICKED_LATER = ("answers", "claims")


@require_GET
def document_page(request, pk):
    user = request.user
    document = document_or_404(user, pk)
    structure = structure_of(document)
    editable = policy.can(user, Right.FILE, document)
    head = document.parent if document.parent_id else document
    attachments = attachments_of(head)
    # The items are read once, with those of the attachments whose checks a plan shows.
    loaded = items_by_document([document, *attachments] if head is document else [document])
    sections = loaded[document.pk]
    fields = {f for s in structure.sections for f in s.fields if f not in PICKED_LATER}
    choices = choices_for(document, fields, sections=sections)
    stamped = stamp()
    checklist = check(document, loaded)
    parts = pages.parts(request, document, checklist)
    pages.document_read.send(Document, user=user, document=document, what="page")
    blocks = []
    for spec in structure.sections:
        items = sections.get(spec.code, [])
        shape = Shape.of(document, spec, choices, editable)
        # The problem list is numbered once through its categories (numbered_problems).
        entry = {"spec": spec, "shape": shape, "numbered_through": spec == structure.problems}
        if spec.single:
            entry["row"] = shape.row(items[0], checklist, parts) if items else None
        else:
            groups = []
            categories = spec.categories or ("",)
            for category in categories:
                rows = [item for item in items if not spec.categories or item.category == category]
                groups.append(
                    {
                        "category": category,
                        "label": CATEGORY_SHORT.get(category, ""),
                        "rows": [shape.row(item, checklist, parts) for item in rows],
                    }
                )
            # Rows whose category is not one of this section's (an import, a changed rule).
            if spec.categories:
                stray = [item for item in items if item.category not in spec.categories]
                if stray:
                    groups.append(
                        {
                            "category": "",
                            "label": _("未分类"),
                            "rows": [shape.row(item, checklist, parts) for item in stray],
                        }
                    )
            entry["groups"] = groups
        blocks.append(entry)
    family = [head, *attachments]
    return render(
        request,
        "plans/document.html",
        {
            "document": document,
            "structure": structure,
            "blocks": blocks,
            "choices": choices,
            "editable": editable,
            "checklist": checklist,
            "responses": checklist.responses,
            "stamp": stamped,
            "header": HeaderForm(
                initial={name: getattr(document, name) for name in header_fields(document)}
                | {"revision": document.revision},
                fields=header_fields(document),
            ),
            "family": family if len(family) > 1 else [],
            "team": document.team,
            "sheet_import": document.kind in IMPORTABLE_KINDS,
            "parts": parts,
            "request_limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
            "request_limit_text": megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
        },
    )


@require_GET
def checklist_part(request, pk):
    """The checklist and every row's flags, for a change made elsewhere (the register,
    a review's move) that the page hears of as document-changed."""
    document = document_or_404(request.user, pk)
    return HttpResponse(with_checklist(request, document, "", wrap=False))


# Rows ----------------------------------------------------------------------------


@require_GET
def item_part(request, pk):
    """One row as it stands now (after a conflict, "take theirs")."""
    item = item_or_404(request.user, pk)
    document = item.document
    spec = structure_of(document).section(item.section)
    choices = choices_for(document, spec.fields)
    editable = policy.can(request.user, Right.FILE, document)
    return HttpResponse(_row(document, item, spec, choices, editable))


@require_GET
def picker_part(request, pk, name):
    """The options of one link picker, fresh when it is opened."""
    item = item_or_404(request.user, pk)
    document = item.document
    spec = structure_of(document).section(item.section)
    if name not in spec.fields or name not in LINK_FIELDS:
        raise Http404
    choices = choices_for(document, (name,))
    context = _picker_context(document, item, spec, choices, policy.can(request.user, Right.FILE, document))
    context["name"] = name
    context["numbered_problems"] = numbered_problems(structure_of(document), choices.problems)
    context["numbered_team_problems"] = (
        numbered_problems(
            structure_for(team_document_kind(document.team), document.team), choices.team_problems
        )
        if choices.team_problems
        else []
    )
    return render(request, "plans/_picker.html", context)


def _feedback(request, template, context, status=200, events=None):
    return fragment(render_to_string(template, context, request=request), status=status, events=events)


@require_POST
def item_save(request, pk):
    user = request.user
    item = item_to_file(user, pk)
    document = item.document
    spec = structure_of(document).section(item.section)
    choices = choices_for(document, spec.fields)
    form = ItemForm(request.POST, spec=spec, choices=choices)
    form.is_valid()
    if form.cleaned_data.get("revision") is None:
        message = form.error_text() or _("表单已过期，请刷新页面。")
        return _feedback(request, "plans/_feedback.html", {"error": message, "item": item}, status=422)
    # Every field that could be read is saved; the others are named beside the row,
    # and what was typed in them stays on the page (and in the browser's copy).
    unread = form.unread()
    values, links = form.values()
    addressed = set(item.addresses.values_list("uid", flat=True)) if "addresses" in spec.fields else set()
    try:
        saved = editing.save_item(user, item, form.cleaned_data["revision"], values, links)
    except editing.Conflict as conflict:
        return _feedback(
            request,
            "plans/_conflict.html",
            {
                "item": item,
                "document": document,
                "spec": spec,
                "conflict": conflict,
                "theirs": conflict.current,
                "mine": values,
            },
            status=409,
        )
    except editing.EditError as error:
        return _feedback(request, "plans/_feedback.html", {"error": error.message, "item": item}, status=403)
    feedback = render_to_string(
        "plans/_feedback.html",
        {
            "item": saved,
            "saved_at": timezone.localtime(),
            "deadline_hint": chinese_date(saved.deadline)
            if saved.deadline and "deadline" not in unread
            else "",
            "unread": [text_label(spec.code) if name == "text" else ITEM_FIELDS[name] for name in unread],
            "revision_oob": True,
        },
        request=request,
    )
    # The checklist comes with the answer: the page asks for nothing more after a save.
    touched = lambda checklist: rows_touched(checklist, saved, addressed)  # noqa: E731
    return fragment(
        with_checklist(request, document, feedback, touched),
        events={UNREAD: {"form": f"form-{saved.uid}", "fields": unread}},
    )


@require_POST
@once
def item_add(request, pk):
    user = request.user
    document = document_or_404(user, pk)
    require_filing(user, document)
    structure = structure_of(document)
    try:
        spec = structure.section(request.POST.get("section", ""))
    except KeyError:
        return page_error(_("没有这一部分。"), status=400)
    if spec.single:
        return page_error(_("这一部分是一段文字，不能添加条目。"), status=400)
    choices = choices_for(document, spec.fields)
    values, links = {}, {}
    category = request.POST.get("category", "")
    if category in spec.categories:
        values["category"] = category
    if "text" in request.POST:  # "save mine as a new row" after the row was deleted
        form = ItemForm(request.POST, spec=spec, choices=choices)
        form.fields["revision"].required = False
        if form.is_valid():
            values, links = form.values()
    try:
        item = editing.add_item(user, document, spec.code, values, links)
    except editing.EditError as error:
        return page_error(error.message)
    item = Item.objects.prefetch_related("answers", "addresses", "claims").get(pk=item.pk)
    events = {}
    if spec.answers_inputs:
        events["problems-changed"] = {}
    return fragment(with_checklist(request, document, _row(document, item, spec, choices)), events=events)


@require_POST
def item_move(request, pk):
    user = request.user
    item = item_to_file(user, pk)
    step = -1 if request.POST.get("step") == "up" else 1
    try:
        moved = editing.move_item(user, item, step)
    except editing.EditError as error:
        return page_error(error.message)
    events = {}
    if moved:
        events["item-moved"] = {"id": f"item-{item.uid}", "step": step}
    return fragment(with_checklist(request, item.document, ""), events=events)


@require_POST
def item_delete(request, pk):
    user = request.user
    item = item_to_file(user, pk)
    document = item.document
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    spec = structure_of(document).section(item.section)
    try:
        editing.delete_item(user, item, revision)
    except editing.Conflict as conflict:
        response = _feedback(
            request,
            "plans/_feedback.html",
            {
                "item": item,
                "error": _("这一条刚被他人修改过，没有删除。请刷新核对后再删。")
                if conflict.current
                else _("这一条已被他人删除。"),
            },
            status=409,
        )
        return reswap(retarget(response, f"#fb-{item.uid}"), "innerHTML")
    except editing.EditError as error:
        response = _feedback(
            request, "plans/_feedback.html", {"item": item, "error": error.message}, status=403
        )
        return reswap(retarget(response, f"#fb-{item.uid}"), "innerHTML")
    events = {"item-deleted": {"uid": str(item.uid)}}
    if spec.answers_inputs:
        events["problems-changed"] = {}
    return fragment(with_checklist(request, document, ""), events=events)


# The header --------------------------------------------------------------------------


@require_POST
def header_save(request, pk):
    user = request.user
    document = document_or_404(user, pk)
    require_filing(user, document)
    form = HeaderForm(request.POST, fields=header_fields(document))
    form.is_valid()
    if form.cleaned_data.get("revision") is None:
        message = form.error_text() or _("表单已过期，请刷新页面。")
        return _feedback(request, "plans/_feedback.html", {"error": message, "header": True}, status=422)
    # As for a row: what could be read is saved, the rest is named and stays on the page.
    unread = form.unread()
    try:
        saved = editing.save_header(user, document, form.cleaned_data["revision"], form.values())
    except editing.ReadOnly as error:
        return _feedback(
            request, "plans/_feedback.html", {"error": error.message, "header": True}, status=403
        )
    except editing.EditError as error:
        current = Document.objects.select_related("updated_by").get(pk=document.pk)
        return _feedback(
            request,
            "plans/_header_conflict.html",
            {"error": error.message, "theirs": current, "fields": header_fields(document)},
            status=409,
        )
    feedback = render_to_string(
        "plans/_feedback.html",
        {
            "header": True,
            "document": saved,
            "saved_at": timezone.localtime(),
            "unread": [HEADER_FIELDS[name] for name in unread],
            "revision_oob": True,
        },
        request=request,
    )
    # The header's date moves every deadline's check: every row's flags come along.
    return fragment(
        with_checklist(request, saved, feedback), events={UNREAD: {"form": "header", "fields": unread}}
    )
