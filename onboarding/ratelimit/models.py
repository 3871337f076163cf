from datetime import UTC, datetime, timedelta

from django.db import models, transaction
from django.utils import timezone

# Counters of windows this old are of no use any more.
KEEP = timedelta(days=1)


class RateCounter(models.Model):
    """How many times something was asked for under one key (an address, a client's
    network address) in one fixed time window. In the database, so that every app
    server counts the same requests (the cache of a process would not)."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField(db_index=True)
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="one_rate_counter")
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.hits}"

    @classmethod
    def count(cls, key: str, *, window_seconds: int, amount: int = 1) -> int:
        """Count `amount` more (a request; or the places a family asks for) under
        `key` and return the window's count so far, this one included.

        The increment is one UPDATE and the count is read back in the same
        transaction, while the row stays locked by that UPDATE: two servers counting
        the same key at once queue on the row and get different numbers, so no more
        than the limit ever pass."""
        now = timezone.now()
        start = datetime.fromtimestamp(
            int(now.timestamp()) // window_seconds * window_seconds, tz=UTC
        )
        key = key[:200]
        with transaction.atomic():
            counter, created = cls.objects.get_or_create(key=key, window_start=start)
            if created:
                cls.objects.filter(window_start__lt=now - KEEP).delete()
            cls.objects.filter(pk=counter.pk).update(hits=models.F("hits") + amount)
            return cls.objects.filter(pk=counter.pk).values_list("hits", flat=True).get()


def within_limit(key: str, *, limit: int, window_seconds: int, amount: int = 1) -> bool:
    """Count a request (or `amount`); False once `key` went over `limit` in this
    window."""
    return RateCounter.count(key, window_seconds=window_seconds, amount=amount) <= limit
