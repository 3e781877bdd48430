"""Review chains and what happened on them: the chain routing gives each document and
who acts on each step, then a submitted document's review, steps, version (with its
snapshot), events, return comments and notifications, as the transitions would have
left them."""

import datetime as dt

from orgs.models import AuthorityKind
from plans.documents import input_data, item_data, snapshot_of
from plans.words import ReturnReason, Source, Status
from review import routing
from review.models import (
    Action,
    Comment,
    Event,
    Mode,
    Notification,
    Review,
    ReviewState,
    Step,
    StepState,
    Version,
)

from .phrases import ANSWERS, APPROVE_COMMENTS, RETURN_COMMENTS, RETURN_NOTES

A = AuthorityKind
BODIES = {str(k) for k in (A.PROVINCIAL_GROUP, A.PROVINCIAL_OFFICE, A.PROVINCIAL_LEADERS)} | {
    str(k) for k in (A.PROVINCIAL_CHIEF, A.CENTRAL_GROUP, A.CENTRAL_OFFICE, A.LOCAL_GROUP)
}


class ReviewsMixin:
    """County's chains and reviews: who reviews each document, and how far it got."""

    # Chains and who acts on them -------------------------------------------------------------

    def _subject(self, paper):
        plan = paper.plan
        seat = paper.seat
        return routing.Subject(
            str(paper.document.kind),
            str(plan.place.level),
            str(plan.place.kind),
            str(plan.kind),
            str(seat.role) if seat else None,
            str(seat.rank) if seat else None,
        )

    def chain(self, paper):
        subject = self._subject(paper)
        if subject not in self.seeder.routes:
            self.seeder.routes[subject] = routing.route(subject)
        author = paper.seat.person.user_id if paper.seat else None
        return [
            (step, [pk for pk in self._assignees(step.authority, paper.plan) if pk != author])
            for step in self.seeder.routes[subject]
        ]

    def _assignees(self, authority, plan):
        """The users review.assignees would resolve: from what this chunk made, and
        otherwise (the bodies per city, places this run did not make) from
        review.assignees.holders, asked once per run."""
        if authority in (A.TEAM_PRINCIPAL, A.UNIT_PRINCIPAL):
            user = plan.principal.user_id
            return [user] if user else []
        if authority in BODIES:
            return self.seeder.holders(authority, self.city)
        if authority == A.PARTY_SECRETARY:
            place, mine = plan.region, self.committees.get(plan.region.pk)
        elif authority == A.TOWNSHIP_COMMITTEE:
            place, mine = plan.township, self.committees.get(plan.township.pk)
        elif authority == A.SUPERVISING_LEADER:
            place, mine = plan.place, None
            if place.pk in self.supervisors:
                return [self.supervisors[place.pk]]
        else:
            raise ValueError(authority)
        if mine is not None:
            user = mine.principal.user_id
            return [user] if user else []
        return self.seeder.holders(authority, place)

    def add_review(self, paper, filer, rows):
        """The review of one submitted document as the transitions would have left it:
        stages before the current one decided, the current one waiting (or returned),
        later ones not reached; an approved document has every review step approved."""
        rng = self.rng
        document = paper.document
        status = document.status
        submitter = (paper.seat.person.user_id if paper.seat else None) or filer
        start = self.seeder.now - dt.timedelta(days=rng.uniform(2, 40), minutes=rng.randint(0, 600))
        span = self.seeder.now - start
        clock = [start]

        def later():
            clock[0] = min(self.seeder.now, clock[0] + span * rng.uniform(0.03, 0.15))
            return clock[0]

        review = Review(document=document, submitted_by_id=submitter, version=1)
        review.moment = start
        version = Version(
            review=review, document=document, number=1, snapshot=_snapshot(paper), created_by_id=submitter
        )
        version.moment = start
        rows.reviews.append(review)
        rows.versions.append(version)

        def event(action, actor, at, step=None, **extra):
            row = Event(
                document=document, review=review, step=step, version=1, action=action, actor_id=actor, **extra
            )
            row.moment = at
            rows.events.append(row)
            return row

        def note(users, text, cause, at):
            for user in users:
                row = Notification(user_id=user, document=document, event=cause, text=text)
                row.moment = at
                rows.notes.append(row)

        reaching = event(Action.SUBMIT, submitter, start)
        chain = paper.chain
        stages = sorted({step.stage for step, _people in chain})
        deciding = [n for n in stages if any(s.stage == n and s.mode == Mode.REVIEW for s, _p in chain)]
        current = None if status == Status.APPROVED else rng.choice(deciding)
        reached = start
        decisions = 0
        last = submitter
        for number in stages:
            here = [(planned, people) for planned, people in chain if planned.stage == number]
            reviews_here = [planned for planned, _people in here if planned.mode == Mode.REVIEW]
            returned = rng.choice(reviews_here) if number == current and status == Status.RETURNED else None
            done, cause = reached, reaching
            for planned, people in here:
                step = Step(
                    review=review,
                    stage=planned.stage,
                    authority=planned.authority,
                    mode=planned.mode,
                    basis=planned.basis,
                )
                rows.steps.append((step, people))
                if current is not None and number > current:
                    step.state = StepState.WAITING
                    continue
                step.reached_at = reached
                actor = rng.choice(people)
                if planned.mode == Mode.READ:
                    if number != current and rng.random() < 0.7:
                        _decide(step, StepState.READ, actor, later())
                        event(Action.READ, actor, step.decided_at, step)
                    else:
                        step.state = StepState.UNREAD
                        label = A(planned.authority).label
                        note(people, f"《{document.title}》送您阅（{label}）。", reaching, reached)
                    continue
                if planned is returned:
                    _decide(step, StepState.RETURNED, actor, later())
                    changed = step.decided_at
                    self._return(paper, review, step, actor, event, rows)
                    note(
                        [submitter],
                        f"《{document.title}》被退回修改（{A(planned.authority).label}）。",
                        rows.events[-1],
                        step.decided_at,
                    )
                    decisions += 1
                elif number != current or (
                    status == Status.SUBMITTED
                    and len(reviews_here) > 1
                    and planned is reviews_here[0]
                    and rng.random() < 0.5
                ):
                    _decide(step, StepState.APPROVED, actor, later())
                    cause = event(
                        Action.APPROVE, actor, step.decided_at, step, comment=rng.choice(APPROVE_COMMENTS)
                    )
                    done, last = step.decided_at, actor
                    decisions += 1
                else:
                    step.state = StepState.PENDING
                    note(
                        people,
                        f"《{document.title}》已报送，请审阅（{A(planned.authority).label}）。",
                        reaching,
                        reached,
                    )
            reached, reaching = done, cause
        review.state = {
            Status.SUBMITTED: ReviewState.OPEN,
            Status.RETURNED: ReviewState.RETURNED,
            Status.APPROVED: ReviewState.APPROVED,
        }[status]
        review.revision = 1 + decisions + (status == Status.APPROVED)
        if status == Status.APPROVED:
            review.closed_at = changed = clock[0]
            done = event(Action.APPROVED, last, changed)
            note([submitter], f"《{document.title}》已审阅通过。", done, changed)
        elif status == Status.SUBMITTED:
            changed = start
        created = start - dt.timedelta(days=rng.uniform(1, 10))
        rows.doc_times += [(created, changed, d.pk) for d in documents_of(paper)]

    def _return(self, paper, review, step, actor, event, rows):
        rng = self.rng
        reasons = rng.sample(list(ReturnReason), rng.randint(1, 2))
        grounds = [
            {
                "reason": str(r),
                "source": str(rng.choice(list(Source))) if r == ReturnReason.FOUR_RESPONSES else None,
            }
            for r in reasons
        ]
        returned = event(
            Action.RETURN, actor, step.decided_at, step, grounds=grounds, comment=rng.choice(RETURN_NOTES)
        )
        listed = [item for item in paper.items if not paper.structure.section(item.section).single]
        for item in rng.sample(listed, min(len(listed), rng.randint(1, 3))):
            comment = Comment(
                event=returned,
                review=review,
                item_uid=item.uid,
                item_text=item.text or item.measures or (item.special_task.name if item.special_task else ""),
                text=rng.choice(RETURN_COMMENTS[reasons[0]]),
            )
            if rng.random() < 0.3:
                comment.addressed = True
                comment.answer = rng.choice(ANSWERS)
                comment.addressed_by_id = review.submitted_by_id
                comment.addressed_at = min(
                    self.seeder.now, step.decided_at + dt.timedelta(hours=rng.uniform(1, 48))
                )
            rows.comments.append(comment)


def _decide(step, state, actor, at):
    step.state = state
    step.decided_by_id = actor
    step.decided_at = at
    step.decided_version = 1


def documents_of(paper):
    return [paper.document, *(attachment.document for attachment in paper.attachments)]


def _snapshot(paper):
    """plans.documents.snapshot(document), from what is in memory."""
    document = paper.document
    sections = {section.code: [] for section in paper.structure.sections}
    for item in sorted(paper.items, key=lambda item: (item.section, item.position)):
        links = paper.links.get(id(item), {})
        sections.setdefault(item.section, []).append(
            item_data(item, links.get("answers", ()), links.get("addresses", ()), links.get("claims", ()))
        )
    return snapshot_of(
        document,
        paper.structure,
        paper.plan.name,
        document.person.name if document.person else None,
        [
            input_data(entry)
            for entry in sorted(paper.inputs, key=lambda entry: (entry.source, entry.position))
        ],
        sections,
        [_snapshot(attachment) for attachment in paper.attachments],
    )
