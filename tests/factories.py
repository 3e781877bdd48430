"""Filled documents for tests, built through the same editing functions the pages use.

plan = filled_team_plan(cast)            # 中共长沙县委常委班子整改方案, passing every check
plan = filled_team_plan(cast, problems=60)
measures = filled_individual(cast)       # 欧阳明辉同志个人整改措施
"""

from devdata import samples
from devdata.samples import MEASURE_TEXT, PROBLEM_TEXT  # noqa: F401  (tests quote them)


def fill_register(cast, team=None, person=None, per_source=1):
    """Put PER_SOURCE inputs of each source on the team's register; return them."""
    return samples.fill_register(cast.filer, team or cast.committee, person, per_source)


def filled_team_plan(cast, problems=None, user=None):
    """A complete team plan of 中共长沙县委 with its two attachments, passing every check.

    PROBLEMS (default: one per category) problems are spread over the five categories,
    each with one measure owned by a team member and a deadline."""
    return samples.fill_team_plan(
        user or cast.filer,
        cast.committee,
        [cast.secretary_person, cast.member_person],
        problems,
        register_by=cast.filer,
    )


def filled_individual(cast, person=None, user=None):
    """Complete individual measures of a member of 中共长沙县委常委班子."""
    return samples.fill_individual(user or cast.member, cast.committee, person or cast.member_person)


def approved(document, by=None):
    """DOCUMENT (filled) submitted by its filer and approved at every review step by a
    member of each step's body, as the pages would; its ledger is then open."""
    from review import transitions

    transitions.submit(by or document.updated_by, document)
    return samples.approve_through(document)
