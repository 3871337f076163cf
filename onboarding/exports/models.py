"""An export: one file the worker builds on request (a binder PDF, the district's
readiness CSV, every binder of a district as a ZIP), where its build stands, and the
file once it is ready.

A file is kept for the day: asking again the same day for the same thing (`key`)
offers the one already built; "Build again" makes a new one. `exports_sweep`
deletes files older than EXPORT_KEEP_HOURS. At most one build of the same thing
waits or runs at a time (a unique constraint on `key` while queued or building),
so two clicks at once start one build.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import filesizeformat, pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import get_default_timezone


class ExportQuerySet(models.QuerySet):
    def building(self):
        return self.filter(state__in=[Export.State.QUEUED, Export.State.BUILDING])

    def kept(self, key: str, day: date):
        """What to offer instead of a new build: the build of the same thing that
        waits or runs, else the newest one ready today."""
        return (
            self.filter(key=key)
            .filter(
                Q(state__in=[Export.State.QUEUED, Export.State.BUILDING])
                | Q(state=Export.State.READY, day=day)
            )
            .order_by("-created_at", "-pk")
        )


class Export(models.Model):
    class Kind(models.TextChoices):
        BINDER = "binder", "Evidence binder (PDF)"
        READINESS_CSV = "readiness_csv", "Readiness of every school (CSV)"
        BINDERS_ZIP = "binders_zip", "Every school's evidence binder (ZIP)"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # A binder is a school's; the CSV and the ZIP are a district's.
    school = models.ForeignKey(
        "onboarding.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    district = models.ForeignKey(
        "onboarding.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)  # school year's start
    sort = models.CharField(max_length=40, blank=True)  # the CSV's order, as the table's
    # What it is, whoever asked: the same key is the same file (kind:target:year:sort).
    key = models.CharField(max_length=120)
    day = models.DateField()  # the target's local date when it was asked for
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=1)
    error = models.CharField(max_length=500, blank=True)
    file = models.FileField(upload_to="exports/%Y-%m-%d/", blank=True)
    filename = models.CharField(max_length=200, blank=True)  # the name it downloads as
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["key", "-created_at"], name="export_key_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(state__in=["queued", "building"]),
                name="export_one_build_at_a_time",
            ),
            models.CheckConstraint(
                condition=Q(school__isnull=False, district__isnull=True)
                | Q(school__isnull=True, district__isnull=False),
                name="export_school_or_district",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("export_detail", args=[self.pk])

    @staticmethod
    def key_for(kind: str, *, school=None, district=None, year=None, sort: str = "") -> str:
        target = f"school-{school.pk}" if school is not None else f"district-{district.pk}"
        return f"{kind}:{target}:{year or ''}:{sort}"

    @staticmethod
    def today_for(school=None) -> date:
        """A school's exports count days in its zone; a district's in the site's, as
        the district table counts its month."""
        zone = school.zone if school is not None else get_default_timezone()
        return timezone.localdate(timezone=zone)

    @property
    def is_building(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.BUILDING)

    @property
    def target_name(self) -> str:
        return (self.school or self.district).name

    @property
    def size_label(self) -> str:
        return filesizeformat(self.size)

    @property
    def progress_text(self) -> str:
        """Where the build stands, in the words the page and its status say."""
        if self.state == self.State.QUEUED:
            return "Waiting for the worker to start."
        if self.state == self.State.BUILDING:
            if self.kind == self.Kind.BINDERS_ZIP:
                return f"Building {self.total} binder{pluralize(self.total)}: {self.done} done."
            return f"Building the {'binder' if self.kind == self.Kind.BINDER else 'table'}."
        if self.state == self.State.READY:
            return f"Ready: {self.filename} ({self.size_label})."
        return f"Failed: {self.error}"

    def kept_until(self):
        return self.created_at + timedelta(hours=settings.EXPORT_KEEP_HOURS)
