"""On PostgreSQL, the database itself refuses to change or delete a signed
agreement version, its sections, or any signature (the models refuse too; this
also stops a direct SQL UPDATE). SQLite relies on the models alone."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION onboarding_refuse_signed_version_change() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM onboarding_signature WHERE version_id = OLD.id) THEN
        RAISE EXCEPTION 'agreement version % is signed and cannot change', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION onboarding_refuse_signed_section_change() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM onboarding_signature WHERE version_id = OLD.version_id) THEN
        RAISE EXCEPTION 'a section of signed agreement version % cannot change', OLD.version_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION onboarding_refuse_signature_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'signature % cannot be changed or deleted', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER onboarding_agreementversion_signed
    BEFORE UPDATE OR DELETE ON onboarding_agreementversion
    FOR EACH ROW EXECUTE FUNCTION onboarding_refuse_signed_version_change();
CREATE TRIGGER onboarding_agreementsection_signed
    BEFORE UPDATE OR DELETE ON onboarding_agreementsection
    FOR EACH ROW EXECUTE FUNCTION onboarding_refuse_signed_section_change();
CREATE TRIGGER onboarding_signature_immutable
    BEFORE UPDATE OR DELETE ON onboarding_signature
    FOR EACH ROW EXECUTE FUNCTION onboarding_refuse_signature_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS onboarding_signature_immutable ON onboarding_signature;
DROP TRIGGER IF EXISTS onboarding_agreementsection_signed ON onboarding_agreementsection;
DROP TRIGGER IF EXISTS onboarding_agreementversion_signed ON onboarding_agreementversion;
DROP FUNCTION IF EXISTS onboarding_refuse_signature_change();
DROP FUNCTION IF EXISTS onboarding_refuse_signed_section_change();
DROP FUNCTION IF EXISTS onboarding_refuse_signed_version_change();
"""


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases (SQLite in development)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0002_role_agreements")]

    operations = [PostgresOnlySQL(FORWARD, BACKWARD)]
