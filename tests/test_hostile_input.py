"""Hostile input never answers 500: control characters in an address (the
middleware), in a form's text (every form's base), dates far from today in a query
string, and text that would make Markdown or the word comparison take minutes.

The NUL cases are PostgreSQL's (it refuses NUL in text; SQLite takes it): run this
module with DATABASE_URL=postgres://... as well."""

import time
from datetime import date, timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from onboarding.agreements import workflows
from onboarding.agreements.models import AgreementSection
from sro_portal.forms import Limits
from tests import factories as f

REFUSED = "invisible control characters"


# --- Control characters in an address ---------------------------------------------


def _public_page(world):
    return reverse(
        "event_public",
        args=[f.EventFactory(school=world.school, open_to_families=True).public_token],
    )


@pytest.mark.parametrize(
    "address",
    [
        "/accounts/login/?next=/%00",
        "/healthz?check=%00",
        "/accounts/invitation/abc%00def/",
        "/feeds/officer/abc%00def.ics",
        "/e/abc%00def/",
        "/accounts/login/?next=%01",
        "/accounts/login%7F/",
    ],
)
def test_a_control_character_in_a_public_address_is_a_clear_400(client, db, address):
    response = client.get(address)
    assert response.status_code == 400
    assert "invisible control characters" in response.content.decode()


def test_a_nul_in_the_query_of_a_public_page_is_a_400(client, world):
    response = client.get(_public_page(world) + "?ref=%00")
    assert response.status_code == 400
    assert "invisible control characters" in response.content.decode()


def test_a_nul_in_the_people_search_is_a_400_and_a_line_break_is_searched(client_for, world):
    client = client_for(world.principal)
    people = reverse("people", args=[world.school.pk])
    assert client.get(people + "?q=ana%00").status_code == 400
    assert client.get(people + "?q=ana%0Aana").status_code == 200


def test_a_good_public_address_still_answers(client, world):
    assert client.get(_public_page(world)).status_code == 200
    assert client.get("/healthz").status_code == 200


# --- Control characters and length in a form --------------------------------------


def _forms_of_the_product():
    import importlib
    import pkgutil

    import events
    import expectations
    import onboarding

    for package in (onboarding, expectations, events):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.rsplit(".", 1)[-1] == "forms":
                importlib.import_module(info.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {
        cls
        for cls in subclasses(forms.BaseForm)
        if cls.__module__.startswith(("onboarding.", "expectations.", "events."))
    }


def test_every_form_of_the_product_is_built_on_the_limits():
    found = _forms_of_the_product()
    assert len(found) > 30
    missing = sorted(
        f"{cls.__module__}.{cls.__name__}" for cls in found if not issubclass(cls, Limits)
    )
    assert not missing, f"Build these forms on sro_portal.forms.Form or ModelForm: {missing}"


def _section_edit(agreement, key="purpose"):
    return reverse(
        "agreement_section_edit",
        kwargs={"school_id": agreement.school_id, "agreement_id": agreement.pk, "key": key},
    )


def _draft(world):
    return f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        sections=f.SHORT_SECTIONS,
    )


@pytest.mark.parametrize("text", ["Purpose\x00", "Purpose\x01 and goals", "Purpose\x1b[31m"])
def test_a_section_with_control_characters_is_a_form_error(world, client_for, text):
    agreement = _draft(world)
    response = client_for(world.principal).post(
        _section_edit(agreement),
        {"title": text, "body": f"The body. {text}", "base_version": 2},
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    agreement.refresh_from_db()
    section = AgreementSection.objects.get(version=agreement.current_version, key="purpose")
    assert section.title == "Purpose and goals"  # unchanged


def test_tabs_and_line_breaks_are_kept_in_a_section(world, client_for):
    agreement = _draft(world)
    body = "First line\r\n\tindented\r\n\r\nSecond paragraph"
    response = client_for(world.principal).post(
        _section_edit(agreement), {"title": "Purpose", "body": body, "base_version": 2}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    saved = AgreementSection.objects.get(version=agreement.current_version, key="purpose")
    assert "\tindented" in saved.body


def test_a_section_body_is_bounded_at_20000_characters(world, client_for):
    agreement = _draft(world)
    client = client_for(world.principal)
    too_long = client.post(
        _section_edit(agreement), {"title": "Purpose", "body": "a" * 20_001, "base_version": 2}
    )
    assert too_long.status_code == 200
    assert "at most 20,000 characters (it has 20,001)" in too_long.content.decode()
    # A line break counts once, as the browser counts it.
    just = client.post(
        _section_edit(agreement),
        {"title": "Purpose", "body": "a\r\n" * 10_000, "base_version": 2},
    )
    assert just.status_code == 302


# --- Text that Markdown takes minutes over -----------------------------------------


BRACKETS = "[" * 20_000


def _timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url)
    return response, time.perf_counter() - started


@pytest.mark.parametrize(
    "body",
    [BRACKETS, "[a](" * 5_000, "<a " * 6_000, "-\n" * 10_000, "- " * 10_000, "> " * 10_000],
    ids=["brackets", "links", "tags", "rules", "nested-lists", "nested-quotes"],
)
def test_a_pathological_section_renders_at_once_on_the_agreement_page(world, client_for, body):
    agreement = f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        sections=[("purpose", "Purpose", body), ("term", "Term", "One **year**.")],
    )
    response, seconds = _timed_get(client_for(world.principal), agreement.get_absolute_url())
    assert response.status_code == 200
    assert seconds < 1, seconds
    page = response.content.decode()
    assert "One <strong>year</strong>." in page  # the other sections still read as Markdown
    if body is BRACKETS:
        assert BRACKETS in page  # the text itself is shown


def test_a_body_of_20000_brackets_is_saved_and_shown(world, client_for):
    agreement = _draft(world)
    client = client_for(world.principal)
    response = client.post(
        _section_edit(agreement), {"title": "Purpose", "body": BRACKETS, "base_version": 2}
    )
    assert response.status_code == 302
    response, seconds = _timed_get(client, agreement.get_absolute_url())
    assert seconds < 1, seconds
    assert BRACKETS in response.content.decode()


def test_a_guideline_of_20000_brackets_renders_at_once(world, client_for):
    guideline = f.published_guideline(school=world.school, body=BRACKETS + "\n\nRead **this**.")
    url = reverse("guideline_detail", args=[world.school.pk, guideline.pk])
    response, seconds = _timed_get(client_for(world.staff), url)
    assert response.status_code == 200
    assert seconds < 1, seconds
    page = response.content.decode()
    assert BRACKETS in page
    assert "Read <strong>this</strong>." in page


def test_comparing_two_long_repetitive_versions_takes_no_minutes(world, client_for):
    agreement = f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        sections=[("purpose", "Purpose", "a " * 10_000)],
    )
    workflows.agreement_save_section(
        agreement=agreement,
        key="purpose",
        title="Purpose",
        body="a b " * 5_000,
        base_version=agreement.current_version.number,
        actor=world.principal,
    )
    url = reverse("agreement_compare", args=[world.school.pk, agreement.pk])
    response, seconds = _timed_get(client_for(world.principal), url)
    assert response.status_code == 200
    assert seconds < 3, seconds  # a minute before the comparison was bounded


# --- Dates far from today in a query string ----------------------------------------


def test_a_week_far_from_today_shows_this_week(world, client_for):
    client = client_for(world.sro)
    for start in ("9999-12-31", "0001-01-01", "2026-13-45", "x"):
        response = client.get(reverse("officer_week") + f"?start={start}")
        assert response.status_code == 200, start
        monday = response.context["monday"]
        assert abs((monday - timezone.localdate()).days) < 7


def test_a_supervisors_view_of_a_far_week_shows_this_week(world, client_for):
    url = reverse("agency_officer_week", args=[world.agency.pk, world.sro.pk])
    response = client_for(world.supervisor).get(url + "?start=9999-12-31")
    assert response.status_code == 200


def test_a_day_sheet_far_from_today_is_not_found(world, client_for):
    client = client_for(world.sro)
    assert client.get(reverse("officer_day", args=["9999-12-31"])).status_code == 404
    today = timezone.localdate().isoformat()
    assert client.get(reverse("officer_day", args=[today])).status_code == 200


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "99999-1", "2026-00", "1-1-1", "²-1"])
def test_a_month_far_from_today_shows_this_month(world, client_for, month):
    response = client_for(world.principal).get(
        reverse("events_month", args=[world.school.pk]) + f"?month={month}"
    )
    assert response.status_code == 200
    assert response.context["first"] == timezone.localdate().replace(day=1)


def test_a_month_within_range_is_shown(world, client_for):
    response = client_for(world.principal).get(
        reverse("events_month", args=[world.school.pk]) + "?month=2030-02"
    )
    assert response.context["first"] == date(2030, 2, 1)


def test_a_binder_year_in_other_digits_is_not_found(world, client_for):
    url = reverse("evidence_binder", args=[world.school.pk])
    assert client_for(world.principal).get(url + "?year=²").status_code == 404


def test_a_date_field_refuses_a_date_more_than_20_years_away(world, client_for):
    client = client_for(world.principal)
    far = (timezone.localdate() + timedelta(days=366 * 20)).isoformat()
    response = client.post(
        reverse("agreement_start", args=[world.school.pk]),
        {"agency": world.agency.pk, "officer": world.sro.pk, "start_date": far},
    )
    assert response.status_code == 200
    assert "Choose a date within 20 years of today." in response.content.decode()


@pytest.mark.parametrize(
    "back", ["/\r\nSet-Cookie: a=b", "/\x00", "//evil.example.org/", "/\\evil.example.org/"]
)
def test_a_hostile_return_address_after_marking_a_visit_goes_to_my_classes(world, client_for, back):
    setup = f.introductions_setup(school=world.school, officer=world.sro, teacher=world.staff)
    client_for(world.principal).post(reverse("introductions_run", args=[world.school.pk]))
    from events.introductions.models import Visit

    visit = Visit.objects.get(section=setup.sections[0])
    response = client_for(world.staff).post(
        reverse("visit_status", args=[world.school.pk, visit.pk]),
        {"status": "done", "next": back},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("introductions_my_classes", args=[world.school.pk])
