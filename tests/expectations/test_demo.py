"""The expectations demo: believable, and the same after a second run."""

from django.utils import timezone

from expectations import demo as expectations_demo
from expectations.home import guidelines_for
from expectations.models import Acknowledgment, Guideline, GuidelineVersion
from expectations.status import compliance
from onboarding import demo


def test_the_demo_shows_every_state_and_runs_twice_unchanged(db):
    world = demo.seed()
    expectations_demo.seed(world)
    counts = (
        Guideline.objects.count(),
        GuidelineVersion.objects.count(),
        Acknowledgment.objects.count(),
    )
    expectations_demo.seed(demo.seed())
    assert counts == (
        Guideline.objects.count(),
        GuidelineVersion.objects.count(),
        Acknowledgment.objects.count(),
    )
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
