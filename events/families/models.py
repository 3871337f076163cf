from django.db import models

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
