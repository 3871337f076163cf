from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from events.families import workflows
from events.families.forms import FamilySignupForm
from events.families.models import FamilySignup
from events.invitations.models import Event, hash_token
from onboarding.audit.models import client_ip
from onboarding.ratelimit.models import within_limit

RATE_WINDOW_SECONDS = 600
CLIENT_WINDOW_SECONDS = 60 * 60
TOO_MANY_SIGNUPS = (
    "Too many sign-ups from your connection; try again in an hour or contact the school."
)


def _public_event(token: str) -> Event:
    event = Event.objects.filter(public_token=token, open_to_families=True).first()
    if event is None:
        raise Http404
    return event


def _over_limit(request, event: Event, scope: str, limit: int) -> bool:
    key = f"{scope}:{event.pk}:{client_ip(request) or 'unknown'}"
    return not within_limit(key, limit=limit, window_seconds=RATE_WINDOW_SECONDS)


def _too_many(request):
    response = render(request, "events/families/public_too_many.html", status=429)
    response["Retry-After"] = str(RATE_WINDOW_SECONDS)
    return response


def _client_allowed(request, event: Event, places: int) -> bool:
    """Sign-ups across events and email addresses, and places at this event, per
    connection and hour: the limit per event and client above still lets one
    visitor take every place under made-up addresses."""
    client = client_ip(request) or "unknown"
    return within_limit(
        f"family-signup:client:{client}",
        limit=settings.FAMILY_SIGNUP_CLIENT_LIMIT,
        window_seconds=CLIENT_WINDOW_SECONDS,
    ) and within_limit(
        f"family-places:{event.pk}:{client}",
        limit=settings.FAMILY_PLACES_PER_CLIENT,
        window_seconds=CLIENT_WINDOW_SECONDS,
        amount=places,
    )


def _sign_up(request, event: Event, form: FamilySignupForm) -> FamilySignup | None:
    """The family's places, or None with the reason on the form."""
    try:
        return workflows.family_sign_up(event=event, request=request, **form.cleaned_data)
    except workflows.SignupClosed:
        form.add_error(None, "Sign-ups for this event are closed.")
    except workflows.EventFull as full:
        form.add_error(
            None,
            "Sorry, this event is full."
            if full.places_left == 0
            else f"Sorry, only {full.places_left} places are left.",
        )
    return None


def event_public(request, token: str):
    event = _public_event(token)
    timezone.activate(event.school.zone)
    if _over_limit(request, event, "page", settings.PUBLIC_PAGE_RATE_LIMIT):
        return _too_many(request)
    form = FamilySignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _over_limit(request, event, "signup", settings.PUBLIC_SIGNUP_RATE_LIMIT):
            return _too_many(request)
        status = 400
        if form.is_valid() and not _client_allowed(request, event, form.cleaned_data["party_size"]):
            form.add_error(None, TOO_MANY_SIGNUPS)
            status = 429
        elif form.is_valid():
            signup = _sign_up(request, event, form)
            if signup is not None:
                context = {"event": event, "signup": signup}
                return render(request, "events/families/public_thanks.html", context)
    context = {"event": event, "form": form, "places_left": event.places_left()}
    response = render(request, "events/families/public_event.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(CLIENT_WINDOW_SECONDS)
    return response


def event_public_cancel(request, token: str, cancel_token: str):
    event = _public_event(token)
    timezone.activate(event.school.zone)
    if _over_limit(request, event, "page", settings.PUBLIC_PAGE_RATE_LIMIT):
        return _too_many(request)
    signup = FamilySignup.objects.filter(
        event=event, cancel_token_hash=hash_token(cancel_token), purged_at__isnull=True
    ).first()
    if signup is None:
        raise Http404
    if request.method == "POST" and signup.cancelled_at is None:
        workflows.family_cancel(signup=signup, request=request)
    return render(request, "events/families/public_cancel.html", {"event": event, "signup": signup})
