"""The audit's page: what was changed, by whom and when, read by document, by person
(the one who acted) and by region, newest first. Bad filters are said, never a 500."""

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from orgs.models import Org
from orgs.tree import subtree
from rectify.posted import number

from .access import may_read, readable
from .models import Action

PAGE = 100


@require_GET
def index(request):
    user = request.user
    if not may_read(user):
        raise PermissionDenied(_("操作记录只有省委教育实践活动办和系统管理员可以查看。"))
    entries = readable(user).select_related("org").order_by("-at", "-id")
    problems = []
    chosen = {
        "document": request.GET.get("document", "").strip(),
        "actor": request.GET.get("actor", "").strip(),
        "region": request.GET.get("region", "").strip(),
        "action": request.GET.get("action", "").strip(),
    }
    document = number(chosen["document"])
    if chosen["document"] and document is None:
        problems.append(_("文件编号应是数字。"))
    if document is not None:
        entries = entries.filter(document_id=document)
    if chosen["actor"]:
        people = get_user_model().objects.filter(username=chosen["actor"])
        if not people.exists():
            people = get_user_model().objects.filter(person__name=chosen["actor"])
        entries = entries.filter(actor__in=people)
    region = None
    if chosen["region"]:
        region = Org.objects.filter(code=chosen["region"]).first()
        if region is None:
            problems.append(_("没有代码为“%(code)s”的地区或单位。") % {"code": chosen["region"][:20]})
            entries = entries.none()
        else:
            entries = entries.filter(subtree(region, "org__"))
    if chosen["action"]:
        if chosen["action"] in Action.values:
            entries = entries.filter(action=chosen["action"])
        else:
            problems.append(_("没有这种操作。"))
    page = Paginator(entries, PAGE).get_page(request.GET.get("page"))
    query = urlencode({name: value for name, value in chosen.items() if value})
    return render(
        request,
        "audit/index.html",
        {
            "page": page,
            "chosen": chosen,
            "region": region,
            "problems": problems,
            "actions": Action.choices,
            "query": query,
        },
        status=400 if problems else 200,
    )
