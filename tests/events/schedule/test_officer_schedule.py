"""The officer's schedule across all their schools, the printable day sheet, and the
secret-link iCalendar feed."""

from datetime import time, timedelta

import icalendar
import pytest
from django.urls import reverse

from events.introductions.models import Visit
from events.schedule.models import OfficerFeed
from onboarding.schools.models import Role
from tests import factories as f
from tests.helpers import assert_flat_queries, count_queries


@pytest.fixture
def two_schools(world):
    """The officer serves the school (Chicago) and the other school (New York)."""
    world.other_school.time_zone = "America/New_York"
    world.other_school.save()
    f.MembershipFactory(user=world.sro, school=world.other_school, role=Role.SRO)
    day = f.next_weekday(2)
    here = f.VisitFactory(
        section=f.ClassSectionFactory(
            school=world.school, name="Civics (P2)", room="214", teacher=world.staff
        ),
        officer=world.sro,
        date=day,
        student_questions="What do you do all day?",
    )
    there = f.VisitFactory(
        section=f.ClassSectionFactory(
            school=world.other_school,
            name="Grade 7 Science",
            period=f.PeriodFactory(
                school=world.other_school, start_time=time(13, 0), end_time=time(13, 45)
            ),
        ),
        officer=world.sro,
        date=day,
    )
    return here, there


def test_the_officer_sees_both_schools_in_one_agenda(world, client_for, two_schools):
    page = client_for(world.sro).get(reverse("officer_schedule")).content.decode()
    assert "Civics (P2)" in page and "Grade 7 Science" in page
    assert "Oak Ridge High School" in page and "Pine Valley Middle School" in page
    assert "What do you do all day?" in page
    # Each school's own wall-clock time: 9:00 in Chicago, 1:00 PM in New York.
    assert "9:00 AM" in page and "1:00 PM" in page


def test_week_view_and_day_sheet(world, client_for, two_schools):
    here, _ = two_schools
    client = client_for(world.sro)
    week = client.get(reverse("officer_week"), {"start": here.date.isoformat()}).content.decode()
    assert "Civics (P2)" in week and "Grade 7 Science" in week
    sheet = client.get(reverse("officer_day", args=[here.date.isoformat()])).content.decode()
    assert "214" in sheet and world.staff.full_name in sheet


def test_the_week_shows_only_the_officers_active_visits(world, client_for, two_schools):
    here, _there = two_schools
    f.VisitFactory(
        section=f.ClassSectionFactory(school=world.school, name="Cancelled Chemistry"),
        officer=world.sro,
        date=here.date,
        status=Visit.Status.CANCELLED,
    )
    f.VisitFactory(
        section=f.ClassSectionFactory(school=world.school, name="Someone Else's Art"),
        date=here.date,
    )
    week = client_for(world.sro).get(reverse("officer_week"), {"start": here.date.isoformat()})
    page = week.content.decode()
    assert "Civics (P2)" in page and "Grade 7 Science" in page
    assert "Cancelled Chemistry" not in page and "Someone Else" not in page
    # Each school's wall-clock time, the room, and a link to the day's sheet.
    assert "9:00 AM</strong> Civics (P2)" in page and "1:00 PM</strong> Grade 7 Science" in page
    assert "Oak Ridge High School, room 214" in page
    assert reverse("officer_day", args=[here.date.isoformat()]) in page


def test_another_officers_visits_are_not_shown(world, client_for, two_schools):
    stranger = f.MembershipFactory(school=world.school, role=Role.SRO).user
    page = client_for(stranger).get(reverse("officer_schedule")).content.decode()
    assert "Civics (P2)" not in page


def _feed(client, officer):
    return client.get(f"/feeds/officer/{OfficerFeed.for_officer(officer).token}.ics")


def test_the_feed_parses_and_its_times_are_the_visits_times(world, client, two_schools):
    here, there = two_schools
    response = _feed(client, world.sro)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Class introduction: Civics (P2)", "Class introduction: Grade 7 Science"}
    civics = events["Class introduction: Civics (P2)"]
    assert civics.decoded("dtstart") == here.starts_at
    assert civics.decoded("dtstart").astimezone(world.school.zone).hour == 9
    science = events["Class introduction: Grade 7 Science"]
    assert science.decoded("dtstart").astimezone(world.other_school.zone).hour == 13
    assert "What do you do all day?" in str(civics["description"])


def test_one_officers_feed_shows_nothing_of_anothers(world, client, two_schools):
    other = f.MembershipFactory(school=world.school, role=Role.SRO).user
    f.VisitFactory(
        section=f.ClassSectionFactory(school=world.school, name="Secret Section"), officer=other
    )
    body = _feed(client, world.sro).content.decode()
    assert "Secret Section" not in body
    other_body = _feed(client, other).content.decode()
    assert "Secret Section" in other_body and "Civics" not in other_body


def test_regenerating_the_link_kills_the_old_one(world, client_for, two_schools):
    old = OfficerFeed.for_officer(world.sro).token
    client = client_for(world.sro)
    response = client.post(reverse("officer_feed_regenerate"))
    assert response.status_code == 302
    new = OfficerFeed.objects.get(officer=world.sro).token
    assert new != old
    assert client.get(f"/feeds/officer/{old}.ics").status_code == 404
    assert client.get(f"/feeds/officer/{new}.ics").status_code == 200


def test_cancelled_visits_leave_the_feed(world, client, two_schools):
    here, _ = two_schools
    Visit.objects.filter(pk=here.pk).update(status=Visit.Status.CANCELLED)
    assert "Civics" not in _feed(client, world.sro).content.decode()


def _grow_visits(world, count, offset=0):
    """Many visits for the officer, each at its own time, in a few queries."""

    def grow():
        period = f.PeriodFactory(school=world.school)
        sections = [
            f.ClassSectionFactory.build(school=world.school, period=period, teacher=world.staff)
            for _ in range(count)
        ]
        from events.timetable.models import ClassSection

        sections = ClassSection.objects.bulk_create(sections)
        start = f.next_weekday(1)
        visits = []
        for i, section in enumerate(sections):
            day = start + timedelta(days=offset + i)
            s, e = period.bounds(day, world.school.zone)
            visits.append(
                Visit(
                    school=world.school,
                    section=section,
                    officer=world.sro,
                    period=period,
                    date=day,
                    starts_at=s,
                    ends_at=e,
                )
            )
        Visit.objects.bulk_create(visits)

    return grow


def test_schedule_page_costs_the_same_queries_for_5_and_500_visits(world, client_for):
    client = client_for(world.sro)
    OfficerFeed.for_officer(world.sro)  # made on the first visit: one insert, once
    _grow_visits(world, 5)()
    assert_flat_queries(client, reverse("officer_schedule"), _grow_visits(world, 495, offset=10))


def test_feed_costs_the_same_queries_for_5_and_500_visits(world, client):
    _grow_visits(world, 5)()
    url = f"/feeds/officer/{OfficerFeed.for_officer(world.sro).token}.ics"
    before, _ = count_queries(client, url)
    _grow_visits(world, 495, offset=10)()
    after, response = count_queries(client, url)
    assert before == after
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == 500


def test_the_officer_marks_a_visit_done(world, client_for, two_schools):
    here, _ = two_schools
    client = client_for(world.sro)
    response = client.post(
        reverse("visit_status", args=[world.school.pk, here.pk]),
        {"status": "done", "next": reverse("officer_schedule")},
    )
    assert response["Location"] == reverse("officer_schedule")
    assert Visit.objects.get(pk=here.pk).status == Visit.Status.DONE


def test_the_feed_carries_the_school_events_the_officer_is_going_to(world, client, two_schools):
    import icalendar

    going = f.EventInvitationFactory(event__school=world.school, user=world.sro, answer="going")
    declined = f.EventInvitationFactory(
        event__school=world.school, user=world.sro, answer="declined"
    )
    calendar = icalendar.Calendar.from_ical(_feed(client, world.sro).content)
    summaries = {str(c["summary"]) for c in calendar.walk("VEVENT")}
    assert going.event.title in summaries
    assert declined.event.title not in summaries
    (entry,) = [c for c in calendar.walk("VEVENT") if str(c["summary"]) == going.event.title]
    assert entry.decoded("dtstart") == going.event.starts_at.replace(microsecond=0)


def test_the_feed_of_a_deactivated_officer_is_gone(world, client, two_schools):
    url = f"/feeds/officer/{OfficerFeed.for_officer(world.sro).token}.ics"
    world.sro.is_active = False
    world.sro.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_the_feeds_school_events_carry_their_organizer_and_link(world, client, two_schools):
    import icalendar

    organized = f.EventInvitationFactory(
        event__school=world.school, event__organizer=world.staff, user=world.sro, answer="going"
    ).event
    unorganized = f.EventInvitationFactory(
        event__school=world.school, event__organizer=None, user=world.sro, answer="going"
    ).event
    calendar = icalendar.Calendar.from_ical(_feed(client, world.sro).content)
    entries = {str(c["uid"]): c for c in calendar.walk("VEVENT")}
    entry = entries[f"event-{organized.pk}@sro-portal"]
    assert str(entry["organizer"]) == f"mailto:{world.staff.email}"
    assert entry["organizer"].params["CN"] == world.staff.full_name
    assert str(entry["url"]).endswith(reverse("event_detail", args=[world.school.pk, organized.pk]))
    entry = entries[f"event-{unorganized.pk}@sro-portal"]
    assert entry["organizer"].params["CN"] == "SRO Portal"


def test_the_agency_supervisor_reads_an_officers_week(world, client_for):
    visit = f.VisitFactory(section__school=world.school, officer=world.sro)
    url = reverse("agency_officer_week", args=[world.agency.pk, world.sro.pk])
    response = client_for(world.supervisor).get(url, {"start": visit.date.isoformat()})
    body = response.content.decode()
    assert response.status_code == 200
    assert visit.section.name in body and world.sro.full_name in body
    assert "Done" not in body  # read only


def test_a_supervisor_sees_no_officer_of_another_agency(world, client_for):
    stranger = f.AgencyMembershipFactory().user  # an officer of another agency
    url = reverse("agency_officer_week", args=[world.agency.pk, stranger.pk])
    assert client_for(world.supervisor).get(url).status_code == 404


def test_the_supervisors_week_view_costs_the_same_queries_for_more_visits(world, client_for):
    monday = f.next_weekday(7)
    monday -= timedelta(days=monday.weekday())
    url = reverse("agency_officer_week", args=[world.agency.pk, world.sro.pk])
    f.VisitFactory(section__school=world.school, officer=world.sro, date=monday)

    def grow():
        for offset in range(1, 5):
            f.VisitFactory(
                section__school=world.school,
                officer=world.sro,
                date=monday + timedelta(days=offset),
            )

    assert_flat_queries(client_for(world.supervisor), f"{url}?start={monday.isoformat()}", grow)
