"""A simplified plan's measures name their 责任单位 (section 二's 明确整改责任人、责任单位 and
section 七's 责任主体, which name 县市区直属单位 and 乡镇、街道): typed in the editor, kept,
shown back and printed."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from plans import editing
from plans.documents import open_team_document
from plans.pdf import render_html

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def test_a_simplified_plan_s_measure_saves_and_shows_its_unit(cast, client):
    assign_perm("orgs.file_team", cast.filer, cast.xingsha_committee)
    client.force_login(cast.filer)
    document = open_team_document(cast.xingsha_committee, cast.filer)
    problem = editing.add_item(cast.filer, document, "problems", {"text": "窗口推诿扯皮"})
    measure = editing.add_item(cast.filer, document, "measures", links={"addresses": [problem]})

    html = client.get(reverse("plans:document", args=[document.pk])).content.decode()
    assert (
        f'<label class="form-label small text-secondary mb-1" for="unit-{measure.uid}">责任单位</label>'
        in html
    )

    response = client.post(
        reverse("plans:item_save", args=[measure.pk]),
        {
            "revision": measure.revision,
            "text": "10月底前推行首问负责制",
            "owner": "周芳",
            "unit": "街道党政综合办公室",
            "deadline": "2014年10月底前",
        },
        **HX,
    )
    assert response.status_code == 200
    measure.refresh_from_db()
    assert (measure.owner_text, measure.unit) == ("周芳", "街道党政综合办公室")

    html = client.get(reverse("plans:document", args=[document.pk])).content.decode()
    assert f'id="unit-{measure.uid}" name="unit"' in html and 'value="街道党政综合办公室"' in html
    assert "责任人：周芳；责任单位：街道党政综合办公室" in render_html(document)
