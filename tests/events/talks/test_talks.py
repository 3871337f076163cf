"""Class talks: officers' topics, teachers' requests, and the officer's answer."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.invitations.models import Event
from events.talks.models import ClassTalkRequest, ClassTalkTopic
from onboarding.schools.models import Role
from tests import factories as f

CHICAGO = ZoneInfo("America/Chicago")


def test_officer_adds_a_topic_that_teachers_see(world, client_for):
    response = client_for(world.sro).post(
        reverse("topic_create", args=[world.school.pk]),
        {
            "title": "Your rights and the police",
            "description": "What to expect when stopped.",
            "grades": "9–12",
            "length_minutes": "45",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    topic = ClassTalkTopic.objects.get()
    assert topic.officer == world.sro
    page = client_for(world.staff).get(reverse("talks", args=[world.school.pk])).content.decode()
    assert "Your rights and the police" in page


def test_another_officers_topic_cannot_be_edited(world, client_for):
    colleague = f.MembershipFactory(school=world.school, role=Role.SRO).user
    topic = f.ClassTalkTopicFactory(officer=colleague)
    response = client_for(world.sro).get(reverse("topic_edit", args=[world.school.pk, topic.pk]))
    assert response.status_code == 403


def test_topic_of_an_officer_serving_elsewhere_is_a_404(world, client_for):
    elsewhere = f.MembershipFactory(school=world.other_school, role=Role.SRO).user
    topic = f.ClassTalkTopicFactory(officer=elsewhere)
    response = client_for(world.staff).post(
        reverse("talk_request", args=[world.school.pk]),
        {"topic": topic.pk, "class_description": "Civics, period 3", "preferred_dates": "Any"},
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not ClassTalkRequest.objects.exists()


def test_teacher_requests_a_talk_and_the_officer_accepts_with_a_time(
    world, client_for, django_capture_on_commit_callbacks
):
    topic = f.ClassTalkTopicFactory(officer=world.sro, title="Online safety and the law")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.staff).post(
            reverse("talk_request", args=[world.school.pk]),
            {
                "topic": topic.pk,
                "class_description": "Civics, period 3, room 214",
                "preferred_dates": "Tuesday or Thursday mornings",
            },
        )
    talk = ClassTalkRequest.objects.get()
    assert talk.requested_by == world.staff and talk.status == "pending"
    (to_officer,) = mail.outbox
    assert to_officer.to == [world.sro.email]
    assert "Civics, period 3, room 214" in to_officer.body
    mail.outbox.clear()

    day = (timezone.now() + timedelta(days=5)).astimezone(CHICAGO).date()
    start = datetime(day.year, day.month, day.day, 10, 0, tzinfo=CHICAGO)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.sro).post(
            reverse("talk_accept", args=[world.school.pk, talk.pk]),
            {
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (start + timedelta(minutes=50)).strftime("%Y-%m-%dT%H:%M"),
                "place": "Room 214",
            },
        )
    event = Event.objects.get()
    assert response.status_code == 302
    assert event.kind == "class_talk" and event.starts_at == start
    assert event.organizer == world.staff and event.school == world.school
    # On both calendars: the officer's accepted events and the teacher's.
    assert list(Event.objects.accepted_by(world.sro)) == [event]
    assert list(Event.objects.accepted_by(world.staff)) == [event]
    talk.refresh_from_db()
    assert talk.status == "accepted" and talk.event == event
    (to_teacher,) = mail.outbox
    assert to_teacher.to == [world.staff.email]
    assert any(a[0] == "event.ics" for a in to_teacher.attachments)


def test_teacher_requests_a_talk_for_one_of_their_sections(world, client_for):
    topic = f.ClassTalkTopicFactory(officer=world.sro)
    period = f.PeriodFactory(school=world.school, name="Period 3")
    mine = f.ClassSectionFactory(
        school=world.school, teacher=world.staff, name="Civics", period=period, room="214"
    )
    theirs = f.ClassSectionFactory(school=world.school, teacher=world.counselor, name="Health")
    client = client_for(world.staff)
    page = client.get(reverse("talk_request", args=[world.school.pk])).content.decode()
    assert "Civics, Period 3, room 214" in page
    assert "Health" not in page  # only the teacher's own classes are offered
    client.post(
        reverse("talk_request", args=[world.school.pk]),
        {"topic": topic.pk, "section": theirs.pk, "preferred_dates": "Any"},
    )
    assert not ClassTalkRequest.objects.exists()
    client.post(
        reverse("talk_request", args=[world.school.pk]),
        {"topic": topic.pk, "section": mine.pk, "preferred_dates": "Any"},
    )
    talk = ClassTalkRequest.objects.get()
    assert talk.section == mine
    assert talk.class_description == "Civics, Period 3, room 214"
    assert talk.default_place == "Room 214"


def test_a_talk_request_needs_a_class(world, client_for):
    topic = f.ClassTalkTopicFactory(officer=world.sro)
    response = client_for(world.staff).post(
        reverse("talk_request", args=[world.school.pk]),
        {"topic": topic.pk, "preferred_dates": "Any"},
    )
    assert "Choose one of your classes, or describe the class." in response.content.decode()
    assert not ClassTalkRequest.objects.exists()


def test_officer_declines_with_a_note(world, client_for, django_capture_on_commit_callbacks):
    talk = f.ClassTalkRequestFactory(
        school=world.school,
        topic=f.ClassTalkTopicFactory(officer=world.sro),
        requested_by=world.staff,
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.sro).post(
            reverse("talk_decline", args=[world.school.pk, talk.pk]),
            {"decline-note": "Training that week"},
        )
    talk.refresh_from_db()
    assert talk.status == "declined" and talk.response_note == "Training that week"
    assert not Event.objects.exists()
    (message,) = mail.outbox
    assert message.to == [world.staff.email] and "Training that week" in message.body


def test_teachers_see_only_their_own_requests(world, client_for):
    topic = f.ClassTalkTopicFactory(officer=world.sro)
    f.ClassTalkRequestFactory(
        school=world.school,
        topic=topic,
        requested_by=world.staff,
        class_description="Mine, period 1",
    )
    f.ClassTalkRequestFactory(
        school=world.school,
        topic=topic,
        requested_by=world.counselor,
        class_description="Theirs, period 2",
    )
    page = client_for(world.staff).get(reverse("talks", args=[world.school.pk])).content.decode()
    assert "Mine, period 1" in page and "Theirs, period 2" not in page
