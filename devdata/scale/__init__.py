"""Scale data: the imported Hunan tree filled as the province would fill it (seed_scale).

At fraction F = 1.0 every city and county gets its 四大家, court and procuratorate and
58 direct units, every township its party committee, every village its party
organisation: about 41,000 team documents, 59,000 individual measures and 1.1 million
items, each document in one of the four states of review. F < 1 takes a share of the
cities and of the counties (a county with all its townships and villages), chosen by
a low-discrepancy sequence over the codes: evenly spread, the same for the same F, and
the choice for a smaller F is contained in the choice for a larger one.

How it is built, and why:

* One county (or city) is one transaction, written with bulk inserts into every table
  it touches, M2M through rows included; no per-row save(), no signals. Memory holds
  one county at a time, so it stays flat whatever F.
* Everything a county holds comes from a random generator seeded with its code: the
  same county gets the same people and texts whatever F, whichever runs before it.
* An org that already has a team is left alone (the demo's 长沙市 and 长沙县, anything
  made by hand, a county seeded before). So a second run with the same F adds nothing,
  and a run with a larger F tops up the counties a smaller one left out.
* Chains are review.routing.route(subject), computed once per distinct subject. Step
  assignees are those review.assignees would resolve, worked out per authority and
  place from what the county's chunk has just created (principals, 分管领导 grants)
  and, for the bodies (督导组, 活动办 …), once per city through
  review.assignees.holders. A document whose chain names an authority nobody holds
  stays a draft, as submit() would refuse it.
* Logins only for reviewers: the principal of every team above the villages, the
  city and county leaders who are 分管领导 of the townships and units (by an oversee
  grant on each), one member per provincial supervision group, and one filer per city
  or county, who submits what has no login of its own. All share the demo's password.
* An approved document has its ledger (整改台账): the entries its approval opens, each
  in a state a follow-through some weeks on would leave it in, with reports and events
  (devdata/scale/ledger.py).
* A submitted document has its Review, Steps with assignees, a Version whose snapshot
  has exactly the shape of plans.documents.snapshot, its Events, Comments when it was
  returned, and Notifications for the steps now waiting. Times are spread over the
  last weeks, in the order the events happened.
* Reviews, steps, events and statuses are written here in bulk, not through
  review/transitions.py, on purpose: that is the one place a user's action changes a
  state, one locked and claimed row at a time, and going through it would take hours
  at F = 1.0 where this takes minutes. What is written is exactly what the
  transitions would have left: tests/test_seed_scale.py checks each chain against
  routing, each step's people against review.assignees, the review and step states
  against the document's status, and each version against plans.documents.snapshot.
"""

from ledger.words import EntryState
from plans.words import DocumentKind, Status

from .seeder import SEED, ScaleError, seed

# What manage.py seed_scale uses (DocumentKind, Status and EntryState label its summary).
__all__ = ["SEED", "DocumentKind", "EntryState", "ScaleError", "Status", "seed"]
