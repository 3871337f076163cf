"""Demo data of events and invitations: past and coming events at each school, a
family coffee hour with sign-ups, the officers' answers, recorded attendance, talk
topics and a class-talk request waiting for an answer. Idempotent: each record is
found by its natural key, so a second run changes nothing."""

from datetime import datetime, timedelta

from django.utils import timezone

from events.families.models import FamilySignup
from events.invitations.models import (
    Event,
    EventInvitation,
    EventKind,
    TimeProposal,
    hash_token,
    new_public_token,
)
from events.talks.forms import section_label
from events.talks.models import ClassTalkRequest, ClassTalkTopic
from events.timetable.models import ClassSection

PRINCIPALS = {
    "high": "principal@example.org",
    "middle": "principal.lakeview@example.org",
    "elementary": "principal.maplegrove@example.org",
}
OFFICERS = {
    "high": "sro@example.org",
    "middle": "sro@example.org",
    "elementary": "sro2@example.org",
}

TOPICS = {
    "sro@example.org": [
        ("Your rights and the police", "What happens in a stop, what you may say and ask.", "9–12"),
        ("Online safety and the law", "Sharing photos, threats and bullying online.", "6–12"),
        ("Careers in law enforcement", "Paths into policing, dispatch and forensics.", "9–12"),
    ],
    "sro2@example.org": [
        ("Community helpers", "Who helps us when we need it, and how to ask.", "K–2"),
        ("Bike and street safety", "Helmets, crossings and being seen.", "2–5"),
    ],
}


def _at(school, days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate(timezone=school.zone) + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=school.zone)


def _event(school, title, *, days, hour, minutes, organizer, minute=0, **fields) -> Event:
    starts = _at(school, days, hour, minute)
    event, _ = Event.objects.get_or_create(
        school=school,
        title=title,
        defaults={
            "starts_at": starts,
            "ends_at": starts + timedelta(minutes=minutes),
            "organizer": organizer,
            **fields,
        },
    )
    return event


def _invite(event, user, answer="pending", note="", attended=None) -> EventInvitation:
    invitation, _ = EventInvitation.objects.get_or_create(
        event=event,
        user=user,
        defaults={
            "answer": answer,
            "note": note,
            "attended": attended,
            "answered_at": timezone.now() if answer != "pending" else None,
            "invited_by": event.organizer,
        },
    )
    return invitation


def _record_attendance(event) -> None:
    if event.attendance_recorded_at is None:
        event.attendance_recorded_at = event.ends_at
        event.save(update_fields=["attendance_recorded_at"])


def _school_events(world, key: str) -> None:
    school = world.schools[key]
    principal = world.people[PRINCIPALS[key]]
    officer = world.people[OFFICERS[key]]
    staff = [
        m.user
        for m in school.memberships.filter(role="staff", is_active=True)
        .select_related("user")
        .order_by("user__full_name")[:3]
    ]

    lunch = _event(
        school,
        "Lunch with students",
        kind=EventKind.STUDENT_LUNCH,
        days=-12,
        hour=11,
        minute=30,
        minutes=45,
        organizer=principal,
        place="Cafeteria",
        description="The officer eats with students at a table of their choosing.",
    )
    _invite(lunch, officer, "going", attended=True)
    _record_attendance(lunch)

    night = _event(
        school,
        "Fall family night",
        kind=EventKind.FAMILY_NIGHT,
        days=-20,
        hour=18,
        minutes=90,
        organizer=principal,
        place="Gym",
        description="Games, food trucks and a chance to meet the staff.",
    )
    _invite(night, officer, "going", attended=True)
    for person in staff:
        _invite(night, person, "going", attended=True)
    _record_attendance(night)

    missed = _event(
        school,
        "Staff meeting: working with our SRO",
        kind=EventKind.STAFF_MEETING,
        days=-5,
        hour=15,
        minute=30,
        minutes=60,
        organizer=principal,
        place="Library",
    )
    _invite(missed, officer, "maybe", note="May be called to a shift briefing.", attended=False)
    _record_attendance(missed)

    coffee = _event(
        school,
        "Family coffee hour with the principal",
        kind=EventKind.COFFEE_HOUR,
        days=5,
        hour=8,
        minutes=60,
        organizer=principal,
        place="Library",
        description="Coffee, pastries and open questions for the principal and our officer.",
        open_to_families=True,
        capacity=20,
    )
    answer = {"high": "going", "middle": "maybe", "elementary": "pending"}[key]
    note = "Happy to answer questions about safety at drop-off." if key == "high" else ""
    _invite(coffee, officer, answer, note)
    if not coffee.family_signups.exists():
        FamilySignup.objects.bulk_create(
            [
                FamilySignup(
                    event=coffee,
                    name=name,
                    email=email,
                    party_size=size,
                    cancel_token_hash=hash_token(new_public_token()),
                )
                for name, email, size in [
                    ("Maria Alvarez", f"alvarez.{key}@family.example.org", 2),
                    ("Dev Patel", f"patel.{key}@family.example.org", 1),
                    ("The Johnson family", f"johnson.{key}@family.example.org", 3),
                ]
            ]
        )

    assembly = _event(
        school,
        "Winter assembly",
        kind=EventKind.ASSEMBLY,
        days=16,
        hour=9,
        minutes=60,
        organizer=principal,
        place="Auditorium" if key != "elementary" else "Gym",
    )
    _invite(assembly, officer, "going")
    for person, answer in zip(staff, ["going", "declined", "pending"], strict=False):
        _invite(assembly, person, answer)

    if key == "high":
        game = _event(
            school,
            "Basketball: Riverside vs. Lakeview",
            kind=EventKind.ATHLETICS,
            days=9,
            hour=18,
            minutes=120,
            organizer=principal,
            place="Main gym",
        )
        _invite(game, officer, "declined", note="On duty at the other school that night.")
    if key == "middle":
        recess = _event(
            school,
            "Lunch recess with the officer",
            kind=EventKind.RECESS,
            days=3,
            hour=12,
            minutes=30,
            organizer=principal,
            place="Playground",
        )
        invitation = _invite(recess, officer, "maybe", note="I am in court that day.")
        if not invitation.proposals.exists():
            starts = recess.starts_at + timedelta(days=1)
            TimeProposal.objects.create(
                invitation=invitation,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=30),
                note="Could we do the next day instead?",
            )


def _talks(world) -> None:
    topics = {}
    for email, offered in TOPICS.items():
        officer = world.people[email]
        for title, description, grades in offered:
            topics[title], _ = ClassTalkTopic.objects.get_or_create(
                officer=officer,
                title=title,
                defaults={"description": description, "grades": grades},
            )
    high, elementary = world.schools["high"], world.schools["elementary"]
    priya = world.people["teacher@example.org"]
    # One of her class sections, when the introductions demo has made them.
    section = ClassSection.objects.filter(school=high, teacher=priya).order_by("pk").first()
    ClassTalkRequest.objects.get_or_create(
        school=high,
        topic=topics["Online safety and the law"],
        requested_by=priya,
        defaults={
            "section": section,
            "class_description": section_label(section)
            if section
            else "English 9, period 2, room 118",
            "preferred_dates": "Any Tuesday or Thursday morning next month",
            "note": "The class is reading a novel about a cyberbullying case.",
        },
    )
    teacher = (
        elementary.memberships.filter(role="staff", is_active=True)
        .select_related("user")
        .order_by("user__full_name")
        .first()
        .user
    )
    talk, created = ClassTalkRequest.objects.get_or_create(
        school=elementary,
        topic=topics["Bike and street safety"],
        requested_by=teacher,
        defaults={
            "class_description": "Grade 3, room 12",
            "preferred_dates": "Before the spring bike rodeo",
            "status": ClassTalkRequest.Status.ACCEPTED,
            "response_note": "Glad to. I will bring a helmet to fit.",
            "decided_at": timezone.now(),
        },
    )
    if created:
        event = _event(
            elementary,
            "Class talk: Bike and street safety",
            kind=EventKind.CLASS_TALK,
            days=-8,
            hour=10,
            minutes=45,
            organizer=teacher,
            place="Grade 3, room 12",
        )
        _invite(event, world.people["sro2@example.org"], "going", attended=True)
        _invite(event, teacher, "going", attended=True)
        _record_attendance(event)
        talk.event = event
        talk.save(update_fields=["event"])


def seed(world) -> None:
    """Events, invitations, family sign-ups and class talks."""
    for key in ("high", "middle", "elementary"):
        _school_events(world, key)
    _talks(world)
