"""The words users read about a document: defined once (plans/words.py), complete."""

from plans.structure import STRUCTURES
from plans.words import (
    CATEGORY_SHORT,
    GROUND_SHORT,
    INCOMPLETE,
    ITEM_FIELDS,
    TABLE_CATEGORY,
    Category,
    ReturnReason,
    ground_label,
)


def test_the_return_grounds_are_domain_md_s():
    assert ReturnReason.values == [
        "four_responses",
        "not_concrete",
        "not_targeted",
        "no_owner",
        "no_deadline",
    ]
    assert set(GROUND_SHORT) == {*ReturnReason, INCOMPLETE}


def test_every_field_and_category_a_document_has_is_named():
    for structure in STRUCTURES.values():
        for section in structure.sections:
            assert set(section.fields) <= set(ITEM_FIELDS), section.code
    assert set(CATEGORY_SHORT) == set(TABLE_CATEGORY) == set(Category)


def test_a_ground_with_its_source():
    assert ground_label("four_responses", "mass_opinion") == "没有做到“四个回应”（征求到的群众意见）"
    assert ground_label("no_owner") == "没有具体明确整改责任人"
