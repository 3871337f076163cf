import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


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
