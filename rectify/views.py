"""The refusal page: a whole page for a browser, the reason alone for an htmx request."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def permission_denied(request, exception=None):
    reason = str(exception) if exception and str(exception) else ""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(reason or _("您无权进行这项操作。"), status=403)
        response["HX-Retarget"] = "#page-error"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "403.html", {"reason": reason}, status=403)
