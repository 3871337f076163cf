"""The audit log as a hash chain: each event carries the hash of the event before
it (`previous_hash`) and its own (`hash`), the SHA-256 of the previous hash and the
event's fields as canonical JSON. Changing, removing or inserting an event breaks
the chain from there on (`verify`); someone who rewrites the whole chain from an
event onwards is caught by comparing with an export or a hash noted earlier
(`manage.py audit_export`, the newest hash that `manage.py audit_verify` prints).

Who did it and at which school (`actor_id`, `school_id`) are not hashed: the
product itself clears them when the person or the school is deleted (the event's
summary, which is hashed, names them)."""

import hashlib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

# Any constant: the key of the transaction-level lock that orders audit writes.
LOCK = 7_314_001


def fields_of(event) -> dict:
    return {
        "created_at": event.created_at.astimezone(UTC).isoformat(),
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "summary": event.summary,
        "data": event.data,
        # As the database gives it back (PostgreSQL writes IPv6 in its own form).
        "ip_address": str(ipaddress.ip_address(event.ip_address)) if event.ip_address else "",
    }


def hash_of(event, previous_hash: str) -> str:
    canonical = json.dumps(
        fields_of(event),
        cls=DjangoJSONEncoder,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256((previous_hash + canonical).encode("utf-8")).hexdigest()


def lock() -> None:
    """Wait for the other audit writes in progress, until this transaction ends:
    two writers at once would both chain to the same event and fork the chain. On
    SQLite, writes are one at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])


@dataclass(frozen=True)
class Verdict:
    checked: int
    newest_hash: str
    broken_at: int | None = None  # the first event whose hash or link fails
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(events: Iterator) -> Verdict:
    """Walk `events` (every event, by id) and say where the chain first breaks."""
    previous, checked = "", 0
    for event in events:
        checked += 1
        if event.previous_hash != previous:
            return Verdict(checked, previous, event.pk, "does not link to the event before it")
        if event.hash != hash_of(event, previous):
            return Verdict(checked, previous, event.pk, "was changed after it was written")
        previous = event.hash
    return Verdict(checked, previous)
