"""A guideline's emails go out from the worker, not the request: publishing and
reminding each write one mailing with the change, the page says how many people it
reaches, and the guideline's page shows where the emails stand, with the failed
ones, the mail server's answer and *Send again*."""

import re

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from expectations.models import Guideline
from expectations.publishing import workflows
from expectations.publishing.starters import STARTERS
from onboarding.audit.models import AuditEvent
from onboarding.outbox.models import Email, Mailing
from onboarding.outbox.tasks import deliver_emails
from onboarding.schools.models import Membership, Role
from tests import factories as f
from tests.expectations.mailings import publishing_delivered
from tests.helpers import assert_flat_queries

DUE = timezone.localdate() + timezone.timedelta(days=21)
NEW = {
    "target_roles": ["staff"],
    "body": "Lock the door, lights off.",
    "statements": "I will lock my door.",
    "due_date": DUE.isoformat(),
    "join_window_days": 30,
    "pass_mark": 100,
}


def _publish(client, school, title="Lockdown drills"):
    return client.post(reverse("guideline_new", args=[school.pk]), NEW | {"title": title})


def _detail(client, school, guideline) -> str:
    response = client.get(reverse("guideline_detail", args=[school.pk, guideline.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _panel(content: str) -> str:
    start = content.index('id="delivery"')
    return content[start : content.index("</section>", start)]


def _counts(panel: str) -> dict:
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)', panel)}


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _staff(school, n: int) -> list:
    return [f.MembershipFactory(school=school, role=Role.STAFF).user for _ in range(n)]


def test_publishing_writes_one_mailing_that_the_worker_turns_into_one_email_a_person(
    world, client_for, django_capture_on_commit_callbacks
):
    more = _staff(world.school, 2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _publish(client_for(world.principal), world.school)
    assert response.status_code == 302
    # The request wrote the plan, not the emails.
    mailing = Mailing.objects.get()
    guideline = Guideline.objects.get()
    assert (mailing.target_type, mailing.target_id) == (
        "expectations.GuidelineVersion",
        str(guideline.current_version.pk),
    )
    assert not Email.objects.exists() and mail.outbox == []
    # Someone who joins before the worker comes to it gets their own window.
    newcomer = f.MembershipFactory(school=world.school, role=Role.STAFF).user
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:  # what the worker runs once the publish commits
            callback()
    targeted = [world.staff, *more, newcomer]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in targeted)
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert f"by {DUE:%B} {DUE.day}, {DUE.year}" in by_address[world.staff.email]
    own = timezone.localdate() + timezone.timedelta(days=30)
    assert f"by {own:%B} {own.day}, {own.year}" in by_address[newcomer.email]
    mailing.refresh_from_db()
    assert mailing.recipients == 4 and mailing.expanded_at is not None
    assert Email.objects.filter(mailing=mailing, state=Email.State.SENT).count() == 4


def test_a_person_in_two_schools_gets_one_email_of_a_district_guideline(
    world, client_for, django_capture_on_commit_callbacks
):
    f.MembershipFactory(school=world.other_school, role=Role.STAFF, user=world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.district_admin).post(
            reverse("guideline_starter_publish", args=[world.school.pk, "working-with-the-sro"]),
            {
                "target_roles": ["staff"],
                "due_date": DUE.isoformat(),
                "join_window_days": 10,
                "pass_mark": 100,
                "scope": "district",
            },
            follow=True,
        )
    assert [m.to for m in mail.outbox] == [[world.staff.email]]
    title = STARTERS["working-with-the-sro"].title
    assert _messages(response) == [f"Publishing “{title}” to 1 person: the email is on its way."]


def test_a_publish_rolled_back_sends_nothing(world, django_capture_on_commit_callbacks):
    starter = STARTERS["working-with-the-sro"]
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflows.guideline_publish(
            **starter.contents(),
            target_roles=["staff"],
            due_date=DUE,
            school=world.school,
            published_by=world.principal,
        )
        raise RuntimeError("something after the publish fails")
    assert not Guideline.objects.exists()
    assert not Mailing.objects.exists() and not Email.objects.exists()
    deliver_emails.enqueue()
    assert mail.outbox == []


def test_the_page_says_how_many_people_the_emails_go_to(
    world, client_for, django_capture_on_commit_callbacks
):
    _staff(world.school, 2)
    client = client_for(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = _publish(client, world.school)
    response = client.get(response["Location"])
    assert _messages(response) == [
        "Publishing “Lockdown drills” to 3 people: the emails are on their way."
    ]


def test_a_guideline_for_nobody_yet_says_nobody_was_emailed(world, client_for):
    Membership.objects.filter(role=Role.MENTAL_HEALTH).delete()
    response = client_for(world.principal).post(
        reverse("guideline_new", args=[world.school.pk]),
        NEW | {"title": "Counselors only", "target_roles": ["mental_health"]},
        follow=True,
    )
    assert _messages(response) == [
        "Published “Counselors only”. Nobody holds a role it targets yet, so nobody was emailed."
    ]


def test_the_count_is_grouped_as_a_principal_reads_it(world, client_for, monkeypatch):
    monkeypatch.setattr(Guideline, "targeted_people_count", lambda self: 5794)
    client = client_for(world.principal)
    response = client.get(_publish(client, world.school)["Location"])
    assert _messages(response) == [
        "Publishing “Lockdown drills” to 5,794 people: the emails are on their way."
    ]


def test_the_publish_request_costs_the_same_queries_for_10_and_200_people(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.principal)
    _staff(world.school, 9)
    client.get(reverse("guideline_new", args=[world.school.pk]))  # the session's school
    counts = []
    for title, grow in (("Ten", 0), ("Two hundred", 190)):
        _staff(world.school, grow)
        with CaptureQueriesContext(connection) as queries:
            response = _publish(client, world.school, title=title)
        assert response.status_code == 302
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert Guideline.objects.get(title="Two hundred").targeted_people_count() == 200
    with django_assert_max_num_queries(counts[0]):
        _publish(client, world.school, title="Once more")


def test_before_the_worker_expands_it_the_panel_says_the_emails_are_being_prepared(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        _publish(client_for(world.principal), world.school)
    guideline = Guideline.objects.get()
    panel = _panel(_detail(client_for(world.principal), world.school, guideline))
    assert "Publishing of version 1" in panel
    assert 'role="status">The emails are being prepared' in panel


def test_refused_recipients_show_on_the_panel_and_send_again_delivers_them(
    world, client_for, mail_server, django_capture_on_commit_callbacks
):
    later, never, *others = _staff(world.school, 5)
    mail_server.refuse[later.email] = ["451 4.7.1 Try again later"]
    rejected = (
        f"550 5.1.1 <{never.email}>: Recipient address rejected: "
        "User unknown in virtual mailbox table"
    )
    mail_server.refuse[never.email] = [rejected]
    client = client_for(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = _publish(client, world.school)
    assert response.status_code == 302
    assert sorted(mail_server.addresses()) == sorted(p.email for p in [world.staff, *others])
    guideline = Guideline.objects.get()
    panel = _panel(_detail(client, world.school, guideline))
    assert _counts(panel) == {"sent": 4, "waiting": 1, "failed": 1}
    assert "1 to be tried again" in panel
    assert never.full_name in panel and never.email in panel
    assert "Recipient address rejected: User unknown in virtual mailbox table" in panel
    assert later.email not in panel  # waiting for its retry is not a failure

    # The 451 one goes on retry, once only.
    Email.objects.filter(state=Email.State.RETRY).update(next_attempt_at=timezone.now())
    deliver_emails.enqueue()
    assert mail_server.addresses().count(later.email) == 1
    assert _counts(_panel(_detail(client, world.school, guideline))) == {
        "sent": 5,
        "waiting": 0,
        "failed": 1,
    }

    # The mailbox is made; Send again delivers it, and says so in the audit log.
    mail_server.refuse.clear()
    mailing = Mailing.objects.get()
    url = reverse("guideline_send_again", args=[world.school.pk, guideline.pk, mailing.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0].endswith("#delivery")
    assert _messages(response) == ["The failed email is on its way again."]
    assert mail_server.addresses().count(never.email) == 1
    assert len(mail_server.addresses()) == 6  # everyone once
    panel = _panel(_detail(client, world.school, guideline))
    assert _counts(panel) == {"sent": 6, "waiting": 0, "failed": 0}
    event = AuditEvent.objects.get(action="email.sent_again")
    assert event.actor == world.principal and event.school == world.school


def test_the_panel_lists_the_first_50_failures_and_costs_the_same_queries(world, client_for):
    guideline = f.published_guideline(school=world.school, target_roles=["staff"])
    mailing = publishing_delivered(
        guideline, sent=[world.counselor], failed=_staff(world.school, 3)
    )
    client = client_for(world.principal)
    url = reverse("guideline_detail", args=[world.school.pk, guideline.pk])

    def grow():
        mailing.delete()
        publishing_delivered(guideline, sent=[world.counselor], failed=_staff(world.school, 60))

    assert_flat_queries(client, url, grow)
    panel = _panel(client.get(url).content.decode())
    assert _counts(panel) == {"sent": 1, "waiting": 0, "failed": 60}
    assert "The first 50 of 60 emails that failed" in panel
    assert "and 10 more." in panel
    assert panel.count("Recipient address rejected") == 50
    assert "Send the 60 failed emails again" in panel


def test_only_those_who_publish_see_the_panel(world, client_for):
    guideline = f.published_guideline(school=world.school, target_roles=["staff"])
    publishing_delivered(guideline, sent=[world.counselor], failed=[world.staff])
    for user in (world.principal, world.district_admin):
        assert "Email delivery" in _detail(client_for(user), world.school, guideline)
    for user in (world.staff, world.sro):
        assert "Email delivery" not in _detail(client_for(user), world.school, guideline)


def test_a_district_guidelines_publishing_is_the_district_admins(world, client_for):
    guideline = f.published_guideline(school=None, district=world.district, target_roles=["staff"])
    mailing = publishing_delivered(guideline, failed=[world.staff])
    args = [world.school.pk, guideline.pk, mailing.pk]
    # The principal of one of its schools sees the guideline, not the district's emails.
    panel = _panel(_detail(client_for(world.principal), world.school, guideline))
    assert "Publishing of version" not in panel and world.staff.email not in panel
    assert "The emails of its publishing are the district's to follow" in panel
    response = client_for(world.principal).post(reverse("guideline_send_again", args=args))
    assert response.status_code == 403
    assert "Email delivery" in _detail(client_for(world.district_admin), world.school, guideline)
    response = client_for(world.district_admin).post(reverse("guideline_send_again", args=args))
    assert response.status_code == 302
    assert Email.objects.get().state == Email.State.QUEUED


def test_send_again_is_for_this_schools_managers(world, client_for):
    guideline = f.published_guideline(school=world.school, target_roles=["staff"])
    mailing = publishing_delivered(guideline, failed=[world.staff])
    url = reverse("guideline_send_again", args=[world.school.pk, guideline.pk, mailing.pk])
    assert client_for(world.other_principal).post(url).status_code == 404
    assert client_for(world.staff).post(url).status_code == 403
    assert client_for(world.principal).get(url).status_code == 405
    assert Email.objects.get().state == Email.State.FAILED
    # A mailing of another guideline is not found through this one.
    other = f.published_guideline(school=world.school)
    wrong = reverse("guideline_send_again", args=[world.school.pk, other.pk, mailing.pk])
    assert client_for(world.principal).post(wrong).status_code == 404
    assert not AuditEvent.objects.filter(action="email.sent_again").exists()


def _overdue(world) -> Guideline:
    guideline = f.published_guideline(
        school=world.school,
        due_date=timezone.localdate() - timezone.timedelta(days=1),
        published_at=timezone.now() - timezone.timedelta(days=10),
    )
    Membership.objects.filter(school=world.school).update(
        created_at=timezone.now() - timezone.timedelta(days=60)
    )
    return guideline


def test_reminders_are_one_mailing_and_show_on_the_panel(
    world, client_for, mail_server, django_capture_on_commit_callbacks
):
    guideline = _overdue(world)
    mail_server.refuse[world.counselor.email] = ["550 5.2.1 Mailbox disabled"]
    client = client_for(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("guideline_remind", args=[world.school.pk, guideline.pk]), follow=True
        )
    assert _messages(response) == ["Reminding 2 people: the emails are on their way."]
    mailing = Mailing.objects.get(kind="guideline_reminder")
    assert mailing.school == world.school and mailing.recipients == 2
    assert mail_server.addresses() == [world.staff.email]
    panel = _panel(_detail(client, world.school, guideline))
    assert "Latest reminders" in panel
    assert _counts(panel) == {"sent": 1, "waiting": 0, "failed": 1}
    assert "550 5.2.1 Mailbox disabled" in panel

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("guideline_remind", args=[world.school.pk, guideline.pk]), follow=True
        )
    assert _messages(response) == [
        "Nobody was reminded. 2 people already had a reminder today and will not get another."
    ]
    assert Mailing.objects.filter(kind="guideline_reminder").count() == 1


def test_another_schools_reminders_are_not_on_the_page(world, client_for):
    guideline = f.published_guideline(school=None, district=world.district)
    other_staff = f.MembershipFactory(school=world.other_school, role=Role.STAFF).user
    from expectations.compliance.workflows import guideline_remind

    guideline_remind(
        guideline=guideline,
        school=world.other_school,
        people=[other_staff],
        sent_by=world.other_principal,
    )
    mailing = Mailing.objects.get()
    panel = _panel(_detail(client_for(world.principal), world.school, guideline))
    assert "Latest reminders" not in panel and other_staff.email not in panel
    url = reverse("guideline_send_again", args=[world.school.pk, guideline.pk, mailing.pk])
    assert client_for(world.principal).post(url).status_code == 404


def test_the_worker_reads_the_people_of_a_mailing_at_once(world, client_for):
    from onboarding.outbox.tasks import expand_mailing

    client = client_for(world.principal)
    counts = []
    for title, grow in (("Few", 4), ("Many", 60)):
        _staff(world.school, grow)
        _publish(client, world.school, title=title)
        mailing = Mailing.objects.get(
            target_id=str(Guideline.objects.get(title=title).current_version_id)
        )
        with CaptureQueriesContext(connection) as queries:
            expand_mailing.call(mailing.pk)
        counts.append(len(queries))
        assert Email.objects.filter(mailing=mailing).count() == 1 + (4 if title == "Few" else 64)
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("again", [True, False])
def test_a_new_version_says_whom_it_emails(world, client_for, again):
    guideline = f.published_guideline(school=world.school, target_roles=["staff"], title="Drills")
    data = NEW | {"title": "Drills", "change_note": "Shorter."}
    if again:
        data["requires_reacknowledgment"] = "on"
    client = client_for(world.principal)
    response = client.post(
        reverse("guideline_revise", args=[world.school.pk, guideline.pk]), data, follow=True
    )
    expected = (
        "Publishing version 2 of “Drills” to 1 person: the email is on its way."
        if again
        else "Published version 2 of “Drills”. It needs no new acknowledgment, so nobody was emailed."
    )
    assert _messages(response) == [expected]
    assert Mailing.objects.count() == (1 if again else 0)


def test_send_again_goes_to_the_address_as_corrected_since(
    world, client_for, mail_server, django_capture_on_commit_callbacks
):
    (typo,) = _staff(world.school, 1)
    mail_server.refuse[typo.email] = ["550 5.1.1 User unknown"]
    client = client_for(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(client, world.school)
    assert typo.email not in mail_server.addresses()
    typo.email = "corrected@example.org"
    typo.save(update_fields=["email"])

    mailing = Mailing.objects.get()
    guideline = Guideline.objects.get()
    url = reverse("guideline_send_again", args=[world.school.pk, guideline.pk, mailing.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert mail_server.addresses().count("corrected@example.org") == 1
    assert Email.objects.get(recipient=typo).state == Email.State.SENT
