"""The expectations demo: believable, and the same after a second run."""

from django.urls import reverse
from django.utils import timezone

from expectations import demo as expectations_demo
from expectations.home import guidelines_for
from expectations.models import Acknowledgment, Guideline, GuidelineVersion
from expectations.status import compliance
from onboarding import demo
from onboarding.outbox.models import Email, Mailing


def _counts() -> tuple:
    return tuple(
        model.objects.count()
        for model in (Guideline, GuidelineVersion, Acknowledgment, Mailing, Email)
    )


def test_the_demo_shows_every_state_and_runs_twice_unchanged(db):
    world = demo.seed()
    expectations_demo.seed(world)
    counts = _counts()
    expectations_demo.seed(demo.seed())
    assert counts == _counts()
    assert Guideline.objects.count() == 12  # four starters in each of three schools

    totals = {"acknowledged": 0, "pending": 0, "overdue": 0}
    for guideline in Guideline.objects.for_school(world.schools["high"]):
        report = compliance(guideline, world.schools["high"], timezone.localdate())
        for key in totals:
            totals[key] += getattr(report.total, key)
    assert all(totals.values()), totals

    teacher = {
        i.guideline.starter_key: i.standing
        for i in guidelines_for(world.people["teacher@example.org"])
    }
    assert teacher["working-with-the-sro"].status == "overdue"
    assert teacher["talking-points"].needs_reacknowledgment


def test_the_demo_shows_the_delivery_panel_with_two_refused_emails(db, client_for):
    world = demo.seed()
    expectations_demo.seed(world)
    # Each guideline's latest publishing is in the outbox, as the worker left it.
    assert Mailing.objects.count() == Guideline.objects.count()
    assert not Email.objects.exclude(state__in=[Email.State.SENT, Email.State.FAILED]).exists()
    failed = list(Email.objects.filter(state=Email.State.FAILED).select_related("recipient"))
    assert len(failed) == 2
    assert all(e.address.endswith("@riverside-schools.example.org") for e in failed)

    high = world.schools["high"]
    guideline = Guideline.objects.get(school=high, starter_key="working-with-the-sro")
    client = client_for(world.people["principal@example.org"])
    content = client.get(reverse("guideline_detail", args=[high.pk, guideline.pk])).content
    panel = content.decode().split('id="delivery"')[1].split("</section>")[0]
    assert "Publishing of version 1" in panel
    for email in failed:
        assert email.recipient.full_name in panel and email.address in panel
        assert email.recipient.email_bounced_at is not None  # the People page flags it
    assert "Recipient address rejected: User unknown in virtual mailbox table" in panel
    assert "Send the 2 failed emails again" in panel
    sent = Email.objects.filter(mailing__target_id=str(guideline.current_version_id))
    assert f'data-count="sent">{sent.filter(state=Email.State.SENT).count()}<' in panel
