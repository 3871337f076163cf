from django.db import models

from events.invitations.models import Event
from onboarding.people.models import User
from onboarding.schools.models import School


class ClassTalkTopic(models.Model):
    """A talk an officer offers to give in classes, in any school they serve."""

    officer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="talk_topics")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    grades = models.CharField(max_length=100, blank=True, help_text="For example: grades 9–12")
    length_minutes = models.PositiveSmallIntegerField("length (minutes)", default=45)
    is_active = models.BooleanField("offered", default=True)

    class Meta:
        ordering = ["officer__full_name", "title"]

    def __str__(self) -> str:
        return self.title


class ClassTalkRequest(models.Model):
    """A teacher's request for a class talk; accepting it makes a class-talk event."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the officer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="talk_requests")
    topic = models.ForeignKey(ClassTalkTopic, on_delete=models.CASCADE, related_name="requests")
    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="talk_requests")
    # The teacher's class section; the description names it (and stays if the
    # section is later deleted), or describes a class that is not in the portal.
    section = models.ForeignKey(
        "ClassSection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talk_requests",
        verbose_name="class section",
    )
    class_description = models.CharField(
        "class",
        max_length=200,
        blank=True,
        help_text="Only for a class not listed above: name, period and room, "
        "e.g. Civics, period 3, room 214",
    )
    preferred_dates = models.CharField(
        max_length=300, help_text="Days and times that suit the class, e.g. Tue or Thu mornings"
    )
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    response_note = models.CharField(max_length=300, blank=True)
    event = models.OneToOneField(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="talk_request"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.topic} for {self.class_description}"

    @property
    def default_place(self) -> str:
        """Where the talk happens unless the officer says otherwise: the class's room."""
        if self.section_id and self.section.room:
            return f"Room {self.section.room}"
        return self.class_description
