"""Bell schedules, class sections, introduction visits; events and invitations."""

import hashlib
import secrets
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from onboarding.models import School, User

# ============================================================================
# Class introductions: bell schedules, class sections, availability, visits.
# ============================================================================

WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WEEKDAY_CHOICES = [(str(i), name) for i, name in enumerate(WEEKDAY_NAMES)]
SCHOOL_WEEK = "01234"


def weekday_label(days: str) -> str:
    return ", ".join(WEEKDAY_NAMES[int(d)] for d in sorted(set(days)))


class Period(models.Model):
    """One period of a school's bell schedule, on the weekdays it runs."""

    school = models.ForeignKey(
        "onboarding.School", on_delete=models.CASCADE, related_name="periods"
    )
    name = models.CharField(max_length=40, help_text="For example: Period 2")
    position = models.PositiveSmallIntegerField(default=1, help_text="Order in the day")
    start_time = models.TimeField()
    end_time = models.TimeField()
    # Weekday digits, Monday = 0: "01234" is Monday to Friday.
    weekdays = models.CharField(max_length=7, default=SCHOOL_WEEK)

    class Meta:
        ordering = ["position", "start_time"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="one_period_name_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_time:%H:%M}–{self.end_time:%H:%M})"

    @property
    def weekday_label(self) -> str:
        return weekday_label(self.weekdays)

    def runs_on(self, day: date) -> bool:
        return str(day.weekday()) in self.weekdays

    def bounds(self, day: date, zone) -> tuple[datetime, datetime]:
        """Start and end in UTC of this period on `day`, in the school's zone."""
        start = datetime.combine(day, self.start_time, tzinfo=zone)
        end = datetime.combine(day, self.end_time, tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)


class BlackoutDate(models.Model):
    """A day without introductions: a holiday, a testing day."""

    school = models.ForeignKey(
        "onboarding.School", on_delete=models.CASCADE, related_name="blackout_dates"
    )
    date = models.DateField()
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="one_blackout_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}".strip()


class ClassSectionQuerySet(models.QuerySet):
    def for_school(self, school):
        return self.filter(school=school).select_related("period", "teacher")


class ClassSection(models.Model):
    """A class the officer should meet. A size, never a student's name."""

    school = models.ForeignKey(
        "onboarding.School", on_delete=models.CASCADE, related_name="class_sections"
    )
    # The key a re-import updates by: OneRoster sourcedId or the simple CSV's code.
    code = models.CharField(max_length=100)
    name = models.CharField(max_length=150)
    course = models.CharField(max_length=150, blank=True)
    grade = models.CharField(max_length=20, blank=True)
    period = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.SET_NULL, related_name="sections"
    )
    # Blank: the class meets whenever its period runs.
    weekdays = models.CharField(max_length=7, blank=True)
    room = models.CharField(max_length=50, blank=True)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="class_sections",
    )
    size = models.PositiveSmallIntegerField(default=0, help_text="Number of students")

    objects = ClassSectionQuerySet.as_manager()

    class Meta:
        ordering = ["period__position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="one_section_code_per_school")
        ]

    def __str__(self) -> str:
        return self.name

    def meets_on(self, day: date) -> bool:
        if self.period is None or not self.period.runs_on(day):
            return False
        return not self.weekdays or str(day.weekday()) in self.weekdays

    @property
    def weekday_label(self) -> str:
        if self.weekdays:
            return weekday_label(self.weekdays)
        return self.period.weekday_label if self.period else ""


class Availability(models.Model):
    """A block of time an officer can give to introductions at one school."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability"
    )
    school = models.ForeignKey(
        "onboarding.School", on_delete=models.CASCADE, related_name="officer_availability"
    )
    weekday = models.PositiveSmallIntegerField(
        choices=[(i, n) for i, n in enumerate(WEEKDAY_NAMES)]
    )
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name_plural = "availability"

    def __str__(self) -> str:
        return f"{WEEKDAY_NAMES[self.weekday]} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def covers(self, period: Period) -> bool:
        return self.start_time <= period.start_time and period.end_time <= self.end_time

    def clashes(self) -> "Availability | None":
        """A block of the same officer that overlaps this one, or that leaves less
        than the travel buffer when the two are at different schools."""
        buffer = timedelta(minutes=settings.INTRODUCTIONS_TRAVEL_BUFFER_MINUTES)
        day = date(2000, 1, 3)  # any Monday: only times of day are compared
        start = datetime.combine(day, self.start_time)
        end = datetime.combine(day, self.end_time)
        others = Availability.objects.filter(officer=self.officer, weekday=self.weekday).exclude(
            pk=self.pk
        )
        for other in others.select_related("school"):
            gap = buffer if other.school_id != self.school_id else timedelta(0)
            other_start = datetime.combine(day, other.start_time)
            other_end = datetime.combine(day, other.end_time)
            if start < other_end + gap and other_start < end + gap:
                return other
        return None


class IntroductionPlan(models.Model):
    """The principal's settings for one school's introductions, and the last run."""

    class Selection(models.TextChoices):
        ALL = "all", "All sections"
        GRADES = "grades", "Sections of some grades"
        PERIODS = "periods", "Sections of some periods"
        HAND = "hand", "Sections chosen by hand"

    school = models.OneToOneField(
        "onboarding.School", on_delete=models.CASCADE, related_name="introduction_plan"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    daily_limit = models.PositiveSmallIntegerField(
        default=4, help_text="Most visits one officer makes at this school on one day"
    )
    selection = models.CharField(max_length=10, choices=Selection.choices, default=Selection.ALL)
    grades = models.CharField(max_length=100, blank=True, help_text="Comma separated, e.g. 9, 10")
    periods = models.ManyToManyField(Period, blank=True, related_name="+")
    sections = models.ManyToManyField(ClassSection, blank=True, related_name="+")
    last_run_at = models.DateTimeField(null=True, blank=True)
    # [{"section": id, "reason": "..."}] from the last run.
    unplaced = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Introductions at {self.school}"

    @property
    def grade_list(self) -> list[str]:
        return [g.strip() for g in self.grades.split(",") if g.strip()]

    def participating_sections(self):
        sections = ClassSection.objects.filter(school=self.school)
        if self.selection == self.Selection.GRADES:
            return sections.filter(grade__in=self.grade_list)
        if self.selection == self.Selection.PERIODS:
            return sections.filter(period__in=self.periods.all())
        if self.selection == self.Selection.HAND:
            return sections.filter(pk__in=self.sections.all())
        return sections

    def takes_part(self, section) -> bool:
        """The same choice as participating_sections(), for one section already in
        memory (prefetch `periods` and `sections` to test many without queries)."""
        if self.selection == self.Selection.GRADES:
            return section.grade in self.grade_list
        if self.selection == self.Selection.PERIODS:
            return section.period_id in {p.pk for p in self.periods.all()}
        if self.selection == self.Selection.HAND:
            return section.pk in {s.pk for s in self.sections.all()}
        return True

    def school_days(self, from_day: date | None = None) -> list[date]:
        """Weekdays of the window that are not blackout dates, from `from_day` on."""
        blackout = set(self.school.blackout_dates.values_list("date", flat=True))
        days, day = [], max(self.start_date, from_day or self.start_date)
        while day <= self.end_date:
            if day not in blackout and day.weekday() < 5:
                days.append(day)
            day += timedelta(days=1)
        return days


class SlotPick(models.Model):
    """A teacher's preferred slot for a section, honoured by the scheduler when it can."""

    section = models.OneToOneField(ClassSection, on_delete=models.CASCADE, related_name="pick")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField()
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.section} on {self.date}"


ACTIVE_VISIT = ["planned", "confirmed", "done"]


class VisitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_VISIT)

    def with_details(self):
        return self.select_related("school", "section", "section__teacher", "period", "officer")


class Visit(models.Model):
    """The officer in a class during its period: a two-way introduction."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        CONFIRMED = "confirmed", "Confirmed"
        DONE = "done", "Done"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    school = models.ForeignKey("onboarding.School", on_delete=models.CASCADE, related_name="visits")
    section = models.ForeignKey(ClassSection, on_delete=models.CASCADE, related_name="visits")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introduction_visits"
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="visits")
    date = models.DateField()
    starts_at = models.DateTimeField()  # UTC
    ends_at = models.DateTimeField()  # UTC
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    student_questions = models.TextField(
        blank=True, help_text="Questions the students want to ask. No student names."
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            # The database itself refuses a double-booked officer or a class visited twice.
            models.UniqueConstraint(
                fields=["officer", "starts_at"],
                condition=models.Q(status__in=ACTIVE_VISIT),
                name="officer_one_active_visit_at_a_time",
            ),
            models.UniqueConstraint(
                fields=["section"],
                condition=models.Q(status__in=ACTIVE_VISIT),
                name="section_one_active_visit",
            ),
        ]
        indexes = [
            models.Index(fields=["officer", "starts_at"]),
            # An officer's active visits of some days (the week view): only those rows.
            models.Index(
                fields=["officer", "date", "starts_at"],
                condition=models.Q(status__in=ACTIVE_VISIT),
                name="visit_officer_active_day_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section} on {self.date}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_VISIT

    # Wall-clock times at the school, naive on purpose: templates show them as they
    # are, whatever time zone is active (an officer's schools may differ).
    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.school.zone).replace(tzinfo=None)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.school.zone).replace(tzinfo=None)


class OfficerFeed(models.Model):
    """The secret link of an officer's calendar feed. Regenerating it replaces the
    token, so the old link stops working."""

    officer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introduction_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.officer}"

    @classmethod
    def for_officer(cls, officer) -> "OfficerFeed":
        feed = cls.objects.filter(officer=officer).first()
        return feed or cls.objects.create(officer=officer, token=secrets.token_urlsafe(32))

    def regenerate(self) -> None:
        self.token = secrets.token_urlsafe(32)
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])


# (introductions models above this line)
#
#
#
# ============================================================================
# Events and invitations: events, invitations, family sign-ups, class talks.
# ============================================================================


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
        """Events this person said they are going to (for the officer's iCalendar feed)."""
        return self.active().filter(
            invitations__user=officer, invitations__answer=EventInvitation.Answer.GOING
        )

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


class FamilySignup(models.Model):
    """A family's sign-up on an event's public page. Contact data is deleted
    FAMILY_DATA_RETENTION_DAYS after the event (see purge_family_contacts)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="family_signups")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    party_size = models.PositiveSmallIntegerField(default=1)
    cancel_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name or 'Family'} ({self.party_size}) for {self.event}"


class PublicPageCounter(models.Model):
    """Requests to a public page per client address, event and time window. Kept in
    the database because several app servers share it (the cache is per process)."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%H:%M}: {self.hits}"

    @classmethod
    def hit(cls, key: str, *, limit: int, window_seconds: int) -> bool:
        """Count one request; False when the key went over `limit` in this window."""
        now = timezone.now()
        start = datetime.fromtimestamp(
            int(now.timestamp()) // window_seconds * window_seconds, tz=UTC
        )
        counter, created = cls.objects.get_or_create(
            key=key[:200], window_start=start, defaults={"hits": 1}
        )
        if created:
            return True
        cls.objects.filter(pk=counter.pk).update(hits=models.F("hits") + 1)
        counter.refresh_from_db(fields=["hits"])
        return counter.hits <= limit


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


# (events models above this line)
