"""On PostgreSQL, more refusals by the database itself (issue 14), beside the row
triggers of migration 0003, which do not fire on TRUNCATE:

- TRUNCATE of the signatures, the versions, their sections and the audit log is
  refused (a statement-level trigger) unless the session has set
  `sro.allow_truncate` to 'on': only the test suite's teardown does (Django's
  `flush` truncates every table after a transactional test; tests/settings.py);
- a section cannot be added to (or moved into) a signed version;
- a signed agreement's status and current version change only through the signing
  workflow (onboarding/agreements/signing.py sets `sro.signing` for its own
  transaction), and no agreement becomes active or superseded otherwise;
- the audit log is append-only: no DELETE, and no UPDATE except the one the
  product makes itself when a person or a school is deleted (their id is set to
  NULL in the events that named them; nothing else of the event may change).

These stop accidental and naive writes (a console session, a migration gone wrong,
a script). They do not stop a determined writer: any session can set the flags, and
the tables' owner can disable the triggers. What holds against that writer is the
signatures' seal (a key the database never holds) and the audit log's hash chain:
see the README, Tamper evidence."""

from importlib import import_module

from django.db import migrations

PostgresOnlySQL = import_module(
    "onboarding.migrations.0003_agreement_immutability_triggers"
).PostgresOnlySQL

FORWARD = """
CREATE OR REPLACE FUNCTION onboarding_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('sro.allow_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'table % keeps a permanent record and cannot be truncated', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER onboarding_signature_no_truncate
    BEFORE TRUNCATE ON onboarding_signature
    FOR EACH STATEMENT EXECUTE FUNCTION onboarding_refuse_truncate();
CREATE TRIGGER onboarding_agreementversion_no_truncate
    BEFORE TRUNCATE ON onboarding_agreementversion
    FOR EACH STATEMENT EXECUTE FUNCTION onboarding_refuse_truncate();
CREATE TRIGGER onboarding_agreementsection_no_truncate
    BEFORE TRUNCATE ON onboarding_agreementsection
    FOR EACH STATEMENT EXECUTE FUNCTION onboarding_refuse_truncate();
CREATE TRIGGER onboarding_auditevent_no_truncate
    BEFORE TRUNCATE ON onboarding_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION onboarding_refuse_truncate();

CREATE OR REPLACE FUNCTION onboarding_refuse_section_into_signed() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM onboarding_signature WHERE version_id = NEW.version_id) THEN
        RAISE EXCEPTION 'agreement version % is signed: no section can be added', NEW.version_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER onboarding_agreementsection_into_signed
    BEFORE INSERT OR UPDATE OF version_id ON onboarding_agreementsection
    FOR EACH ROW EXECUTE FUNCTION onboarding_refuse_section_into_signed();

CREATE OR REPLACE FUNCTION onboarding_guard_signed_agreement() RETURNS trigger AS $$
BEGIN
    IF (OLD.status IS DISTINCT FROM NEW.status
            OR OLD.current_version_id IS DISTINCT FROM NEW.current_version_id)
        AND (OLD.status IN ('active', 'superseded') OR NEW.status IN ('active', 'superseded'))
        AND coalesce(current_setting('sro.signing', true), '') <> 'on' THEN
        RAISE EXCEPTION 'agreement %: only signing changes a signed agreement''s status or version',
            OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER onboarding_agreement_signed_status
    BEFORE UPDATE ON onboarding_agreement
    FOR EACH ROW EXECUTE FUNCTION onboarding_guard_signed_agreement();

CREATE OR REPLACE FUNCTION onboarding_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
        AND (NEW.school_id IS NULL OR NEW.school_id = OLD.school_id)
        AND (to_jsonb(NEW) - 'actor_id' - 'school_id')
            = (to_jsonb(OLD) - 'actor_id' - 'school_id') THEN
        -- A deleted person or school: the events that named them stay, without the id.
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: event % cannot be changed or deleted', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER onboarding_auditevent_append_only
    BEFORE UPDATE OR DELETE ON onboarding_auditevent
    FOR EACH ROW EXECUTE FUNCTION onboarding_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS onboarding_auditevent_append_only ON onboarding_auditevent;
DROP FUNCTION IF EXISTS onboarding_audit_append_only();
DROP TRIGGER IF EXISTS onboarding_agreement_signed_status ON onboarding_agreement;
DROP FUNCTION IF EXISTS onboarding_guard_signed_agreement();
DROP TRIGGER IF EXISTS onboarding_agreementsection_into_signed ON onboarding_agreementsection;
DROP FUNCTION IF EXISTS onboarding_refuse_section_into_signed();
DROP TRIGGER IF EXISTS onboarding_auditevent_no_truncate ON onboarding_auditevent;
DROP TRIGGER IF EXISTS onboarding_agreementsection_no_truncate ON onboarding_agreementsection;
DROP TRIGGER IF EXISTS onboarding_agreementversion_no_truncate ON onboarding_agreementversion;
DROP TRIGGER IF EXISTS onboarding_signature_no_truncate ON onboarding_signature;
DROP FUNCTION IF EXISTS onboarding_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0010_exports")]

    operations = [PostgresOnlySQL(FORWARD, BACKWARD)]
