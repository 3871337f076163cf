from django.db import models

from onboarding.schools.models import School


class ReadinessSnapshot(models.Model):
    """A school's readiness as `readiness.readiness_for` last computed it, and its
    engagement figures of the month, kept so that the pages that show them read one
    row instead of computing them on every request. `readiness.kept_readiness_for`
    and `kept_rows_for` read it while it is valid (same readiness version as the
    school, same local day, recent enough) and compute it again otherwise."""

    school = models.OneToOneField(
        School, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveIntegerField()  # the school's readiness_version it was computed at
    day = models.DateField()  # the school's local date it was computed for
    computed_at = models.DateTimeField()
    with_names = models.BooleanField()  # whether it names who is overdue
    data = models.BinaryField()  # the pickled SchoolReadiness, without its school
    # The month of the engagement figures kept with it, and the pickled
    # ReadinessRow (what the lists of schools show, with those figures).
    month = models.DateField(null=True)
    row = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return f"Readiness of school {self.school_id} (version {self.version}, {self.day})"
