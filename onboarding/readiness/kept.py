"""What the readiness pages keep in Django's cache, and the key they keep it under.

Counting a school's readiness (its acknowledgments, class sections, visits, events)
is most of the cost of the pages that show it, so they keep what they show in
Django's cache (the database cache: every app server reads the same): the district
table its figures (district.py); the principal's home, the readiness dashboard and
the supervisor's table their rendered fragments (`{% cache %}`, read with the
`Fragment` their view passes).

The key is derived from the data it is counted from: each school's newest audit
event (every change that matters writes one, for each school it concerns), each
school's local date (the school year, who is overdue), and what else the page
shows beside the schools' data (the month of the engagement figures, the
supervisor's officers). A change made through the site therefore shows at the next
request; what only time or a change made outside the site changes (an event that
started is no longer upcoming, a person's new name) shows within KEPT_FOR, as does a
change whose transaction commits after a later event of the same school was read
(two writes to one school at the same moment, the earlier one finishing last).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from onboarding.audit.models import AuditEvent

KEPT_FOR = 60  # seconds


def newest_event(school: str = "pk") -> Subquery:
    """The id of the newest audit event of the school that `school` (a field of the
    outer query) names: annotate it as the `last_change` of `school_version`."""
    return Subquery(
        AuditEvent.objects.filter(school=OuterRef(school))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )


def school_version(school, last_change: int | None) -> tuple[int, int | None, str]:
    """What a school's kept readiness is kept for: the school, its newest audit
    event and its local date."""
    return school.pk, last_change, timezone.localdate(timezone=school.zone).isoformat()


def key(*parts) -> str:
    """A cache key of `parts` (school versions, and what else the page shows)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Fragment:
    """A fragment of a page kept rendered: its template reads `{% cache
    fragment.seconds "name" fragment.key %}` around what it shows of
    `fragment.content`, which is computed only when the fragment is not kept. Only
    what is the same for everyone who may see the fragment goes in it (no CSRF
    token, nothing of the person reading)."""

    key: str
    content: object
    seconds: int = KEPT_FOR


def fragment(compute: Callable[[], object], *key_parts) -> Fragment:
    return Fragment(key(*key_parts), SimpleLazyObject(compute))
