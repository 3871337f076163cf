"""Every URL, every kind of visitor: the product's authorization in one table.

- a route missing from the table fails the build;
- anonymous visitors are sent to sign in;
- another school's principal gets a 404 (the object's existence is not revealed),
  and so does a person taken off the school's roster (tests.world.REMOVED_KINDS);
- a role without the right gets a 403, and a denied POST changes nothing;
- every state-changing route refuses a POST without a CSRF token.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.helpers import snapshot
from tests.permissions import all_routes
from tests.world import KINDS, REMOVED_KINDS

ROUTES = all_routes()
STATUS = {"forbidden": 403, "hidden": 404}


def _route_names(resolver=None, namespace=None) -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            names |= _route_names(pattern, full)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"The URL pattern {pattern.pattern} has no name"
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_route_is_in_the_table():
    listed = {route.name for route in ROUTES}
    missing = _route_names() - listed
    assert not missing, f"Add these routes to tests/permissions/: {sorted(missing)}"
    unknown = listed - _route_names()
    assert not unknown, f"The table lists routes that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method}-{r.name}")
def test_the_table_decides_for_every_kind_of_visitor(route):
    route.check_complete()


# A public route answers a removed member as it answers anybody.
PUBLIC_VISITORS = ("anonymous", *REMOVED_KINDS)
CASES = [(route, kind) for route in ROUTES for kind in (PUBLIC_VISITORS if route.public else KINDS)]


@pytest.mark.parametrize(
    ("route", "kind"), CASES, ids=[f"{r.method}-{r.name}-{k}" for r, k in CASES]
)
def test_route_answers_each_visitor(world, client_for, route, kind):
    client = client_for(world.user(kind))
    url = reverse(route.name, kwargs=route.kwargs(world))
    before = snapshot() if route.method == "post" else None
    response = getattr(client, route.method)(url, route.data(world))

    if route.public:
        expected = route.public_status
        if kind != "anonymous" and route.signed_in_status is not None:
            expected = route.signed_in_status
        assert response.status_code in expected, (url, kind, response.status_code)
        return
    outcome = route.expected(kind)
    if outcome == "ok":
        assert response.status_code in route.ok_status, (url, kind, response.status_code)
        return
    if outcome == "login":
        assert response.status_code == 302, (url, kind, response.status_code)
        assert response["Location"].startswith(reverse("login")), response["Location"]
    else:
        assert response.status_code == STATUS[outcome], (url, kind, response.status_code)
    if before is not None:
        assert snapshot() == before, f"A denied POST to {url} by {kind} changed data"


POST_ROUTES = [r for r in ROUTES if r.method == "post"]


@pytest.mark.parametrize("route", POST_ROUTES, ids=lambda r: r.name)
def test_post_without_csrf_token_is_refused(world, route):
    client = Client(enforce_csrf_checks=True)
    allowed = next((k for k in route.ok if k != "anonymous"), None)
    if allowed:
        client.force_login(world.user(allowed), backend="django.contrib.auth.backends.ModelBackend")
    url = reverse(route.name, kwargs=route.kwargs(world))
    before = snapshot()
    response = client.post(url, route.data(world))
    assert response.status_code == 403
    assert snapshot() == before


PUBLIC_POST_FORMS = ["login", "password_reset"]


@pytest.mark.parametrize("name", PUBLIC_POST_FORMS)
def test_public_forms_refuse_post_without_csrf_token(db, name):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse(name), {"username": "x@example.org", "email": "x@example.org"})
    assert response.status_code == 403
