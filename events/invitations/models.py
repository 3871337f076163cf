import hashlib
import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone

from onboarding.access import current_schools
from onboarding.people.models import User
from onboarding.schools.models import School


class EventKind(models.TextChoices):
    COFFEE_HOUR = "coffee_hour", "Family coffee hour"
    STUDENT_LUNCH = "student_lunch", "Lunch with students"
    RECESS = "recess", "Recess"
    CLASS_TALK = "class_talk", "Class talk"
    ASSEMBLY = "assembly", "Assembly"
    ATHLETICS = "athletics", "Game or athletics"
    FAMILY_NIGHT = "family_night", "Family night"
    STAFF_MEETING = "staff_meeting", "Staff meeting"
    OTHER = "other", "Other"


def new_public_token() -> str:
    return secrets.token_urlsafe(18)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class EventQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)

    def upcoming(self):
        """Not cancelled and not started yet (for the readiness dashboard, for example)."""
        return self.active().filter(starts_at__gt=timezone.now())

    def between(self, start, end):
        """Events that overlap [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def accepted_by(self, officer):
        """Events this person said they are going to, at the schools they belong to now
        (for the officer's iCalendar feed and home)."""
        return self.active().filter(
            invitations__user=officer,
            invitations__answer=EventInvitation.Answer.GOING,
            school__in=current_schools(officer),
        )

    def with_invitation_of(self, user):
        """Each event with `mine`: the person's invitation to it, or None (a person has
        at most one invitation an event, so this joins rather than prefetches)."""
        mine = models.FilteredRelation("invitations", condition=models.Q(invitations__user=user))
        return self.annotate(mine=mine).select_related("mine")

    def with_counts(self):
        going = models.Q(invitations__answer="going")
        return self.annotate(
            invited_count=models.Count("invitations", distinct=True),
            going_count=models.Count("invitations", filter=going, distinct=True),
        )


class Event(models.Model):
    """Something happening at a school that the officer (and staff) are invited to."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.OTHER)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True, help_text="For example: Library")
    organizer = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="organized_events"
    )
    open_to_families = models.BooleanField(
        "families may sign up",
        default=False,
        help_text="Gives the event a public page where families sign up.",
    )
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Places for families (each person in a party takes one). Empty: no limit.",
    )
    public_token = models.CharField(max_length=40, unique=True, default=new_public_token)
    # Bumped on every change of time, so calendar programs replace their copy.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    families_purged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["school", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def accepts_families(self) -> bool:
        return self.open_to_families and not self.is_cancelled and not self.has_started

    def places_taken(self) -> int:
        return (
            self.family_signups.filter(cancelled_at__isnull=True).aggregate(
                taken=models.Sum("party_size")
            )["taken"]
            or 0
        )

    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.places_taken(), 0)


class EventInvitation(models.Model):
    """One person invited to one event, with their answer and, later, attendance."""

    class Answer(models.TextChoices):
        PENDING = "pending", "Not answered yet"
        GOING = "going", "Going"
        MAYBE = "maybe", "Maybe"
        DECLINED = "declined", "Declined"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="event_invitations")
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    note = models.CharField(max_length=300, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # None until the organizer records attendance.
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_invitation_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.event} ({self.get_answer_display()})"

    @property
    def needs_reminder(self) -> bool:
        return self.answer != self.Answer.DECLINED


class TimeProposal(models.Model):
    """An invitee's suggestion of another time, which the organizer accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the organizer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    invitation = models.ForeignKey(
        EventInvitation, on_delete=models.CASCADE, related_name="proposals"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.invitation.user} proposes {self.starts_at:%Y-%m-%d %H:%M}"
