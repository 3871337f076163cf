"""The navigation bar: each role's links, read fresh on every request."""

import pytest
from django.urls import reverse

from tests import factories as f


@pytest.mark.parametrize(
    "kind", ["principal", "staff", "counselor", "sro", "supervisor", "district_admin"]
)
def test_every_navigation_link_opens_for_that_role(client_for, world, kind):
    import re

    client = client_for(world.user(kind))
    page = client.get(reverse("school_home", args=[world.school.pk])).content.decode()
    nav = page[page.index('aria-label="Main"') : page.index("</nav>")]
    links = set(re.findall(r'href="(/[^"]*)"', nav))
    assert reverse("agreement_list", args=[world.school.pk]) in links
    assert (reverse("officer_schedule") in links) == (kind == "sro")
    for link in links:
        assert client.get(link).status_code == 200, (kind, link)


def test_a_role_given_while_signed_in_shows_in_the_navigation_at_once(client_for, world):
    """Whether a person supervises an agency or administers a district is read with
    the person on every request, never kept in the session."""
    client = client_for(world.staff)
    page = client.get(reverse("school_home", args=[world.school.pk])).content.decode()
    assert reverse("district_home", args=[world.district.pk]) not in page
    f.DistrictMembershipFactory(user=world.staff, district=world.district)
    page = client.get(reverse("school_home", args=[world.school.pk])).content.decode()
    assert reverse("district_home", args=[world.district.pk]) in page


@pytest.mark.parametrize("kind", ["staff", "sro", "supervisor", "district_admin"])
def test_each_role_table_is_read_once_per_request(client_for, world, kind):
    """The navigation bar and the page's access check share the person's roles."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.user(kind))
    url = reverse("agreement_list", args=[world.school.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    for table in ("membership", "agencymembership", "districtmembership"):
        reads = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith(f'SELECT "onboarding_{table}"."id"')
        ]
        assert len(reads) == 1, (table, reads)
