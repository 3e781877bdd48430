"""The words users read about a document: defined once (plans/words.py), complete."""

from plans.structure import STRUCTURES
from plans.words import CATEGORY_SHORT, ITEM_FIELDS, TABLE_CATEGORY, Category


def test_every_field_and_category_a_document_has_is_named():
    for structure in STRUCTURES.values():
        for section in structure.sections:
            assert set(section.fields) <= set(ITEM_FIELDS), section.code
    assert set(CATEGORY_SHORT) == set(TABLE_CATEGORY) == set(Category)
