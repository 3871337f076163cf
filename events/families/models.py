from datetime import UTC, datetime

from django.db import models
from django.utils import timezone

from events.invitations.models import Event


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
