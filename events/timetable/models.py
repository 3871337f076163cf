"""A school's timetable: its bell schedule (periods), class sections, and the days
without introductions (blackout dates).
"""

from datetime import UTC, date, datetime

from django.conf import settings
from django.db import models

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
