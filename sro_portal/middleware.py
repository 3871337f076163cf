"""Requests refused before any view runs.

A NUL byte in a path or query string reaches PostgreSQL, which refuses it in any
text it stores or compares (a token looked up, a search), and the page answers 500.
No URL of ours has a use for a control character, so a path or query string with
one is answered 400 with a page that says why, public pages included."""

import re
from urllib.parse import unquote

from django.http import HttpResponseBadRequest
from django.template import loader

# Every C0 control character and DEL. A query string may carry a tab or a line
# break (text pasted into a search box), which harm nothing.
_IN_PATH = re.compile(r"[\x00-\x1f\x7f]")
_IN_QUERY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

CONTROL_CHARACTERS = (
    "The address contains invisible control characters (such as a NUL byte). "
    "Remove them, or follow the link again from the page it came from."
)


def bad_request(reason: str) -> HttpResponseBadRequest:
    """The plain 400 page: no navigation, nothing read from the database."""
    return HttpResponseBadRequest(loader.get_template("400.html").render({"reason": reason}))


class ControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = unquote(request.META.get("QUERY_STRING", ""), errors="replace")
        if _IN_PATH.search(request.path_info) or _IN_QUERY.search(query):
            return bad_request(CONTROL_CHARACTERS)
        return self.get_response(request)
