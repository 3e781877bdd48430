"""附件1's catalogue of special rectification tasks lists each task once, in its order: the
centre's three that 省委已经纳入“34+11” are the second batch's tasks, not a second row."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from plans import editing
from plans.models import Item, SpecialTask
from plans.words import Batch

from .factories import filled_team_plan

pytestmark = pytest.mark.django_db

NOTICE = (Path(__file__).resolve().parents[1] / "docs" / "notice.txt").read_text(encoding="utf-8")
ONCE = importlib.import_module("plans.migrations.0005_special_tasks_once")


def test_the_notice_counts_three_of_the_centre_s_ten_as_already_among_the_34_plus_11():
    assert (
        "整治“会所中的歪风”、干部“走读”、党员干部参赌涉赌等3个项目，省委已经纳入“34+11”专项整治任务" in NOTICE
    )
    assert "中央新增加、我省尚未纳入专项整治的7个项目" in NOTICE


def test_each_task_is_listed_once(cast):
    names = list(SpecialTask.objects.values_list("name", flat=True))
    assert len(names) == len(set(names)) == 8 + 7 + 1
    assert SpecialTask.objects.filter(name="整治“会所中的歪风”").get().batch == Batch.SECOND
    assert not SpecialTask.objects.filter(name="整治党员干部参赌涉赌").exists()
    assert set(SpecialTask.objects.filter(already_included=True).values_list("name", flat=True)) == {
        "整治“会所中的歪风”",
        "整治干部“走读”",
        "整治国家公职人员参与赌博",
    }
    # The seven the centre added and the province had not, and the grassroots task, must be taken in.
    required = SpecialTask.objects.filter(required=True)
    assert [task.batch for task in required] == [Batch.CENTRAL] * 7 + [Batch.GRASSROOTS]
    # In 附件1's order, whatever the codes' alphabet says.
    assert list(dict.fromkeys(SpecialTask.objects.values_list("batch", flat=True))) == [
        Batch.SECOND,
        Batch.CENTRAL,
        Batch.GRASSROOTS,
    ]


def test_the_picker_offers_each_task_once(cast, client):
    plan = filled_team_plan(cast)
    special = plan.attachments.get(kind="special_rectification")
    client.force_login(cast.filer)
    html = client.get(reverse("plans:document", args=[special.pk])).content.decode()
    picker = html[
        html.index('<select name="special_task"') : html.index("</select>", html.index('name="special_task"'))
    ]
    assert picker.count(">整治“会所中的歪风”") == 1
    assert "整治“会所中的歪风”（亦为中央新增项目）" in picker
    groups = re.findall(r'<optgroup label="([^"]+)">', picker)
    assert groups == [
        "第二批活动11项专项治理任务",
        "中央新增、我省尚未纳入的7个项目",
        "基层干部不正之风和违法违纪行为",
    ]


def test_merging_an_earlier_catalogue_keeps_every_plan_s_choice(cast):
    """A database seeded before listed the three twice; items that chose the centre's row
    are moved to the second batch's task, and the duplicate goes."""
    plan = filled_team_plan(cast)
    special = plan.attachments.get(kind="special_rectification")
    clubs = SpecialTask.objects.create(batch=Batch.CENTRAL, name="整治“会所中的歪风”", position=1)
    gambling = SpecialTask.objects.create(batch=Batch.CENTRAL, name="整治党员干部参赌涉赌", position=8)
    SpecialTask.objects.filter(batch=Batch.SECOND).update(already_included=False)
    chose_clubs = editing.add_item(
        cast.filer,
        special,
        "tasks",
        {"special_task": clubs, "measures": "清查机关周边会所", "unit": "县纪委"},
    )
    chose_gambling = editing.add_item(
        cast.filer, special, "tasks", {"special_task": gambling, "unit": "县公安局"}
    )

    before = Item.objects.filter(document=special).count()
    ONCE.merge(django_apps, None)
    ONCE.merge(django_apps, None)  # and again: nothing left to merge

    assert not SpecialTask.objects.filter(pk__in=[clubs.pk, gambling.pk]).exists()
    names = list(SpecialTask.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
    chose_clubs.refresh_from_db()
    chose_gambling.refresh_from_db()
    assert (chose_clubs.special_task.batch, chose_clubs.special_task.name) == (
        Batch.SECOND,
        "整治“会所中的歪风”",
    )
    assert chose_clubs.measures == "清查机关周边会所"
    assert chose_gambling.special_task.name == "整治国家公职人员参与赌博"
    assert chose_gambling.special_task.already_included
    assert Item.objects.filter(document=special).count() == before
