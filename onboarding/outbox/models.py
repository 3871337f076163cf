"""Every email the product sends, as a row of the outbox.

A change that emails someone writes the email's row in its own transaction
(`workflows.email_queue`), so a change rolled back sends nothing and a committed one
always sends; the worker (`manage.py db_worker`) delivers the rows
(`delivery.deliver_due`). An email to many people (a guideline published to a
district) is a `Mailing`, written with the change and expanded into one row per
person by the worker.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone


class Mailing(models.Model):
    """One message to many people, expanded by the worker into their emails.

    `builder` is the dotted path of the function that adds the emails (it receives
    the mailing and `arguments`); the mailing is expanded once, in one transaction,
    so an expansion cut short by a crash is started again and never doubles."""

    kind = models.CharField(max_length=60)
    school = models.ForeignKey(
        "onboarding.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    builder = models.CharField(max_length=200)
    arguments = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expanded_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(
                fields=["created_at"], condition=Q(expanded_at=None), name="mailing_unexpanded_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipients} people"

    def delivery(self) -> "Delivery":
        """Where this mailing's emails stand: one query."""
        counts = dict(self.emails.values_list("state").annotate(n=Count("pk")).order_by("state"))
        return Delivery(mailing=self, counts=counts)


class Delivery:
    """What a sender sees of a mailing: how many sent, waiting and failed."""

    def __init__(self, *, mailing: Mailing, counts: dict[str, int]):
        self.mailing = mailing
        self.sent = counts.get(Email.State.SENT, 0)
        self.failed = counts.get(Email.State.FAILED, 0)
        self.waiting = sum(
            counts.get(state, 0)
            for state in (Email.State.QUEUED, Email.State.SENDING, Email.State.RETRY)
        )
        self.retrying = counts.get(Email.State.RETRY, 0)

    @property
    def expanded(self) -> bool:
        return self.mailing.expanded_at is not None

    @property
    def total(self) -> int:
        return self.mailing.recipients if self.expanded else 0

    def failures(self):
        return self.mailing.emails.filter(state=Email.State.FAILED).order_by("address")


class EmailQuerySet(models.QuerySet):
    def due(self, now=None):
        """Waiting to be sent, now."""
        now = now or timezone.now()
        return self.filter(
            state__in=[Email.State.QUEUED, Email.State.RETRY], next_attempt_at__lte=now
        )


class Email(models.Model):
    """One email to one person: its text as rendered when the change happened, and
    where its delivery stands."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        RETRY = "retry", "Failed, will retry"
        FAILED = "failed", "Failed"

    mailing = models.ForeignKey(
        Mailing, null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    kind = models.CharField(max_length=60)
    school = models.ForeignKey(
        "onboarding.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails_received",
    )
    address = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    # [{"filename", "content" (text), "mimetype"}]: the product attaches .ics files.
    attachments = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    # Its body holds a secret link (an invitation, a password reset): erased once sent.
    sensitive = models.BooleanField(default=False)

    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)  # the server's answer
    created_at = models.DateTimeField(default=timezone.now)

    objects = EmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=["queued", "retry"]),
                name="email_due_idx",
            ),
            models.Index(
                fields=["claimed_at"], condition=Q(state="sending"), name="email_sending_idx"
            ),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["claim"]),
        ]
        constraints = [
            # A mailing's expansion, run again after a crash, adds nobody twice.
            models.UniqueConstraint(
                fields=["mailing", "address"],
                condition=Q(mailing__isnull=False),
                name="one_email_per_mailing_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.address} ({self.get_state_display()})"
