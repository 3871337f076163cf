"""Issue 14: each signer receives, at signing, a receipt with the version's SHA-256,
the time they signed and the exact text they signed, so that they can check the
text later against a copy the database never held."""

import hashlib

import pytest
from django.core import mail
from django.urls import reverse

from onboarding.agreements import signing
from onboarding.agreements.models import Signature
from onboarding.outbox.models import Email
from tests.factories import SHORT_SECTIONS, make_agreement

pytestmark = pytest.mark.django_db


def test_each_signer_gets_a_receipt_whose_attachment_hashes_to_the_signed_sha256(
    world, client_for, django_capture_on_commit_callbacks
):
    agreement = make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status="signing",
        sections=SHORT_SECTIONS,
    )
    version = agreement.current_version
    first = agreement.parties.select_related("user").first()
    client = client_for(first.user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("agreement_sign", args=[world.school.pk, agreement.pk]),
            {"typed_name": first.user.full_name, "confirm": "on", "version": version.number},
        )
    assert response.status_code == 302
    receipts = [m for m in mail.outbox if "signature receipt" in m.subject]
    assert [m.to for m in receipts] == [[first.user.email]]
    receipt = receipts[0]
    signature = Signature.objects.get(party=first)
    assert version.sha256 in receipt.body
    assert f"{signature.signed_at:%Y-%m-%d %H:%M:%S} UTC" in receipt.body
    verify = reverse("agreement_verify", args=[world.school.pk, agreement.pk, version.number])
    assert verify in receipt.body
    assert "sha256sum" in receipt.body
    (filename, content, _mimetype), *_ = receipt.attachments
    assert filename == f"agreement-{agreement.pk}-v{version.number}.txt"
    data = content.encode("utf-8") if isinstance(content, str) else content
    assert hashlib.sha256(data).hexdigest() == version.sha256


def test_a_failed_signature_sends_no_receipt(world):
    agreement = make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status="signing",
        sections=SHORT_SECTIONS,
    )
    first = agreement.parties.select_related("user").first()
    with pytest.raises(signing.SigningError):
        signing.agreement_sign(
            agreement=agreement,
            user=first.user,
            typed_name="Somebody Else",
            ip_address=None,
            user_agent="",
            version_number=agreement.current_version.number,
        )
    assert not Email.objects.filter(kind="agreement_signature_receipt").exists()
