"""The demo shows agreements in use, and seeding them twice changes nothing."""

from onboarding import demo
from onboarding.agreements import demo as demo_agreements
from onboarding.agreements.models import Agreement, SectionComment


def test_demo_agreements_are_seeded_once_in_every_state(db):
    world = demo.seed()
    demo_agreements.seed(world)
    counts = (Agreement.objects.count(), SectionComment.objects.count())
    demo_agreements.seed(world)
    assert (Agreement.objects.count(), SectionComment.objects.count()) == counts
    high = Agreement.objects.filter(school=world.schools["high"])
    assert sorted(high.values_list("status", flat=True)) == ["active", "review"]
    amendment = high.get(status="review")
    assert amendment.amends == high.get(status="active")
    middle = Agreement.objects.get(school=world.schools["middle"])
    assert middle.status == "review"
    assert middle.comments.filter(author__email="sro@example.org").count() == 2
    assert Agreement.objects.get(school=world.schools["elementary"]).status == "draft"
