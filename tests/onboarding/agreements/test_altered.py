"""Issue 14, replayed: someone who can write to the database (and, on PostgreSQL,
switch the triggers off as the tables' owner can) rewrites a signed clause,
recomputes the version's SHA-256 and puts the signatures back with the new hash.
The hash is unkeyed, but the seals are not: every page and file that shows the
agreement says “Altered: not in force”, and it no longer counts as in force."""

import io
import re

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from onboarding.agreements.models import Signature, canonical_text, sha256_hex
from tests.factories import SHORT_SECTIONS, active_agreement, make_agreement
from tests.onboarding.exports import flow
from tests.onboarding.readiness import pages

pytestmark = pytest.mark.django_db

TABLES = ["onboarding_signature", "onboarding_agreementversion", "onboarding_agreementsection"]
ALTERED = "Altered: not in force"


def _rewrite_signed_clause(agreement) -> str:
    """As the attacker would, in plain SQL: the first section's body rewritten, the
    version's text and SHA-256 recomputed to match, the signatures given the new
    hash (their seals kept: nobody outside the servers can make new ones)."""
    version = agreement.current_version
    sections = list(version.sections.all())
    sections[0].body = "The officer may search any student's locker at any time."
    text = canonical_text(agreement.title, sections)
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE onboarding_agreementsection SET body = %s WHERE id = %s",
            [sections[0].body, sections[0].pk],
        )
        cursor.execute(
            "UPDATE onboarding_agreementversion SET text = %s, sha256 = %s WHERE id = %s",
            [text, sha256_hex(text), version.pk],
        )
        cursor.execute(
            "UPDATE onboarding_signature SET sha256 = %s WHERE version_id = %s",
            [sha256_hex(text), version.pk],
        )
        if postgres:
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    return sections[0].body


def _url(name, agreement, *more):
    return reverse(name, args=[agreement.school_id, agreement.pk, *more])


def test_the_verify_page_says_altered_because_the_seals_no_longer_match(world, client_for):
    agreement = active_agreement(world)
    client = client_for(world.principal)
    url = _url("agreement_verify", agreement, agreement.current_version.number)
    assert client.get(url).context["intact"] is True
    _rewrite_signed_clause(agreement)
    response = client.get(url)
    assert response.context["intact"] is False
    failed = [label for label, ok in response.context["checks"] if not ok]
    # The text matches its (recomputed) hash: only the seals give it away.
    assert failed == [
        f"{p.user.full_name}'s signature carries the district's seal"
        for p in agreement.parties.select_related("user")
    ]
    assert "Altered." in response.content.decode()


def test_the_agreement_page_print_page_and_pdf_say_altered_and_give_no_certificate(
    world, client_for
):
    agreement = active_agreement(world)
    client = client_for(world.staff)
    assert ALTERED not in client.get(_url("agreement_detail", agreement)).content.decode()
    forged = _rewrite_signed_clause(agreement)

    page = client.get(_url("agreement_detail", agreement)).content.decode()
    assert ALTERED in page
    assert page.index(ALTERED) < page.index(forged)
    assert "text-bg-success" not in page

    printed = client.get(_url("agreement_print", agreement)).content.decode()
    assert printed.index(ALTERED) < printed.index(forged)
    assert "Signature certificate" not in printed
    assert "No signature certificate" in printed

    pdf = client.get(_url("agreement_pdf", agreement))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert text.index(ALTERED) < text.index("The officer may search")
    assert "Signature certificate" not in text
    assert "No signature certificate" in text


def test_the_list_page_and_the_readiness_dashboard_no_longer_count_it_in_force(world, client_for):
    agreement = active_agreement(world)
    client = client_for(world.principal)
    assert pages.lines(client, world.school)["agreement"]["state"] == "Done"
    _rewrite_signed_clause(agreement)
    listed = client.get(reverse("agreement_list", args=[world.school.pk])).content.decode()
    assert ALTERED in listed
    from django.core.cache import cache

    cache.clear()  # the dashboard keeps its figures a minute (kept.py)
    line = pages.lines(client, world.school)["agreement"]
    assert line["state"] != "Done"
    assert line["summary"].startswith(ALTERED)
    assert line["url"] == _url("agreement_verify", agreement, agreement.current_version.number)


def test_the_binder_says_altered_and_prints_no_certificate(world, client_for):
    agreement = active_agreement(world)
    client = client_for(world.principal)
    _rewrite_signed_clause(agreement)
    pdf = flow.binder(client, world.school)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert ALTERED in text
    assert "No signature certificate" in text
    assert "Signature certificate Agreement" not in text


def test_a_signature_without_its_seal_or_sealed_with_another_key_is_altered(
    world, client_for, settings
):
    agreement = active_agreement(world)
    client = client_for(world.principal)
    url = _url("agreement_detail", agreement)
    key = settings.SIGNATURE_SEAL_KEY
    settings.SIGNATURE_SEAL_KEY = "a-key-the-signatures-were-not-sealed-with-0123456789"
    assert ALTERED in client.get(url).content.decode()
    settings.SIGNATURE_SEAL_KEY = key
    assert ALTERED not in client.get(url).content.decode()
    first = Signature.objects.filter(version=agreement.current_version).first()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE onboarding_signature DISABLE TRIGGER USER")
        cursor.execute("UPDATE onboarding_signature SET seal = '' WHERE id = %s", [first.pk])
    assert ALTERED in client.get(url).content.decode()


def test_a_deleted_signature_leaves_the_agreement_altered(world, client_for):
    agreement = active_agreement(world)
    first = Signature.objects.filter(version=agreement.current_version).first()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE onboarding_signature DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM onboarding_signature WHERE id = %s", [first.pk])
    page = client_for(world.principal).get(_url("agreement_detail", agreement)).content.decode()
    assert ALTERED in page


def test_an_agreement_rewritten_after_the_first_signature_cannot_be_signed_further(
    world, client_for
):
    """Out for signing, the principal signed; the clause is then rewritten behind
    the portal's back. The officer, next to sign, is shown the warning and refused:
    nobody signs a text other than the one the principal signed."""
    agreement = make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status="review",
        sections=SHORT_SECTIONS,
    )
    assert (
        client_for(world.principal).post(_url("agreement_send_for_signing", agreement)).status_code
        == 302
    )

    def sign(user):
        agreement.refresh_from_db()
        return client_for(user).post(
            _url("agreement_sign", agreement),
            {
                "typed_name": user.full_name,
                "confirm": "on",
                "version": agreement.current_version.number,
            },  # fmt: skip
        )

    assert sign(world.principal).status_code == 302
    agreement.refresh_from_db()
    _rewrite_signed_clause(agreement)

    page = client_for(world.sro).get(_url("agreement_detail", agreement)).content.decode()
    assert ALTERED in page
    refused = sign(world.sro)
    assert refused.status_code == 400  # the signing form again, with the reason
    assert "changed outside the portal after others signed it" in refused.content.decode()
    assert Signature.objects.filter(user=world.sro).count() == 0
