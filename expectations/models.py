"""Guidelines that staff read, understand and acknowledge, and who has done so.

A guideline belongs to one school, or to a district (published to every school of
it). Each publication is a numbered, immutable version. A person's acknowledgment
is of one version; it still counts for later versions until a version says it
needs acknowledging again (`Guideline.required_version`).
"""

from datetime import date, timedelta
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.safestring import SafeString

from onboarding.schools.models import SCHOOL_STAFF_ROLES, District, Membership, Role, School
from sro_portal.text import render_markdown_many

# The roles a guideline may target: the people who work for the school.
TARGET_ROLE_CHOICES = [(r.value, r.label) for r in SCHOOL_STAFF_ROLES]


class GuidelineQuerySet(models.QuerySet):
    def for_school(self, school: School):
        """The school's own guidelines and those of its district, once published."""
        return self.filter(
            Q(school=school) | Q(district_id=school.district_id), current_version__isnull=False
        ).select_related("current_version", "required_version")


class Guideline(models.Model):
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="guidelines"
    )
    district = models.ForeignKey(
        District,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="guidelines",
        help_text="Set for a district-wide guideline, published to every school of it.",
    )
    title = models.CharField(max_length=200)
    # Roles (of TARGET_ROLE_CHOICES) who must read and acknowledge it.
    target_roles = models.JSONField(default=list)
    # Which starter guideline it was made from, if any (see expectations/starter.py).
    starter_key = models.CharField(max_length=50, blank=True)
    current_version = models.ForeignKey(
        "GuidelineVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The oldest version whose acknowledgment still counts.
    required_version = models.ForeignKey(
        "GuidelineVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GuidelineQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(school__isnull=False, district__isnull=True)
                    | Q(school__isnull=True, district__isnull=False)
                ),
                name="guideline_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_district_wide(self) -> bool:
        return self.district_id is not None

    def targets(self, role: str | None) -> bool:
        return role in self.target_roles

    @property
    def target_role_labels(self) -> list[str]:
        return [Role(r).label for r in self.target_roles if r in Role.values]

    def can_be_revised_by(self, access) -> bool:
        """A school's guideline by its managers; a district's by district admins only."""
        if self.is_district_wide:
            return access.is_district_admin
        return access.can_manage

    def targeted_memberships(self):
        """The active memberships it targets, in every school it is for (a person who
        works in two of them has two)."""
        schools = (
            School.objects.filter(district_id=self.district_id)
            if self.is_district_wide
            else School.objects.filter(pk=self.school_id)
        )
        return Membership.objects.active().filter(school__in=schools, role__in=self.target_roles)

    def targeted_people_count(self) -> int:
        """How many people it targets: one COUNT query, nobody loaded."""
        return self.targeted_memberships().values("user_id").distinct().count()

    def members(self, school: School):
        """Active memberships of the school that this guideline targets, each with
        `acknowledged_number` and `acknowledged_at` of the latest version the person
        acknowledged (which may be one that no longer counts)."""
        acks = Acknowledgment.objects.filter(
            person=OuterRef("user_id"), version__guideline=self
        ).order_by("-version__number")
        return (
            Membership.objects.active()
            .filter(school=school, role__in=self.target_roles)
            .select_related("user")
            .annotate(
                acknowledged_at=Subquery(acks.values("acknowledged_at")[:1]),
                acknowledged_number=Subquery(acks.values("version__number")[:1]),
            )
            .order_by("role", "user__full_name")
        )


class GuidelineVersion(models.Model):
    """One published text of a guideline. Never edited: a change is a new version."""

    guideline = models.ForeignKey(Guideline, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(help_text="Markdown.")
    state_rules = models.TextField(
        blank=True,
        help_text="Markdown. The rules of this state, where they differ from state to state.",
    )
    pass_mark = models.PositiveSmallIntegerField(
        default=100, help_text="Share of scenario questions to answer right, in percent."
    )
    due_date = models.DateField()
    join_window_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days a person who joins later has to acknowledge."
    )
    requires_reacknowledgment = models.BooleanField(default=True)
    change_note = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["guideline", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "number"], name="one_guideline_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.guideline} (version {self.number})"

    @cached_property
    def _html(self) -> list[SafeString]:
        # Both texts read from the cache at once.
        return render_markdown_many([self.body, self.state_rules])

    @property
    def body_html(self) -> SafeString:
        return self._html[0]

    @property
    def state_rules_html(self) -> SafeString:
        return self._html[1]

    def due_for(self, joined_at, zone=None) -> date:
        """The due date of a person who joined the school at `joined_at`: the version's
        own, or for someone who joined after it was published, their own window
        (counted from the day they joined, in the school's time zone `zone`)."""
        if joined_at is None or joined_at <= self.published_at:
            return self.due_date
        own = timezone.localdate(joined_at, timezone=zone) + timedelta(days=self.join_window_days)
        return max(self.due_date, own)

    def full_text(self) -> str:
        """Everything a reader agrees to, as one text: what a diff compares."""
        parts = [self.body.strip()]
        if self.state_rules.strip():
            parts.append("This state's rules:\n\n" + self.state_rules.strip())
        statements = "\n".join(f"- {s.text}" for s in self.statements.all())
        if statements:
            parts.append("Statements:\n\n" + statements)
        return "\n\n".join(parts)


class Statement(models.Model):
    """A checklist statement the reader ticks: "I will not ask the SRO to ..."."""

    version = models.ForeignKey(
        GuidelineVersion, on_delete=models.CASCADE, related_name="statements"
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    # The role-agreement section this statement comes from (its stable key, such as
    # "discipline"): amending that section flags the statement for review.
    agreement_section_key = models.SlugField(max_length=60, blank=True)

    class Meta:
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Scenario(models.Model):
    """A short situation with choices, the right one, and why."""

    version = models.ForeignKey(
        GuidelineVersion, on_delete=models.CASCADE, related_name="scenarios"
    )
    order = models.PositiveSmallIntegerField(default=0)
    situation = models.TextField()
    choices = models.JSONField(default=list)  # list of strings
    correct_choice = models.PositiveSmallIntegerField()  # index into choices
    explanation = models.TextField()

    class Meta:
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return self.situation[:60]

    @property
    def correct_text(self) -> str:
        return self.choices[self.correct_choice]


class AcknowledgmentQuerySet(models.QuerySet):
    def latest_of(self, person, guideline: Guideline) -> "Acknowledgment | None":
        """The person's acknowledgment of the guideline's latest version they
        acknowledged (which may be one that no longer counts)."""
        return (
            self.filter(person=person, version__guideline=guideline)
            .select_related("version")
            .order_by("-version__number")
            .first()
        )

    def counting_for(self, guideline: Guideline):
        return self.filter(
            version__guideline=guideline, version__number__gte=guideline.required_version.number
        )


class Acknowledgment(models.Model):
    """A person read a version, ticked its statements, passed its scenarios and
    confirmed with their typed name. One per person and version, whatever happens."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgments"
    )
    version = models.ForeignKey(
        GuidelineVersion, on_delete=models.PROTECT, related_name="acknowledgments"
    )
    school = models.ForeignKey(School, null=True, on_delete=models.SET_NULL, related_name="+")
    typed_name = models.CharField(max_length=150)
    acknowledged_at = models.DateTimeField(default=timezone.now)
    # {"statements": [ids], "scenarios": [{"scenario", "choice", "correct"}], "attempts", "score"}
    answers = models.JSONField(default=dict)

    objects = AcknowledgmentQuerySet.as_manager()

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="one_acknowledgment")
        ]

    def __str__(self) -> str:
        return f"{self.person} acknowledged {self.version}"

    def answered_scenarios(self) -> list[tuple["Scenario", str, bool]]:
        """The person's own answers, as recorded: each scenario, the choice they
        made, and whether it was right."""
        by_pk = {s.pk: s for s in self.version.scenarios.all()}
        return [
            (by_pk[r["scenario"]], by_pk[r["scenario"]].choices[r["choice"]], r["correct"])
            for r in self.answers.get("scenarios", [])
            if r["scenario"] in by_pk
        ]


class ReminderLog(models.Model):
    """A reminder email sent: at most one per person and day."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    guideline = models.ForeignKey(Guideline, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "sent_on"], name="one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"Reminded {self.person} on {self.sent_on}"


def reminded_today(person_ids, today: date) -> set[int]:
    return set(
        ReminderLog.objects.filter(person_id__in=person_ids, sent_on=today).values_list(
            "person_id", flat=True
        )
    )
