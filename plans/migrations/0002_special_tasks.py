"""The special rectification tasks 附件1 names; administrators add the rest (the first
batch's 34 and the unnamed ones of the second batch's 11).

Each task is listed once. Of the ten the centre added, 附件1 says three (整治“会所中的歪风”、
干部“走读”、党员干部参赌涉赌) 省委已经纳入“34+11”专项整治任务: they are the second batch's
tasks already listed, marked as the centre's too, and the centre's batch lists the other seven,
which every plan must take in. (0005_special_tasks_once merges what an earlier seed listed twice.)"""

from django.db import migrations

SECOND = [
    "整治群众办事难",
    "整治乱收费乱罚款乱摊派",
    "整治惠民政策不落实和缩水走样",
    "整治拖欠群众钱款和侵占群众财物",
    "整治“会所中的歪风”",
    "整治执法执纪部门办关系案人情案金钱案",
    "整治国家公职人员参与赌博",
    "整治干部“走读”",
]
# The centre's three already among the "34+11": its name → the second batch's task it is.
ALREADY_INCLUDED = {
    "整治“会所中的歪风”": "整治“会所中的歪风”",
    "整治干部“走读”": "整治干部“走读”",
    "整治党员干部参赌涉赌": "整治国家公职人员参与赌博",
}
# The centre's other seven, which must be added to every plan.
CENTRAL = [
    "整治培训中心的腐败浪费",
    "整治一些地方政府举债建豪楼造地标等奢华浪费建设",
    "整治“裸官”问题",
    "整治“吃空饷”",
    "整治收“红包”及购物卡",
    "整治领导干部参加天价培训",
    "整治党政领导干部企业兼职",
]
GRASSROOTS = "整治村及社区等基层干部办事不公、损害群众利益等违法违纪行为特别是涉黑涉恶问题"


def seed(apps, schema_editor):
    SpecialTask = apps.get_model("plans", "SpecialTask")
    included = set(ALREADY_INCLUDED.values())
    for position, name in enumerate(SECOND, start=1):
        SpecialTask.objects.get_or_create(
            batch="second", name=name, defaults={"position": position, "already_included": name in included}
        )
    for position, name in enumerate(CENTRAL, start=1):
        SpecialTask.objects.get_or_create(
            batch="central", name=name, defaults={"position": position, "required": True}
        )
    SpecialTask.objects.get_or_create(batch="grassroots", name=GRASSROOTS, defaults={"position": 1, "required": True})


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
