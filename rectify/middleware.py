"""Login required everywhere, except that an htmx request whose session has expired
gets a 401 with a message instead of the login page swapped into the form; and a
request too large to read is refused in Chinese, beside the row it was sent from."""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.html import format_html
from django.utils.translation import gettext as _


class LoginRequired(LoginRequiredMiddleware):
    def handle_no_permission(self, request, view_func):
        if request.htmx:
            message = format_html(
                '<span class="text-danger">{} <a href="{}" target="_blank" rel="noopener">{}</a>{}</span>',
                _("登录已过期，刚才输入的内容已保存在本机浏览器中。请"),
                resolve_url(self.get_login_url(view_func)),
                _("在新窗口重新登录"),
                _("，然后回到本页继续输入，内容会自动保存。"),
            )
            return HttpResponse(message, status=401)
        return super().handle_no_permission(request, view_func)


def megabytes(size):
    """2621440 -> '2.5 MB'."""
    return f"{size / 1024 / 1024:.1f} MB"


def too_big_message():
    return _(
        "这次提交的内容太多（超过 %(limit)s），没有保存，也没有改动任何内容。"
        "您填写的文字仍在本机浏览器中；请把过长的内容删减或分成几条后再保存。"
    ) % {"limit": megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}


class RequestTooBig:
    """Reads a POST's form before anything else does: one over DATA_UPLOAD_MAX_MEMORY_SIZE
    (or with too many fields) is answered with the reason in Chinese, 413, and changes
    nothing. Django would raise RequestDataTooBig in the CSRF check and show its own page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018  (reading it is the check)
            except (RequestDataTooBig, TooManyFieldsSent):
                message = too_big_message()
                if request.htmx:
                    return HttpResponse(
                        format_html('<span class="text-danger" role="alert">{}</span>', message), status=413
                    )
                return render(
                    request, "refused.html", {"heading": _("提交的内容太多"), "reason": message}, status=413
                )
        return self.get_response(request)
