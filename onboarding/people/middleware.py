"""Sessions of signed-in people: nothing of theirs kept in a cache, and an end after
SESSION_IDLE_MINUTES without activity besides the absolute SESSION_COOKIE_AGE."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

# Seconds since the epoch of the person's last request, in their session.
LAST_ACTIVITY = "last_activity"
# Written at most this often, so that a page costs no session save per request.
ACTIVITY_RESOLUTION = 60


def session_start(session) -> None:
    """At sign-in: the absolute end of the session is fixed now (the session's own
    expiry, so that writing the activity stamp does not push it back), and the
    idle clock starts."""
    now = timezone.now()
    session.set_expiry(now + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    session[LAST_ACTIVITY] = int(now.timestamp())


def idle_message() -> str:
    minutes = settings.SESSION_IDLE_MINUTES
    if minutes % 60 == 0:
        hours = minutes // 60
        span = f"{hours} hour{pluralize(hours)}"
    else:
        span = f"{minutes} minute{pluralize(minutes)}"
    return f"You were signed out after {span} without activity. Please sign in again."


class IdleTimeoutMiddleware:
    """Signs out a person whose last request is older than SESSION_IDLE_MINUTES; the
    page they asked for then sends them to sign in, where the message says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and now - last > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, idle_message())
            elif last is None or now - last >= ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` (Django's never_cache) on every answer to a
    signed-in person: their pages and files (rosters, binders, contacts) must not
    stay in a browser's or a proxy's cache. A view that set Cache-Control itself
    (a calendar feed) keeps its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
