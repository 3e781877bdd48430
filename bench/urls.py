"""The product's URLs plus the floor view the figures are measured against."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from orgs.models import Org

FLOOR = engines["django"].from_string(
    "<!doctype html><html lang='zh-CN'><body><ul>"
    "{% for org in orgs %}<li>{{ org.code }} {{ org.name }}</li>{% endfor %}"
    "</ul></body></html>"
)


def floor(request, pk):
    orgs = list(Org.objects.filter(parent_id=pk).order_by("code")[:50])
    return HttpResponse(FLOOR.render({"orgs": orgs}, request))


urlpatterns = [
    path("bench/floor/<int:pk>/", floor),
    path("", include("rectify.urls")),
]
