"""Bell schedule, blackout dates, sections by hand and officer availability."""

from datetime import time

from django.test import override_settings
from django.urls import reverse

from events.introductions.models import Availability
from events.timetable.models import BlackoutDate, ClassSection, Period
from onboarding.schools.models import Role
from tests import factories as f


def _add_period(client, world, name, start, end, days=("0", "1", "2", "3", "4")):
    return client.post(
        reverse("bell_schedule", args=[world.school.pk]),
        {
            "action": "period",
            "period-name": name,
            "period-position": "1",
            "period-start_time": start,
            "period-end_time": end,
            "period-weekdays": list(days),
        },
    )


def test_principal_adds_periods_and_overlaps_are_refused(world, client_for):
    client = client_for(world.principal)
    assert _add_period(client, world, "Period 1", "08:00", "08:50").status_code == 302
    assert Period.objects.get().weekdays == "01234"
    response = _add_period(client, world, "Period 2", "08:30", "09:20")
    assert response.status_code == 400
    assert "It overlaps Period 1" in response.content.decode()
    assert Period.objects.count() == 1


def test_periods_on_different_days_may_share_a_time(world, client_for):
    client = client_for(world.principal)
    assert (
        _add_period(client, world, "A day 1", "08:00", "08:50", days=("0", "2")).status_code == 302
    )
    assert (
        _add_period(client, world, "B day 1", "08:00", "08:50", days=("1", "3")).status_code == 302
    )


def test_principal_adds_and_removes_a_blackout_date(world, client_for):
    client = client_for(world.principal)
    client.post(
        reverse("bell_schedule", args=[world.school.pk]),
        {"action": "blackout", "blackout-date": "2026-12-24", "blackout-reason": "Winter break"},
    )
    blackout = BlackoutDate.objects.get()
    client.post(reverse("blackout_delete", args=[world.school.pk, blackout.pk]))
    assert not BlackoutDate.objects.exists()


def test_principal_adds_a_section_by_hand(world, client_for):
    period = f.PeriodFactory(school=world.school)
    response = client_for(world.principal).post(
        reverse("sections", args=[world.school.pk]),
        {
            "code": "ART-1",
            "name": "Art 1",
            "grade": "9",
            "period": period.pk,
            "teacher": world.staff.pk,
            "size": "22",
        },
    )
    assert response.status_code == 302
    assert ClassSection.objects.get().teacher == world.staff


def test_a_teacher_of_another_school_cannot_be_chosen(world, client_for):
    period = f.PeriodFactory(school=world.school)
    response = client_for(world.principal).post(
        reverse("sections", args=[world.school.pk]),
        {
            "code": "A",
            "name": "A",
            "period": period.pk,
            "teacher": world.other_principal.pk,
            "size": "1",
        },
    )
    assert response.status_code == 200
    assert not ClassSection.objects.exists()


def _block(client, world, school, weekday, start, end):
    return client.post(
        reverse("availability", args=[school.pk]),
        {"officer": world.sro.pk, "weekday": weekday, "start_time": start, "end_time": end},
    )


def test_the_officer_adds_availability(world, client_for):
    response = _block(client_for(world.sro), world, world.school, 0, "08:00", "11:00")
    assert response.status_code == 302
    assert Availability.objects.get().officer == world.sro


@override_settings(INTRODUCTIONS_TRAVEL_BUFFER_MINUTES=30)
def test_blocks_at_two_schools_need_the_travel_buffer(world, client_for):
    f.MembershipFactory(user=world.sro, school=world.other_school, role=Role.SRO)
    f.AvailabilityFactory(
        officer=world.sro,
        school=world.other_school,
        weekday=0,
        start_time=time(12, 0),
        end_time=time(15, 0),
    )
    client = client_for(world.sro)
    too_close = _block(client, world, world.school, 0, "08:00", "11:45")
    assert "too little travel time" in too_close.content.decode()
    assert _block(client, world, world.school, 0, "08:00", "11:30").status_code == 302
    assert (
        _block(client, world, world.school, 1, "11:00", "13:00").status_code == 302
    )  # another day


def test_the_officer_cannot_edit_another_officers_blocks(world, client_for):
    colleague = f.MembershipFactory(school=world.school, role=Role.SRO).user
    block = f.AvailabilityFactory(officer=colleague, school=world.school)
    response = client_for(world.sro).post(
        reverse("availability_delete", args=[world.school.pk, block.pk])
    )
    assert response.status_code == 404
    assert Availability.objects.filter(pk=block.pk).exists()
