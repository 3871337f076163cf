"""Issue 14: the audit log is a hash chain; `audit_verify` says where it breaks,
`audit_export` writes it as JSON Lines with the hashes."""

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from onboarding.audit import chain
from onboarding.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _events(world, n=4):
    return [
        AuditEvent.record(
            action="test.done",
            summary=f"Did thing {i}",
            actor=world.principal,
            school=world.school,
            note={"n": i, "words": "é"},
        )
        for i in range(n)
    ]


def _verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def _raw(sql, params):
    """As someone with rights over the table would (the append-only trigger off)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE onboarding_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)


def test_each_event_links_to_the_one_before(world):
    events = _events(world)
    for before, after in zip(events, events[1:], strict=False):
        assert after.previous_hash == before.hash
    assert _verify().startswith("Intact: ")
    assert events[-1].hash in _verify()


def test_a_changed_event_breaks_the_chain_there(world):
    events = _events(world)
    _raw("UPDATE onboarding_auditevent SET summary = 'Nothing' WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"event #{events[1].pk} .* was changed"):
        _verify()


def test_a_deleted_event_breaks_the_chain_at_the_next(world):
    events = _events(world)
    _raw("DELETE FROM onboarding_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"event #{events[2].pk} .* does not link"):
        _verify()


def test_the_export_has_every_event_with_its_hashes_and_rechecks(world, tmp_path):
    _events(world)
    path = tmp_path / "audit.jsonl"
    call_command("audit_export", output=str(path))
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == AuditEvent.objects.count()
    previous = ""
    for row in rows:
        assert row["previous_hash"] == previous
        fields = {k: row[k] for k in chain.fields_of(AuditEvent.objects.get(pk=row["id"]))}
        canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert hashlib.sha256((previous + canonical).encode()).hexdigest() == row["hash"]
        previous = row["hash"]


def _page(client, district):
    from django.urls import reverse

    return client.get(reverse("audit_chain", args=[district.pk])).content.decode()


def test_the_district_admin_page_says_intact_then_where_it_breaks(world, client_for):
    events = _events(world)
    client = client_for(world.district_admin)
    assert "Intact." in _page(client, world.district)
    _raw("UPDATE onboarding_auditevent SET summary = 'Nothing' WHERE id = %s", [events[2].pk])
    page = _page(client, world.district)
    assert f"Broken.</strong> Event number {events[2].pk}" in page
    assert "was changed after it was written" in page
    assert "Nothing" in page  # the admin's own district's event


def test_the_page_does_not_show_another_districts_event(world, client_for):
    from tests.factories import SchoolFactory

    elsewhere = SchoolFactory()
    event = AuditEvent.record(action="test.done", summary="Secret elsewhere", school=elsewhere)
    _raw("UPDATE onboarding_auditevent SET summary = 'Changed' WHERE id = %s", [event.pk])
    page = _page(client_for(world.district_admin), world.district)
    assert f"Event number {event.pk}" in page
    assert "Changed" not in page and "Secret elsewhere" not in page
    assert "does not concern a school of" in page
