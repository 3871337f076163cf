"""Issue 6, done when: the principal creates a coffee hour open to families and
invites the officer; the officer proposes another time; the principal accepts;
families sign up on the public page until it is full; attendance is recorded; the
engagement page shows it. Axe checks every page."""

from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.utils import timezone

from events.families.models import FamilySignup
from events.invitations.models import Event
from tests.browser.conftest import check_accessibility

PASSWORD = settings.DEMO_PASSWORD


def _local(moment, zone) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def _submit(b, name: str) -> None:
    with b.page.expect_navigation():
        b.page.get_by_role("button", name=name).click()
    check_accessibility(b.page)


def test_coffee_hour_from_invitation_to_engagement(browser_page, demo):
    b = browser_page
    high = demo.schools["high"]
    zone = high.zone
    day = timezone.localdate(timezone=zone) + timedelta(days=7)
    start = timezone.make_aware(
        timezone.datetime(day.year, day.month, day.day, 8, 0), timezone=zone
    )

    # The principal creates a coffee hour open to families and invites the officer.
    b.sign_in("principal@example.org", PASSWORD)
    b.visit(f"/schools/{high.pk}/")
    b.page.get_by_role("link", name="School calendar").click()
    b.page.wait_for_load_state()
    check_accessibility(b.page)
    b.page.get_by_role("link", name="New event").click()
    b.page.wait_for_load_state()
    check_accessibility(b.page)
    b.page.get_by_label("Kind of event").select_option("coffee_hour")
    b.page.get_by_label("Title").fill("Coffee with Dr. Brooks and Officer Reyes")
    b.page.get_by_label("Starts").fill(_local(start, zone))
    b.page.get_by_label("Ends").fill(_local(start + timedelta(hours=1), zone))
    b.page.get_by_label("Place").fill("Library")
    b.page.get_by_label("Families may sign up").check()
    b.page.get_by_label("Capacity").fill("3")
    assert b.page.get_by_label("Invite the school's officers (SROs)").is_checked()
    _submit(b, "Create the event")
    event = Event.objects.get(title="Coffee with Dr. Brooks and Officer Reyes")
    assert b.page.get_by_role("heading", level=1).inner_text() == event.title
    assert "Officer Marcus Reyes" in b.page.content()
    (invitation_email,) = [m for m in mail.outbox if m.to == ["sro@example.org"]]
    assert invitation_email.attachments[0][0] == "event.ics"
    b.sign_out()

    # The officer proposes another time.
    b.sign_in("sro@example.org", PASSWORD)
    b.visit(f"/schools/{high.pk}/events/{event.pk}/")
    b.page.get_by_role("link", name="Answer or propose another time").click()
    b.page.wait_for_load_state()
    check_accessibility(b.page)
    later = start + timedelta(hours=7)
    b.page.get_by_label("Proposed start").fill(_local(later, zone))
    b.page.get_by_label("Proposed end").fill(_local(later + timedelta(hours=1), zone))
    b.page.get_by_label("Note (optional)").fill("Mornings I am at the middle school.")
    _submit(b, "Propose this time")
    assert "Your proposal was sent" in b.page.content()
    b.sign_out()

    # The principal accepts: the event moves.
    b.sign_in("principal@example.org", PASSWORD)
    b.visit(f"/schools/{high.pk}/events/{event.pk}/")
    assert "Mornings I am at the middle school." in b.page.content()
    _submit(b, "Accept: move the event")
    event.refresh_from_db()
    assert event.starts_at == later
    assert "3:00 PM" in b.page.content()
    public_link = b.page.get_by_role("link", name=f"/e/{event.public_token}/").get_attribute("href")
    b.sign_out()

    # Families sign up until the event is full; the next family is told.
    path = public_link.removeprefix(settings.SITE_URL)
    for name, email, party in [
        ("Maria Alvarez", "maria@family.example.org", "2"),
        ("Dev Patel", "dev@family.example.org", "1"),
    ]:
        b.visit(path)
        assert high.name not in b.page.content()
        b.page.get_by_label("Your name").fill(name)
        b.page.get_by_label("Email address").fill(email)
        b.page.get_by_label("How many people").fill(party)
        _submit(b, "Sign up")
        assert "You are signed up" in b.page.content()
    assert FamilySignup.objects.filter(event=event).count() == 2
    b.visit(path)
    assert "This event is full" in b.page.content()
    assert b.page.get_by_role("button", name="Sign up").count() == 0

    # The event takes place (time passes), then the principal records attendance.
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(hours=2), ends_at=now - timedelta(hours=1)
    )
    b.sign_in("principal@example.org", PASSWORD)
    b.visit(f"/schools/{high.pk}/events/{event.pk}/")
    b.page.get_by_role("link", name="Record attendance").click()
    b.page.wait_for_load_state()
    check_accessibility(b.page)
    b.page.get_by_label("Officer Marcus Reyes (Going)").check()
    _submit(b, "Save attendance")
    assert "Attendance is recorded." in b.page.content()

    # The engagement page shows it, as a chart and as a table.
    b.visit(f"/schools/{high.pk}/events/engagement/")
    this_month = timezone.localdate(timezone=zone).strftime("%B %Y")
    row = b.page.get_by_role("row", name=this_month)
    cells = row.get_by_role("cell").all_inner_texts()
    # introductions, class talks, invited, attended, hours
    assert cells == ["0", "0", "1", "1", "1.0"]
    assert "1 event attended" in b.page.locator("svg title").first.text_content()


def test_every_events_page_of_the_demo_is_accessible(browser_page, demo):
    from events import demo as events_demo

    events_demo.seed(demo)
    b = browser_page
    high = demo.schools["high"]
    coffee = Event.objects.get(school=high, title="Family coffee hour with the principal")
    past = Event.objects.get(school=high, title="Lunch with students")
    b.sign_in("principal@example.org", PASSWORD)
    for path in [
        f"/schools/{high.pk}/events/month/",
        f"/schools/{high.pk}/events/",
        f"/schools/{high.pk}/events/?when=past",
        f"/schools/{high.pk}/events/new/",
        f"/schools/{high.pk}/events/{coffee.pk}/",
        f"/schools/{high.pk}/events/{coffee.pk}/edit/",
        f"/schools/{high.pk}/events/{coffee.pk}/invite/",
        f"/schools/{high.pk}/events/{past.pk}/attendance/",
        f"/schools/{high.pk}/events/engagement/",
        f"/schools/{high.pk}/talks/",
    ]:
        b.visit(path)
    b.sign_out()
    b.sign_in("sro@example.org", PASSWORD)
    talk = high.talk_requests.get()
    topic = talk.topic
    for path in [
        f"/schools/{high.pk}/events/{coffee.pk}/answer/",
        f"/schools/{high.pk}/talks/",
        f"/schools/{high.pk}/talks/topics/new/",
        f"/schools/{high.pk}/talks/topics/{topic.pk}/edit/",
        f"/schools/{high.pk}/talks/requests/{talk.pk}/accept/",
    ]:
        b.visit(path)
    middle = demo.schools["middle"]
    b.visit(f"/schools/{middle.pk}/events/month/")
    b.sign_out()
    b.sign_in("teacher@example.org", PASSWORD)
    b.visit(f"/schools/{high.pk}/talks/request/")
    b.sign_out()
    b.visit(f"/e/{coffee.public_token}/")
