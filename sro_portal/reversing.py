"""Reverse a URL once for a whole list: `{% url %}` in a loop of hundreds of rows
costs more than the rest of the row."""

from collections.abc import Callable
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = 987654321  # an int no real row has while the page is rendered


def url_for_each(name: str, *args) -> Callable[[int], str]:
    """A function of the last argument (an id) giving `reverse(name, args=[*args, id])`,
    from one `reverse()` call: the URL with a marker id, split around the marker."""
    url = reverse(name, args=[*args, _MARK])
    prefix, marker, suffix = url.rpartition(str(_MARK))
    if not marker:  # pragma: no cover - every pattern here ends with an int id
        return lambda pk: reverse(name, args=[*args, pk])
    return lambda pk: f"{prefix}{pk}{suffix}"


def cached_reverse(name: str, *args) -> str:
    """`reverse(name, args=args)`, remembered: the same name and ids always give the
    same path under one URL configuration and script prefix, which are part of the key.
    For summaries that link every school several times (the district's readiness)."""
    return _reverse(get_script_prefix(), get_urlconf(), name, args)


@lru_cache(maxsize=8192)
def _reverse(prefix: str, urlconf, name: str, args: tuple) -> str:
    return reverse(name, args=args)
