"""Issue 14: what plain SQL could still do to a signed agreement and the audit log,
replayed on PostgreSQL; each is now refused by the database (migration 0011)."""

import pytest
from django.db import DatabaseError, connection, transaction

from onboarding.agreements.models import Agreement, AgreementSection, Signature
from onboarding.audit.models import AuditEvent
from tests.factories import SHORT_SECTIONS, active_agreement, make_agreement
from tests.helpers import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db]


def _raw(sql: str, params=()) -> None:
    """As an attacker's session would: the test suite's permission to truncate
    (tests/settings.py) is turned off first."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('sro.allow_truncate', 'off', true)")
        # The test's earlier writes leave deferred checks that TRUNCATE would trip on.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "table",
    [
        "onboarding_signature",
        "onboarding_agreementversion",
        "onboarding_agreementsection",
        "onboarding_auditevent",
    ],
)
def test_truncating_a_permanent_record_is_refused(world, table):
    agreement = active_agreement(world)
    signers = agreement.parties.count()
    with pytest.raises(DatabaseError, match="cannot be truncated"):
        _raw(f"TRUNCATE {table} CASCADE")
    assert Signature.objects.filter(version=agreement.current_version).count() == signers
    assert AuditEvent.objects.filter(action="agreement.signed").count() == signers


def test_truncating_the_agreements_with_cascade_is_refused_too(world):
    signers = active_agreement(world).parties.count()
    with pytest.raises(DatabaseError, match="cannot be truncated"):
        _raw("TRUNCATE onboarding_agreement CASCADE")
    assert Signature.objects.count() == signers


def test_a_section_cannot_be_inserted_into_a_signed_version(world):
    version = active_agreement(world).current_version
    with pytest.raises(DatabaseError, match="no section can be added"):
        _raw(
            "INSERT INTO onboarding_agreementsection (version_id, key, position, title, body) "
            "VALUES (%s, 'extra', 99, 'Extra', 'The officer may search lockers.')",
            [version.pk],
        )
    draft = make_agreement(world.school, principal=world.principal, sections=SHORT_SECTIONS)
    with pytest.raises(DatabaseError, match="no section can be added"):
        _raw(
            "UPDATE onboarding_agreementsection SET version_id = %s WHERE version_id = %s",
            [version.pk, draft.current_version_id],
        )
    assert AgreementSection.objects.filter(version=version).count() == len(SHORT_SECTIONS)


def test_a_signed_agreements_status_and_version_cannot_be_changed_by_sql(world):
    agreement = active_agreement(world)
    draft = make_agreement(world.school, principal=world.principal, sections=SHORT_SECTIONS)
    with pytest.raises(DatabaseError, match="only signing changes"):
        _raw("UPDATE onboarding_agreement SET status = 'draft' WHERE id = %s", [agreement.pk])
    with pytest.raises(DatabaseError, match="only signing changes"):
        _raw(
            "UPDATE onboarding_agreement SET current_version_id = %s WHERE id = %s",
            [draft.current_version_id, agreement.pk],
        )
    # Nor can an unsigned draft be declared active.
    with pytest.raises(DatabaseError, match="only signing changes"):
        _raw("UPDATE onboarding_agreement SET status = 'active' WHERE id = %s", [draft.pk])
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE
    # Other fields still change (the review date, by its own workflow).
    _raw("UPDATE onboarding_agreement SET title = 'Renamed' WHERE id = %s", [agreement.pk])


def test_the_signing_workflow_still_activates_and_supersedes(world):
    from onboarding.agreements import signing, workflows
    from tests.factories import sign_all

    old = active_agreement(world)
    amendment = workflows.agreement_amend(agreement=old, actor=world.principal)
    signing.agreement_send_for_signing(agreement=amendment, actor=world.principal)
    sign_all(amendment)
    old.refresh_from_db()
    assert (amendment.status, old.status) == ("active", "superseded")


def test_the_audit_log_is_append_only(world):
    active_agreement(world)
    event = AuditEvent.objects.filter(action="agreement.signed").first()
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE onboarding_auditevent SET summary = 'nothing' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(
            "UPDATE onboarding_auditevent SET actor_id = NULL, summary = 'x' WHERE id = %s",
            [event.pk],
        )
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM onboarding_auditevent WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert "signed version" in event.summary


def test_deleting_a_person_keeps_their_events_without_their_id(world):
    from tests.factories import UserFactory

    person = UserFactory()
    AuditEvent.record(action="test.done", summary="Did a thing", actor=person, school=world.school)
    person.delete()
    event = AuditEvent.objects.get(action="test.done")
    assert (event.actor_id, event.school_id, event.summary) == (
        None,
        world.school.pk,
        "Did a thing",
    )
