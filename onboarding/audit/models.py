from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onboarding.people.models import User
from onboarding.schools.models import School


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
        readiness_of=None,
        **data,
    ) -> "AuditEvent":
        """Write the event and, in the same transaction, bump the readiness version
        of the schools the change may affect: the event's school, plus
        `readiness_of` (a queryset of schools) where the change reaches further (a
        person of several schools acknowledging a district-wide guideline). An event
        without a school bumps the schools of the target's district, or every school
        when the target names none (district-wide and rare)."""
        if request is not None and actor is None and request.user.is_authenticated:
            actor = request.user
        event = cls.objects.create(
            action=action,
            summary=summary[:300],
            actor=actor,
            school=school,
            target_type=target._meta.label if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            data=data,
            ip_address=client_ip(request) if request is not None else None,
        )
        if action not in READINESS_UNCHANGED:
            if school is not None:
                changed = School.objects.filter(pk=school.pk)
                if readiness_of is not None:
                    # One statement, so that the rows are locked in one go.
                    changed = School.objects.filter(Q(pk=school.pk) | Q(pk__in=readiness_of))
            elif readiness_of is not None:
                changed = School.objects.filter(pk__in=readiness_of)
            elif getattr(target, "district_id", None) is not None:
                changed = School.objects.filter(district_id=target.district_id)
            else:
                changed = School.objects.all()
            changed.readiness_changed()
        return event


# Audited actions that change nothing a school's readiness reads, and which come
# without a school (so would otherwise bump every school): signing in, above all.
READINESS_UNCHANGED = {
    "account.signed_in",
    "agency.created",
    "agreement_template.section_saved",
    "agreement_template.section_removed",
    "event.family_contacts_purged",
    "introductions.feed_regenerate",
}


def client_ip(request) -> str | None:
    """The address a request came from (the last proxy hop when behind one)."""
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None
