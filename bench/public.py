"""The public list of a city (公开: what section 七 publishes) for make bench.

After seed_scale, every approved document of the city with the most approved documents
that section 七 publishes in public or to the masses is published
(devdata.publication.publish_approved). Then, as an
anonymous visitor with no cookie: the city's list, a search within it and one published
document's page, each as the first visitor after a publication sees it (the public
site's cache emptied before every request) and as the next visitors see it (kept).

measure(client, timed, floor_ms) -> {name: figures}; CLIENT is not used (the public site
is anonymous).
"""

import statistics
import time

REPEAT = 15


def _city():
    from django.db.models import Count

    from orgs.models import Level, Org, OrgKind
    from plans.words import Status

    cities = Org.objects.filter(level=Level.CITY, kind=OrgKind.REGION)
    best, most = None, -1
    for city in cities:  # 14 counts
        n = (
            Org.objects.filter(tree_id=city.tree_id, lft__gte=city.lft, lft__lte=city.rght)
            .filter(teams__documents__status=Status.APPROVED, teams__documents__parent__isnull=True)
            .aggregate(n=Count("teams__documents"))["n"]
        )
        if n > most:
            best, most = city, n
    return best


def _first_visitor(anonymous, url, repeat=REPEAT):
    """Median ms of GET URL with the public site's cache emptied before each request."""
    from django.core.cache import cache

    samples = []
    for round_ in range(repeat + 2):
        cache.clear()
        started = time.perf_counter()
        response = anonymous.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if round_ >= 2:
            samples.append(elapsed)
    return round(statistics.median(samples), 2)


def measure(client, timed, floor_ms):
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    settings.PUBLIC_RATE_LIMIT = 10**9  # the bench is one address asking thousands of times
    city = _city()
    from django.contrib.auth import get_user_model

    from devdata.publication import publish_approved

    published = publish_approved(city, get_user_model().objects.get(username="province_office"))
    index = reverse("publication:public")
    anonymous = Client()
    figures = {"city": city.code, "name": city.name, "published": len(published)}
    for name, url in (
        ("public_city_list", f"{index}?region={city.code}"),
        ("public_city_search", f"{index}?region={city.code}&q=%E5%A7%94"),  # 委
        (
            "public_document_page",
            reverse("publication:public_document", args=[published[0].pk]) if published else None,
        ),
    ):
        if url is None:
            continue
        kept_ms, queries = timed(anonymous, url)
        first_ms = _first_visitor(anonymous, url)
        figures[name] = {
            "url": url,
            "first_visitor_median_ms": first_ms,
            "first_visitor_ratio_to_floor": round(first_ms / floor_ms, 2),
            "kept_median_ms": kept_ms,
            "kept_ratio_to_floor": round(kept_ms / floor_ms, 2),
            "queries_kept": queries,
        }
    return figures
