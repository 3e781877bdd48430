"""The public list of a city (公开: what section 七 publishes) for make bench.

After seed_scale, every approved document of the city with the most approved documents
that section 七 publishes in public or to the masses is published
(devdata.publication.publish_approved); the bench then reads, as an anonymous visitor
with no cookie, the city's list, a search within it and one published document's page,
each as the first visitor after a publication sees it and as the next visitors do.
"""


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


def publish():
    """(the city, its publications): every approved document of the city published."""
    from django.contrib.auth import get_user_model

    from devdata.publication import publish_approved
    from publication.models import Publication

    city = _city()
    published = publish_approved(city, get_user_model().objects.get(username="province_office"))
    if not published:  # a bench run again on its kept database: published the first time
        published = list(
            Publication.objects.filter(
                withdrawn_at__isnull=True,
                document__team__org__tree_id=city.tree_id,
                document__team__org__lft__gte=city.lft,
                document__team__org__lft__lte=city.rght,
            ).order_by("pk")
        )
    return city, published


def urls(city, published):
    """(name, url) of the pages an anonymous visitor reads."""
    from django.urls import reverse

    index = reverse("publication:public")
    yield "public_city_list", f"{index}?region={city.code}"
    yield "public_city_search", f"{index}?region={city.code}&q=%E5%A7%94"  # 委
    if published:
        yield "public_document_page", reverse("publication:public_document", args=[published[0].pk])
