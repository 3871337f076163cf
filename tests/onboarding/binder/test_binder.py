"""The evidence binder: one PDF per school and school year, with the signed agreement
and its certificate, guidelines with who acknowledged, the visit log, events and the
engagement figures. The text is read back out of the PDF with pypdf."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from events.introductions.models import Visit
from events.invitations.models import Event
from expectations.models import Acknowledgment
from onboarding.agreements.models import Agreement, Signature
from onboarding.people.models import User
from onboarding.schools.models import School
from tests import factories as f
from tests.onboarding.exports import flow
from tests.onboarding.readiness import pages


def _text(response) -> tuple[str, int]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Table cells and long lines wrap: compare on single spaces.
    return re.sub(r"\s+", " ", text), len(reader.pages)


@pytest.fixture
def demo_binder(db, client):
    call_command("seed_demo")
    high = School.objects.get(name="Riverside High School")
    principal = User.objects.get(email="principal@example.org")
    client.force_login(principal, backend="django.contrib.auth.backends.ModelBackend")
    response = flow.binder(client, high)
    text, pages = _text(response)
    return high, text, pages, response


def test_the_demo_high_school_binder_has_the_signed_agreement(demo_binder):
    high, text, _, response = demo_binder
    assert response["Content-Disposition"].startswith("attachment;")
    agreement = Agreement.objects.get(school=high, status=Agreement.Status.ACTIVE)
    signatures = Signature.objects.filter(version=agreement.current_version)
    assert signatures.count() == 3
    for signature in signatures:
        assert signature.typed_name in text
    assert agreement.current_version.sha256 in text.replace(" ", "")
    assert "Signature certificate" in text


def test_the_demo_binder_lists_each_guideline_with_its_counts(demo_binder, client):
    high, text, _, _ = demo_binder
    # As the principal's dashboard counts them.
    shares = pages.guideline_rows(client, high)
    assert shares
    for title, (acknowledged, _) in shares.items():
        counted, total = re.match(r"(\d+) of (\d+) ", acknowledged).groups()
        assert f"{title} Acknowledged by {counted} of {total} people targeted" in text
    ack = Acknowledgment.objects.filter(version__guideline__school=high).first()
    assert ack.person.full_name in text


def test_the_demo_binder_has_the_visit_and_event_totals(demo_binder):
    high, text, _, _ = demo_binder
    visits = Visit.objects.filter(school=high).exclude(status=Visit.Status.CANCELLED)
    done = visits.filter(status=Visit.Status.DONE).count()
    assert f"Visits this school year: {visits.count()} in total: {done} done" in text
    events = Event.objects.active().filter(school=high).count()
    assert f"Events this school year: {events};" in text


def test_every_page_is_numbered_and_headed_and_the_contents_give_pages(demo_binder):
    _, text, pages, _ = demo_binder
    assert pages > 3
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in text
    assert text.count("Riverside High School · School year 2026–27") >= pages
    assert re.search(r"1\. Role agreement and signature certificate \.+ page \d+", text)


def test_another_school_year_has_no_agreement_in_force(client_for, world):
    f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status="active",
        sections=[("purpose", "Purpose", "Why we work together.")],
    )
    client = client_for(world.principal)
    this_year, _ = _text(flow.binder(client, world.school))
    assert "Signature certificate" in this_year
    last_year, _ = _text(flow.binder(client, world.school, 2020))
    assert "School year 2020–21" in last_year
    assert "No agreement was in force during this school year." in last_year


def test_a_nonsense_year_is_a_404(client_for, world):
    url = reverse("evidence_binder", args=[world.school.pk])
    assert client_for(world.principal).get(url, {"year": "abc"}).status_code == 404
    assert client_for(world.principal).get(url, {"year": "3000"}).status_code == 404
    assert client_for(world.principal).post(url, {"year": "3000"}).status_code == 404
