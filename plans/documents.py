"""Opening a team's documents, reading them whole, and the four responses they answer."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet

from orgs.models import Position
from rectify.dates import parse_deadline

from .models import Document, Input, Item
from .structure import (
    ATTACHMENTS,
    STRUCTURES,
    is_party_committee_plan,
    kinds_for_team,
    measures_seat,
    seats_of,
    structure_of,
    team_document_kind,
)
from .words import DocumentKind, Source

# The year of the campaign the notice opens (湘群办发〔2014〕31号): a deadline written
# without a year (年底前, 第三季度) in a plan that has no date of its own falls in it.
CAMPAIGN_YEAR = 2014

TITLES = {
    DocumentKind.TEAM_PLAN: "{team}整改方案",
    DocumentKind.SIMPLIFIED_PLAN: "{team}整改方案",
    DocumentKind.GRASSROOTS_LIST: "{team}整改清单",
    DocumentKind.INDIVIDUAL: "{person}同志个人整改措施",
    DocumentKind.SPECIAL_RECTIFICATION: "{team}专项整治工作方案",
    DocumentKind.INSTITUTION_PLAN: "{team}制度建设计划",
}


def _create(team, kind, person=None, parent=None, user=None):
    position_title = ""
    if person is not None:
        position = Position.objects.filter(team=team, person=person, active=True).first()
        position_title = position.title if position else ""
    document = Document.objects.create(
        team=team,
        person=person,
        kind=kind,
        parent=parent,
        title=TITLES[kind].format(team=team.name, person=person.name if person else ""),
        unit_name=team.name,
        position_title=position_title,
        updated_by=user,
    )
    # Every text block exists from the start, so each has one row to save into.
    Item.objects.bulk_create(
        Item(document=document, section=section.code, updated_by=user)
        for section in structure_of(document).sections
        if section.single
    )
    return document


def open_team_document(team, user=None):
    """The team's plan or list (with its attachments), created on first use."""
    kinds = kinds_for_team(team)
    if not kinds:
        return None
    try:
        with transaction.atomic():
            document = Document.objects.filter(team=team, kind=kinds[0], person__isnull=True).first()
            if document is None:
                document = _create(team, kinds[0], user=user)
            if is_party_committee_plan(team):
                for kind in ATTACHMENTS:
                    if not document.attachments.filter(kind=kind).exists():
                        _create(team, kind, parent=document, user=user)
            return document
    except IntegrityError:  # somebody opened it at the same moment
        return Document.objects.get(team=team, kind=kinds[0], person__isnull=True)


def open_individual_document(team, person, user=None):
    """PERSON's one individual measures, created on first use under their measures seat
    (structure.measures_seat: the highest of their seats), whichever of their teams TEAM
    is. Measures already opened under TEAM are returned as they are: a person who had two
    before one measures per person keeps both, the one under a lower seat to read."""
    existing = Document.objects.filter(team=team, person=person, kind=DocumentKind.INDIVIDUAL).first()
    if existing is not None:
        return existing
    seat = measures_seat(seats_of(person))
    if seat is not None:
        team = seat.team
    try:
        with transaction.atomic():
            document = Document.objects.filter(team=team, person=person, kind=DocumentKind.INDIVIDUAL).first()
            return document or _create(team, DocumentKind.INDIVIDUAL, person=person, user=user)
    except IntegrityError:
        return Document.objects.get(team=team, person=person, kind=DocumentKind.INDIVIDUAL)


def read_deadline(document, text):
    """A deadline as DOCUMENT's office wrote it: years left out are the plan's year (its
    date's, else the campaign's), and 本月底 or 立即整改 count from the plan's date."""
    dated = document.dated
    return parse_deadline(text, default_year=dated.year if dated else CAMPAIGN_YEAR, today=dated)


def numbered_problems(structure, problems):
    """[(number, problem)]: the problems of a document written in STRUCTURE numbered once,
    1, 2, 3 … through the whole list, in the order the document lists them (its categories
    in the notice's order, then each category's rows; a list without categories, in its
    rows' order). "问题3" is the same problem in the editor, its pickers, the PDF and the
    Excel."""
    section = structure.problems
    order = {category: n for n, category in enumerate(section.categories if section else ())}

    def place(item):
        return (order.get(item.category, len(order)) if order else 0, item.position, item.pk)

    return list(enumerate(sorted(problems, key=place), start=1))


def problem_numbers(structure, problems):
    """{problem pk: its number}, as numbered_problems numbers them."""
    return {problem.pk: number for number, problem in numbered_problems(structure, problems)}


def items_by_section(document):
    """{section code: [items in order]}, with their links, in a fixed number of queries."""
    return items_by_document([document])[document.pk]


def items_by_document(documents, links=None):
    """{document id: {section code: [items in order]}} for several documents (a plan and
    its attachments), with their links, in the queries of one. LINKS names the links to
    read (default: every one, LINKS); the checks read only a measure's problems (their
    CHECKED_LINKS) and count the inputs by the register (responses()). A link left out
    is read from the database if somebody asks for it."""
    items = list(
        Item.objects.filter(document__in=[document.pk for document in documents])
        .select_related("owner", "special_task")
        .order_by("document_id", "section", "position", "id")
    )
    ids = sorted(document.pk for document in documents)
    for name in LINKS if links is None else links:
        _link_items(items, name, ids)
    grouped = {
        document.pk: {section.code: [] for section in structure_of(document).sections}
        for document in documents
    }
    for item in items:
        grouped[item.document_id].setdefault(item.section, []).append(item)
    return grouped


# An item's links to other items: a measure's problems, an individual's claimed measures.
ITEM_LINKS = ("addresses", "claims")
# Every link of an item: the inputs a problem answers, and the links to other items.
LINKS = ("answers", *ITEM_LINKS)


def _item_order(item):
    return (item.document_id, item.section, item.position, item.pk)


def _input_order(entry):
    return (entry.team_id, entry.source, entry.position, entry.pk)


def _link_items(items, name, documents):
    """Each of ITEMS' NAME (a link to other items, or to the inputs a problem answers) as
    prefetch_related leaves it, read from the link table by the ids of DOCUMENTS, which
    hold ITEMS: a handful of ids whatever the number of rows, so the query has the same
    shape on every page and PostgreSQL keeps its plan (a list of every item's id was a
    new statement for each length, and cost a parameter per row). An item linked to one
    of ITEMS (a measure's problem in the same plan) is that same object, and only the
    others are read, in one more query: a plan's measures point at its own problems, so
    this spares building a copy of a problem for every measure that answers it. Inputs
    come with their links, in one query. Either way it spares what prefetch_related spends on each
    item (a manager and a filtered queryset), which is most of what a save and the
    editor spend on links."""
    field = Item._meta.get_field(name)
    model = field.related_model
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    by_pk = {item.pk: item for item in items}
    rows = through.objects.filter(**{f"{source}__document_id__in": documents})
    targets = {}
    if model is Item:
        pairs = list(rows.values_list(f"{source}_id", f"{target}_id"))
        elsewhere = {other for _, other in pairs if other not in by_pk}
        known = by_pk | model.objects.in_bulk(elsewhere) if elsewhere else by_pk
        for pk, other in pairs:
            if other in known:
                targets.setdefault(pk, []).append(known[other])
        order = _item_order
    else:
        # Inputs, which no item of ITEMS is: read with their links, in the same query.
        for row in rows.select_related(target):
            targets.setdefault(getattr(row, f"{source}_id"), []).append(getattr(row, target))
        order = _input_order
    if not items:
        return
    # The lookup by which NAME's manager finds an item's links ({"addressed_by__id": …}).
    lookup = next(iter(getattr(items[0], name).core_filters))
    empty = _Loaded(model)
    for item in items:
        if not hasattr(item, "_prefetched_objects_cache"):
            item._prefetched_objects_cache = {}
        found = sorted(targets.get(item.pk, ()), key=order)
        item._prefetched_objects_cache[name] = _loaded(empty, {lookup: item.pk}, found)


def linked(item, name):
    """ITEM's NAME (addresses, answers, claims) as a list: what items_by_document read,
    without the related manager each `item.addresses` builds (the checks ask for every
    measure's problems, twice, on each save); read from the database otherwise."""
    cache = getattr(item, "_prefetched_objects_cache", {})
    if name in cache:
        return list(cache[name])
    return list(getattr(item, name).all())


class _Loaded(QuerySet):
    """A queryset that already holds an item's links (see _loaded). Its Query is shared
    with its siblings until somebody chains a filter on it: the relation's own filter is
    then applied to a copy, never to the shared Query."""

    @property
    def query(self):
        if self._deferred_filter:
            self._query = self._query.clone()
        return QuerySet.query.fget(self)

    @query.setter
    def query(self, value):
        QuerySet.query.fset(self, value)


def _loaded(empty, relation, rows):
    """A queryset of what EMPTY (an empty _Loaded) would read, holding ROWS as
    prefetch_related leaves one, that reads the database with RELATION ({lookup: the
    item's id}) if a filter is chained on it. Built as a copy of EMPTY's attributes: a
    plan's page needs some 400, and a new queryset each (a manager, a Query) cost more
    than reading the links did."""
    found = _Loaded.__new__(_Loaded)
    found.__dict__.update(empty.__dict__)
    found._hints = {}
    found._known_related_objects = {}
    found._deferred_filter = (False, (), relation)
    found._result_cache = rows
    found._prefetch_done = True
    return found


def attachments_of(document):
    """A plan's attachments in the notice's order: 附件1 专项整治, 附件2 制度建设."""
    return sorted(document.attachments.all(), key=lambda attachment: ATTACHMENTS.index(attachment.kind))


# The four responses --------------------------------------------------------------


def inputs_for(document):
    """What DOCUMENT must answer: the team's register, or what concerns its person."""
    if not structure_of(document).needs_four_responses:
        return Input.objects.none()
    return Input.objects.filter(team_id=document.team_id, person_id=document.person_id)


@dataclass
class Response:
    source: str
    label: str
    total: int
    answered: int  # cited by a problem of the document
    explained: int  # not cited, but explained in writing
    unanswered: list  # the inputs neither cited nor explained

    @property
    def complete(self):
        return not self.unanswered


def sources_asked(kind):
    """{Source: its words} of what a document of KIND must answer, in its structure's words:
    the four responses (section 一), or a grassroots list's two (section 五: 前段征求到的意见、
    自身查摆出来的问题)."""
    structure = STRUCTURES.get(kind)
    return structure.sources if structure is not None else {source: source.label for source in Source}


def register_kind(team, person=None):
    """The kind of document a register feeds: PERSON's individual measures, or TEAM's plan
    or list."""
    return DocumentKind.INDIVIDUAL if person is not None else team_document_kind(team)


def responses(document):
    """Per source the document is asked about, in its structure's words (a community's
    list: 前段征求到的意见、自身查摆出来的问题), how many of the inputs it must answer it
    answers; then any other source somebody entered on its register, which is still
    answered, never dropped."""
    asked = sources_asked(document.kind)
    cited = Item.objects.filter(document=document, answers=OuterRef("pk"))
    rows = inputs_for(document).annotate(cited=Exists(cited)).order_by("source", "position", "id")
    result = {source: Response(source, asked.get(source, source.label), 0, 0, 0, []) for source in Source}
    for entry in rows:
        response = result[Source(entry.source)]
        response.total += 1
        if entry.cited:
            response.answered += 1
        elif entry.explanation.strip():
            response.explained += 1
        else:
            response.unanswered.append(entry)
    return [response for response in result.values() if response.source in asked or response.total]


# A document whole ----------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def input_data(entry):
    return {
        "uid": str(entry.uid),
        "source": entry.source,
        "text": entry.text,
        "explanation": entry.explanation,
        "from_supervision": entry.from_supervision,
    }


def item_data(item, answers, addresses, claims):
    """One item as a snapshot holds it; its links are given by uid-bearing objects."""
    return {
        "uid": str(item.uid),
        "category": item.category,
        "phase": item.phase,
        "priority": item.priority,
        "text": item.text,
        "measures": item.measures,
        "owner": item.owner_name,
        "unit": item.unit,
        "deadline": _iso(item.deadline),
        "deadline_text": item.deadline_text,
        "inaction": item.inaction,
        "note": item.note,
        "special_task": item.special_task.name if item.special_task_id else None,
        "origin": item.origin,
        "focus": item.focus,
        "answers": sorted(str(entry.uid) for entry in answers),
        "addresses": sorted(str(problem.uid) for problem in addresses),
        "claims": sorted(str(problem.uid) for problem in claims),
    }


def snapshot_of(document, structure, team_name, person_name, inputs, sections, attachments):
    """The shape of a snapshot, from its parts already made plain (input_data, item_data);
    seed_scale builds the same from what it holds in memory. It names the STRUCTURE the
    document is written in by its kind and `lighter` (structure.structure_named), so the
    versions are compared as the document was written."""
    return {
        "kind": document.kind,
        "lighter": structure.lighter,
        "title": document.title,
        "team": team_name,
        "person": person_name,
        "unit_name": document.unit_name,
        "position_title": document.position_title,
        "dated": _iso(document.dated),
        "presided_by_secretary": document.presided_by_secretary,
        "meeting_name": document.meeting_name,
        "meeting_date": _iso(document.meeting_date),
        "inputs": inputs,
        "sections": sections,
        "attachments": attachments,
    }


def snapshot(document):
    """Everything the document says, as plain data: what a submission freezes and a
    later version is compared with. Items and inputs are keyed by their uids."""
    return snapshot_of(
        document,
        structure_of(document),
        document.team.name,
        document.person.name if document.person_id else None,
        [input_data(entry) for entry in inputs_for(document)],
        {
            code: [
                item_data(item, item.answers.all(), item.addresses.all(), item.claims.all()) for item in items
            ]
            for code, items in items_by_section(document).items()
        },
        [snapshot(attachment) for attachment in attachments_of(document)],
    )
