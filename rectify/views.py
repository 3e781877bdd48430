"""Refusals: a whole page for a browser, the reason alone for an htmx request, shown at
the top of the page whatever the request targeted."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_htmx.http import reswap, retarget


def page_error(message, status=403):
    """An htmx answer shown at the top of the page (#page-error), whatever it targeted."""
    return reswap(retarget(HttpResponse(message, status=status), "#page-error"), "innerHTML")


def permission_denied(request, exception=None):
    reason = str(exception) if exception and str(exception) else ""
    if request.htmx:
        return page_error(reason or _("您无权进行这项操作。"))
    return render(request, "403.html", {"reason": reason}, status=403)


def csrf_failure(request, reason=""):
    """A form older than the last login (or with cookies cleared) is refused with a way on;
    an htmx save keeps its text in the browser and says so beside the row."""
    message = _("页面已过期（安全校验未通过）。您填写的内容已保存在本机浏览器中，请刷新页面后继续。")
    if request.htmx:
        return HttpResponse(message, status=403)
    return render(request, "403.html", {"reason": message}, status=403)
