"""One county's documents and their text: every team's plan and its attachments, the
individual measures, their items, inputs and links, each assembled from phrases by the
county's random generator, and the state each document is left in."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from orgs.models import Level, Role, TeamKind
from orgs.seats import seat_rank
from plans.models import Document, Input, Item
from plans.structure import (
    INDIVIDUAL_PROBLEMS,
    TEAM_PROBLEMS,
    has_individual_measures,
    kinds_for_team,
    structure_for,
)
from plans.words import Category, DocumentKind, Source, Status

from .people import PlannedPosition, PlannedTeam
from .phrases import (
    BLOCKS,
    DEADLINES,
    INACTION_MEASURES,
    INACTION_PROBLEMS,
    INDIVIDUAL_ASPECT,
    INDIVIDUAL_MEASURES,
    INDIVIDUAL_PROBLEM_TEXTS,
    INPUT_TEXTS,
    INSTITUTIONS,
    LIST_ENTRIES,
    OWNER_UNITS,
    PHASE_TASKS,
    SPECIAL_MEASURES,
    TEAM_MEASURES,
    TEAM_PROBLEM_TEXTS,
)

STATES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED)
STATE_WEIGHTS = (25, 35, 15, 25)
C = Category


def _text(rng, template, **slots):
    return template.format(
        n=rng.randint(3, 90),
        m=rng.randint(2, 12),
        pct=rng.choice((10, 15, 20, 30)),
        date=rng.choice(DEADLINES[:8])[0],
        **slots,
    )


@dataclass
class Paper:
    """A document being written, with what its snapshot and links need."""

    plan: PlannedTeam
    document: Document
    seat: PlannedPosition | None = None
    items: list = field(default_factory=list)
    inputs: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    # id(item) -> {"answers": [inputs], "addresses": [items], "claims": [items]}
    links: dict = field(default_factory=dict)
    chain: list = field(default_factory=list)  # [(routing.RouteStep, [user ids])]

    @property
    def structure(self):
        """structure.structure_of(document), from the team as planned (no query)."""
        return structure_for(self.document.kind, self.plan.as_team())


class DocumentsMixin:
    """County's documents: what each team files, written out item by item."""

    # Documents ----------------------------------------------------------------------------

    def papers(self, plans, filer):
        """Every document of the chunk with its items, inputs and planned chain."""
        papers = []
        # Each person's one measures, under their highest seat (orgs.seats).
        homes = {}
        for plan in plans:
            if not has_individual_measures(plan.as_team()):
                continue
            for seat in plan.seats:
                rank = seat_rank(plan.place.level, plan.place.kind, plan.kind, seat.role, seat.rank)
                if id(seat.person) not in homes or rank < homes[id(seat.person)][0]:
                    homes[id(seat.person)] = (rank, plan, seat)
        others = []
        for plan in plans:
            team = plan.as_team()
            kinds = kinds_for_team(team)
            if not kinds:
                continue
            head = self._paper(plan, kinds[0])
            head.attachments = [self._paper(plan, kind, parent=head) for kind in kinds[1:]]
            papers.append(head)
            if has_individual_measures(team):
                for seat in plan.seats:
                    home = homes[id(seat.person)]
                    if not (seat.person.party_member and home[1] is plan and home[2] is seat):
                        continue
                    if seat.role == Role.OTHER:
                        others.append((plan, seat, head))
                    else:
                        papers.append(self._paper(plan, DocumentKind.INDIVIDUAL, seat=seat, team_paper=head))
        self._settle(papers, filer)
        # The measures of cadres without a seat come last, from their own generator, so
        # that adding them changed no other document of the chunk.
        rng, self.rng = self.rng, self.others_rng
        try:
            extra = [
                self._paper(plan, DocumentKind.INDIVIDUAL, seat=seat, team_paper=head)
                for plan, seat, head in others
            ]
            self._settle(extra, filer)
        finally:
            self.rng = rng
        return papers + extra

    def _settle(self, papers, filer):
        """Each paper's state, drawn, and the chain of those submitted."""
        for paper in papers:
            status = self.rng.choices(STATES, STATE_WEIGHTS)[0]
            if status != Status.DRAFT:
                paper.chain = self.chain(paper)
                if not paper.chain or not all(people for _step, people in paper.chain):
                    status = Status.DRAFT
            for document in [paper.document, *(a.document for a in paper.attachments)]:
                document.status = status
                document.updated_by_id = filer

    def _paper(self, plan, kind, seat=None, parent=None, team_paper=None):
        rng = self.rng
        person = seat.person if seat else None
        title = {
            DocumentKind.GRASSROOTS_LIST: f"{plan.name}整改清单",
            DocumentKind.INDIVIDUAL: f"{person.name}同志个人整改措施" if person else "",
            DocumentKind.SPECIAL_RECTIFICATION: f"{plan.name}专项整治工作方案",
            DocumentKind.INSTITUTION_PLAN: f"{plan.name}制度建设计划",
        }.get(kind, f"{plan.name}整改方案")
        dated = dt.date(2014, 9, rng.randint(1, 30))
        document = Document(
            team=plan.team,
            person=person,
            kind=kind,
            title=title,
            unit_name=plan.name,
            position_title=seat.title if seat else "",
            dated=dated,
        )
        paper = Paper(plan, document, seat=seat)
        if kind == DocumentKind.TEAM_PLAN and parent is None and plan.kind == TeamKind.PARTY_COMMITTEE:
            if plan.place.level in (Level.CITY, Level.COUNTY):
                document.presided_by_secretary = True
                document.meeting_name = f"{plan.body}常委会2014年第{rng.randint(12, 30)}次会议"
                document.meeting_date = dated - dt.timedelta(days=rng.randint(1, 6))
        if paper.structure.needs_four_responses:
            paper.inputs = self._inputs(plan, person)
        getattr(self, f"_items_{kind}")(paper, team_paper)
        return paper

    def _uid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _inputs(self, plan, person):
        rng = self.rng
        if person is not None:
            sources = rng.sample(
                (Source.SELF_INSPECTION, Source.LIFE_MEETING, Source.MASS_OPINION), rng.randint(1, 2)
            )
        elif plan.place.level == Level.VILLAGE:
            sources = [Source.MASS_OPINION] * rng.randint(2, 3)
        else:
            sources = [Source.MASS_OPINION, Source.MASS_OPINION, Source.SELF_INSPECTION, Source.LIFE_MEETING]
            sources += [Source.SUPERIOR] * rng.randint(0, 1)
        return [
            Input(
                uid=self._uid(),
                team=plan.team,
                person=person,
                source=source,
                text=rng.choice(INPUT_TEXTS[source]),
                from_supervision=source == Source.SUPERIOR,
                position=position,
            )
            for position, source in enumerate(sources, start=1)
        ]

    def _item(self, paper, section, position, links=None, **values):
        item = Item(uid=self._uid(), document=paper.document, section=section, position=position, **values)
        paper.items.append(item)
        if links:
            paper.links[id(item)] = links
        return item

    def _blocks(self, paper, codes):
        plan = paper.plan
        for code in codes:
            leader = plan.seats[0].title
            self._item(
                paper, code, 0, text=self.rng.choice(BLOCKS[code]).format(leader=leader, scope=plan.scope)
            )

    def _deadline(self):
        text, date = self.rng.choice(DEADLINES)
        return {"deadline_text": text, "deadline": date}

    def _owner(self, paper, n):
        seats = paper.plan.seats
        return seats[n % len(seats)].person

    def _problems_and_measures(self, paper, categories, count, with_aspects):
        """COUNT problems over CATEGORIES (each used), each answered by one measure."""
        rng, plan = self.rng, paper.plan
        problems = []
        inputs = paper.inputs
        for n in range(count):
            category = categories[n % len(categories)]
            answers = [inputs[n]] if n < len(inputs) else []
            text = _text(rng, rng.choice(TEAM_PROBLEM_TEXTS[category]), scope=plan.scope)
            problems.append(
                self._item(
                    paper,
                    "problems",
                    n + 1,
                    {"answers": answers},
                    category=category if with_aspects else "",
                    text=text,
                )
            )
        for n, problem in enumerate(problems):
            category = categories[n % len(categories)]
            self._item(
                paper,
                "measures",
                n + 1,
                {"addresses": [problem]},
                category=category if with_aspects else "",
                text=_text(rng, rng.choice(TEAM_MEASURES[category]), scope=plan.scope, body=plan.body),
                owner=self._owner(paper, n),
                unit=rng.choice(OWNER_UNITS).format(body=plan.body) if with_aspects else "",
                **self._deadline(),
            )
        return problems

    def _items_team_plan(self, paper, _team_paper):
        rng = self.rng
        self._blocks(
            paper, ("principles", "goal_near", "goal_mid", "goal_long", "self_building", "leadership")
        )
        for position, (phase, text, deadline) in enumerate(PHASE_TASKS, start=1):
            self._item(
                paper,
                "phase_tasks",
                position,
                phase=phase,
                text=text,
                deadline_text=DEADLINES[deadline][0],
                deadline=DEADLINES[deadline][1],
            )
        count = rng.randint(10, 16)
        self._problems_and_measures(paper, TEAM_PROBLEMS, count, with_aspects=True)
        for extra in range(rng.randint(1, 2)):
            self._item(
                paper,
                "measures",
                count + extra + 1,
                category=C.SPECIAL_AND_INSTITUTIONS,
                text=_text(rng, TEAM_MEASURES[C.SPECIAL_AND_INSTITUTIONS][extra]),
                owner=paper.plan.principal,
                unit=OWNER_UNITS[0].format(body=paper.plan.body),
                **self._deadline(),
            )

    def _items_simplified_plan(self, paper, _team_paper):
        self._blocks(paper, ("requirements",))
        categories = list(TEAM_PROBLEMS)
        self.rng.shuffle(categories)
        self._problems_and_measures(paper, categories, self.rng.randint(6, 10), with_aspects=False)

    def _items_grassroots_list(self, paper, _team_paper):
        rng = self.rng
        entries = rng.sample(LIST_ENTRIES, rng.randint(5, 8))
        for n, (problem, measures) in enumerate(entries):
            answers = [paper.inputs[n]] if n < len(paper.inputs) else []
            self._item(
                paper,
                "entries",
                n + 1,
                {"answers": answers},
                text=_text(rng, problem),
                measures=_text(rng, measures),
                owner=self._owner(paper, n),
                **self._deadline(),
            )

    def _items_individual(self, paper, team_paper):
        rng = self.rng
        claimable = [item for item in team_paper.items if item.section == "problems"] if team_paper else []
        count = rng.randint(4, 7)
        inaction = rng.random() < 0.15
        # Section 五's lighter measures are 条目式: their texts are drawn as the blocks' are,
        # and kept under no category.
        listed = not paper.structure.problems.categories
        problems = []
        for n in range(count):
            category = INDIVIDUAL_PROBLEMS[n % 3]
            links = {"answers": [paper.inputs[n]] if n < len(paper.inputs) else []}
            if claimable and rng.random() < 0.25:
                links["claims"] = [rng.choice(claimable)]
            is_inaction = inaction and n == count - 1
            pool = INACTION_PROBLEMS if is_inaction else INDIVIDUAL_PROBLEM_TEXTS[category]
            problems.append(
                self._item(
                    paper,
                    "problems",
                    n + 1,
                    links,
                    category="" if listed else category,
                    text=_text(rng, rng.choice(pool)),
                    inaction=is_inaction,
                )
            )
        for n, problem in enumerate(problems):
            category = INDIVIDUAL_PROBLEMS[n % 3]
            pool = INACTION_MEASURES if problem.inaction else INDIVIDUAL_MEASURES[category]
            self._item(
                paper,
                "measures",
                n + 1,
                {"addresses": [problem]},
                category="" if listed else INDIVIDUAL_ASPECT[category],
                text=_text(rng, rng.choice(pool)),
                inaction=problem.inaction,
                note="" if rng.random() < 0.8 else "已在专题民主生活会上作出承诺",
                **self._deadline(),
            )

    def _items_special_rectification(self, paper, _team_paper):
        rng = self.rng
        catalogue = self.seeder.tasks
        tasks = [t for t in catalogue if t.required]
        tasks += rng.sample([t for t in catalogue if not t.required], min(4, len(catalogue) - len(tasks)))
        # An empty catalogue (a flushed database) still gets a plan: its tasks in words.
        for n, task in enumerate(tasks or [None] * 3, start=1):
            self._item(
                paper,
                "tasks",
                n,
                special_task=task,
                measures=_text(rng, rng.choice(SPECIAL_MEASURES)),
                unit=rng.choice(OWNER_UNITS).format(body=paper.plan.body),
                **self._deadline(),
            )

    def _items_institution_plan(self, paper, _team_paper):
        rng = self.rng
        for n, (origin, focus, text) in enumerate(rng.sample(INSTITUTIONS, rng.randint(5, 8)), start=1):
            self._item(
                paper,
                "tasks",
                n,
                origin=origin,
                focus=focus,
                text=text.format(body=paper.plan.body),
                unit=rng.choice(OWNER_UNITS).format(body=paper.plan.body),
                **self._deadline(),
            )
