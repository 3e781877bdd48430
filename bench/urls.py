"""The product's URLs plus the floor view the figures are measured against."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from orgs.models import Org

FLOOR = engines["django"].from_string(
    "<!doctype html><html lang='zh-CN'><body><ul>"
    "{% for org in orgs %}<li>{{ org.code }} {{ org.name }}</li>{% endfor %}"
    "</ul></body></html>"
)


@login_not_required
def alive(request):
    """Answers once the server is up (the bench waits for it); no database."""
    return HttpResponse("ok")


def floor(request, pk):
    orgs = list(Org.objects.filter(parent_id=pk).order_by("code")[:50])
    return HttpResponse(FLOOR.render({"orgs": orgs}, request))


urlpatterns = [
    path("bench/alive/", alive),
    path("bench/floor/<id:pk>/", floor),
    path("", include("rectify.urls")),
]
