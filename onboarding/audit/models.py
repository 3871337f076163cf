from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from onboarding.audit import chain
from onboarding.people.models import User
from onboarding.schools.models import School


def target_of(obj: models.Model | None) -> dict:
    """The fields that name the object an audit event or an email concerns (any
    model: its label and primary key)."""
    if obj is None:
        return {"target_type": "", "target_id": ""}
    return {"target_type": obj._meta.label, "target_id": str(obj.pk)}


class AuditEvent(models.Model):
    """Who did what, when: written for every state change that matters."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # The hash chain (onboarding/audit/chain.py).
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"

    @classmethod
    def record(
        cls,
        *,
        action: str,
        summary: str,
        actor: User | None = None,
        school: School | None = None,
        target: models.Model | None = None,
        request=None,
        **data,
    ) -> "AuditEvent":
        """Write the event (in the caller's transaction, with the change it records).

        The pages that keep figures in the cache (the district's readiness table)
        read a school's newest event to know whether its figures changed: a change
        that concerns several schools records an event for each
        (`record_for_schools`)."""
        if request is not None and actor is None and request.user.is_authenticated:
            actor = request.user
        event = cls(
            created_at=timezone.now(),
            action=action,
            summary=summary[:300],
            actor=actor,
            school=school,
            **target_of(target),
            data=data,
            ip_address=client_ip(request) if request is not None else None,
        )
        # No savepoint: the lock is held to the end of the caller's transaction anyway.
        with transaction.atomic(savepoint=False):
            chain.lock()
            event.previous_hash = (
                cls.objects.order_by("-pk").values_list("hash", flat=True).first() or ""
            )
            event.hash = chain.hash_of(event, event.previous_hash)
            event.save()
        return event

    @classmethod
    def record_for_schools(cls, schools, **event) -> list["AuditEvent"]:
        """`record` once for each of `schools`, for a change that concerns them all
        (a district-wide guideline, an acknowledgment that counts at every school of
        the person): each school's log shows it, and each school's kept figures are
        seen to have changed."""
        return [cls.record(school=school, **event) for school in schools]


def client_ip(request) -> str | None:
    """The address a request came from (the last proxy hop when behind one)."""
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None
