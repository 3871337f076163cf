from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models

from events.timetable.models import WEEKDAY_NAMES, ClassSection, Period


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
