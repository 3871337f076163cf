"""On PostgreSQL the database itself refuses to change a signed agreement version
or a signature; the verification page catches text altered behind its back."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from onboarding.agreements.models import AgreementVersion, Signature
from tests.factories import SHORT_SECTIONS, active_agreement, make_agreement

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The immutability triggers exist on PostgreSQL only (the migration skips SQLite); "
    "run with DATABASE_URL=postgres://... to check them.",
)


def _raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_raw_update_of_a_signed_versions_text_fails(world):
    version = active_agreement(world).current_version
    with pytest.raises(DatabaseError, match="is signed and cannot change"):
        _raw("UPDATE onboarding_agreementversion SET text = %s WHERE id = %s", ["x", version.pk])
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM onboarding_agreementversion WHERE id = %s", [version.pk])
    with pytest.raises(DatabaseError):
        _raw(
            "UPDATE onboarding_agreementsection SET body = %s WHERE version_id = %s",
            ["x", version.pk],
        )
    signature = Signature.objects.filter(version=version).first()
    with pytest.raises(DatabaseError, match="cannot be changed or deleted"):
        _raw("UPDATE onboarding_signature SET typed_name = %s WHERE id = %s", ["x", signature.pk])
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM onboarding_signature WHERE id = %s", [signature.pk])
    assert AgreementVersion.objects.get(pk=version.pk).text == version.text


def test_an_unsigned_version_may_still_be_updated_by_the_database(world):
    draft = make_agreement(world.school, principal=world.principal, sections=SHORT_SECTIONS)
    version = draft.current_version
    _raw("UPDATE onboarding_agreementversion SET note = %s WHERE id = %s", ["n", version.pk])
    assert AgreementVersion.objects.get(pk=version.pk).note == "n"


def test_the_verification_page_flags_text_altered_with_the_trigger_disabled(world, client_for):
    agreement = active_agreement(world)
    version = agreement.current_version
    url = reverse("agreement_verify", args=[world.school.pk, agreement.pk, version.number])
    client = client_for(world.principal)
    assert client.get(url).context["intact"] is True
    # Someone with database rights switches the guard off and edits the text. The
    # test's transaction rolls this back, trigger included.
    with connection.cursor() as cursor:
        # Deferred foreign-key checks of this transaction must run before ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE onboarding_agreementversion "
            "DISABLE TRIGGER onboarding_agreementversion_signed"
        )
        cursor.execute(
            "UPDATE onboarding_agreementversion SET text = replace(text, %s, %s) WHERE id = %s",
            ["one year", "ten years", version.pk],
        )
    response = client.get(url)
    assert response.context["intact"] is False
    assert "Altered." in response.content.decode()
