"""Reverse a URL once for a whole list: `{% url %}` in a loop of hundreds of rows
costs more than the rest of the row."""

from collections.abc import Callable

from django.urls import reverse

_MARK = 987654321  # an int no real row has while the page is rendered


def url_for_each(name: str, *args) -> Callable[[int], str]:
    """A function of the last argument (an id) giving `reverse(name, args=[*args, id])`,
    from one `reverse()` call: the URL with a marker id, split around the marker."""
    url = reverse(name, args=[*args, _MARK])
    prefix, marker, suffix = url.rpartition(str(_MARK))
    if not marker:  # pragma: no cover - every pattern here ends with an int id
        return lambda pk: reverse(name, args=[*args, pk])
    return lambda pk: f"{prefix}{pk}{suffix}"
