"""Shared test helpers: database snapshots and flat query counts."""

from collections.abc import Callable

from django.apps import apps
from django.core import serializers
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Rows that change on any visit and say nothing about the product's state.
VOLATILE = {"sessions.session", "axes.accessattempt", "axes.accesslog", "onboarding.signin"}


def snapshot() -> dict[str, str]:
    """Every row of every model, serialized: equal snapshots mean nothing changed."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in VOLATILE or model._meta.proxy:
            continue
        state[label] = serializers.serialize("json", model._default_manager.order_by("pk"))
    return state


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries), response


# What every signed-in page reads before its own content: the session, the person,
# and the person's school memberships, agency roles and district roles (read once,
# shared by the navigation bar and every access check of the request).
SIGNED_IN_QUERIES = 5


def assert_flat_queries(
    client, url: str, grow: Callable[[], None], prepare: Callable[[], object] | None = None
) -> int:
    """Render `url`, call `grow()` to add data, render again: the query count must
    not change. Returns the count, so a test may also pin it.

    A first request warms the session (it records the current school), which a
    person pays once, not per page. `prepare()`, if given, runs before each counted
    request, so that both take the same path (kept readiness computed or read)."""
    client.get(url)
    if prepare:
        prepare()
    before, _ = count_queries(client, url)
    grow()
    if prepare:
        prepare()
    after, _ = count_queries(client, url)
    assert before == after, f"{url}: {before} queries before growing the data, {after} after"
    return after


# --- PostgreSQL-only tests (scale, several servers, query plans) ---------------

import os  # noqa: E402

import pytest  # noqa: E402

requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="PostgreSQL only: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/sro_<name>",
)


def explain(queryset) -> str:
    """PostgreSQL's plan for a queryset, as text (EXPLAIN, without running it)."""
    return queryset.explain()
