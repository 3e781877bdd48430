"""Login required everywhere, except that an htmx request whose session has expired
gets a 401 with a message instead of the login page swapped into the form."""

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponse
from django.shortcuts import resolve_url
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
