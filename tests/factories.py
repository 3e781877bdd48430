"""Filled documents for tests, built through the same editing functions the pages use.

plan = filled_team_plan(cast)            # 中共长沙县委常委班子整改方案, passing every check
plan = filled_team_plan(cast, problems=60)
measures = filled_individual(cast)       # 欧阳明辉同志个人整改措施
"""

import datetime as dt

from devdata import samples
from devdata.samples import MEASURE_TEXT, PROBLEM_TEXT  # noqa: F401  (tests quote them)
from plans import editing
from plans.documents import open_individual_document
from plans.models import Category
from plans.structure import INDIVIDUAL_ASPECTS, INDIVIDUAL_PROBLEMS


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
    person = person or cast.member_person
    user = user or cast.member
    document = open_individual_document(cast.committee, person, user)
    problems = {}
    for category in INDIVIDUAL_PROBLEMS:
        problems[category] = editing.add_item(
            user,
            document,
            "problems",
            {
                "category": category,
                "text": f"本人在{category.label[:8]}上标准不高，调研走访偏少",
                "inaction": category == Category.FOUR_WINDS,
            },
        )
    for aspect, category in zip(INDIVIDUAL_ASPECTS, INDIVIDUAL_PROBLEMS, strict=True):
        editing.add_item(
            user,
            document,
            "measures",
            {
                "category": aspect,
                "text": "每月到联系村走访2次，年底前完成4篇调研报告",
                "deadline": dt.date(2014, 12, 31),
                "deadline_text": "2014年12月底前",
                "inaction": category == Category.FOUR_WINDS,
            },
            links={"addresses": [problems[category]]},
        )
    document.refresh_from_db()
    return document
