"""Demo: the starter guidelines published in each school, with a believable mix of
staff who have acknowledged, are pending and are overdue, and at Riverside High a
second version of the talking points that asks everyone to acknowledge again.

Each guideline's latest publishing is in the outbox as the worker left it (the
delivery panel of the guideline's page): at Riverside High, two emails of "Working
with the SRO" were refused by the mail server, the rest sent.

Idempotent: guidelines are found by (school, starter), acknowledgments by (person,
version), publishing mailings by their version; nothing is created twice and no
email is sent.
"""

from datetime import timedelta

from django.utils import timezone

from expectations.models import Acknowledgment, Guideline, GuidelineVersion
from expectations.publishing import emails as publishing_emails
from expectations.publishing.starters import STARTERS
from expectations.publishing.workflows import add_version
from onboarding.outbox.compose import MailingEmails
from onboarding.outbox.models import Email, Mailing
from onboarding.people.models import User
from onboarding.schools.models import Membership, Role

PRINCIPALS = {
    "high": "principal@example.org",
    "middle": "principal.lakeview@example.org",
    "elementary": "principal.maplegrove@example.org",
}

WISCONSIN_RULES = """\
In Wisconsin, an emergency detention is started by a **law enforcement officer**
(our SRO, or an officer called to the school), who must believe the student is
mentally ill and a substantial danger to themselves or others. School staff do not
start a detention: they assess, keep the student safe, contact the family and call
the officer when the danger is immediate.

Crisis line of the county: 211. District mental-health lead: ext. 4410.
"""

# (starter, days since publication, due in days from today, acknowledged share in %)
PLAN = [
    ("working-with-the-sro", 35, -7, 70),
    ("school-law-refresher", 12, 10, 45),
    ("mental-health-holds", 30, -3, 60),
    ("talking-points", 60, -40, 90),
]

TALKING_POINTS_V2 = """
- If a student or family tells you about a bad experience with the police, listen,
  and let them know the principal and the officer want to hear about it.
"""


def _publish_starter(starter, *, school, published_at, due_date, published_by, state_rules=""):
    guideline = Guideline.objects.create(
        school=school,
        title=starter.title,
        target_roles=[str(r) for r in starter.target_roles],
        starter_key=starter.key,
    )
    version = add_version(
        guideline=guideline,
        body=starter.body,
        state_rules=state_rules,
        statements=list(starter.statements),
        section_links=starter.section_links,
        scenarios=list(starter.scenarios),
        pass_mark=starter.pass_mark,
        due_date=due_date,
        join_window_days=14,
        requires_reacknowledgment=True,
        change_note="",
        published_by=published_by,
    )
    GuidelineVersion.objects.filter(pk=version.pk).update(published_at=published_at)
    version.published_at = published_at
    return guideline


def _acknowledge(person, version, at, school) -> None:
    scenarios = [
        {"scenario": s.pk, "choice": s.correct_choice, "correct": True}
        for s in version.scenarios.all()
    ]
    Acknowledgment.objects.get_or_create(
        person=person,
        version=version,
        defaults={
            "school": school,
            "typed_name": person.full_name,
            "acknowledged_at": at,
            "answers": {
                "statements": [s.pk for s in version.statements.all()],
                "scenarios": scenarios,
                "attempts": 1,
                "score": 100,
            },
        },
    )


def _acknowledges(person, key: str, share: int) -> bool:
    """A stable, believable choice of who has acknowledged what."""
    special = {
        # Priya Patel still has the working-with-the-SRO guideline to do (overdue),
        # and will see what changed in the talking points.
        ("teacher@example.org", "working-with-the-sro"): False,
        ("teacher@example.org", "school-law-refresher"): True,
        ("teacher@example.org", "talking-points"): True,
        ("counselor@example.org", "working-with-the-sro"): True,
        ("counselor@example.org", "mental-health-holds"): False,
    }
    if (person.email, key) in special:
        return special[(person.email, key)]
    return (person.pk * 37 + len(key) * 11) % 100 < share


def seed(world) -> None:
    now = timezone.now()
    today = timezone.localdate()
    start_of_year = now - timedelta(days=100)
    for school_key, school in world.schools.items():
        # The demo staff have worked here since the start of the school year, before
        # the guidelines were published (else each would get a newcomer's window).
        Membership.objects.filter(school=school, created_at__gt=start_of_year).update(
            created_at=start_of_year
        )
        principal = world.people[PRINCIPALS[school_key]]
        members = list(
            Membership.objects.active()
            .filter(school=school)
            .select_related("user")
            .order_by("user__email")
        )
        for key, age, due_in, share in PLAN:
            starter = STARTERS[key]
            published_at = now - timedelta(days=age)
            guideline = Guideline.objects.filter(school=school, starter_key=key).first()
            if guideline is None:
                guideline = _publish_starter(
                    starter,
                    school=school,
                    published_at=published_at,
                    due_date=today + timedelta(days=due_in),
                    published_by=principal,
                    state_rules=WISCONSIN_RULES if starter.has_state_rules else "",
                )
            first = guideline.versions.get(number=1)
            for index, membership in enumerate(members):
                person = membership.user
                if membership.role not in guideline.target_roles:
                    continue
                if _acknowledges(person, key, share):
                    at = published_at + timedelta(days=1 + index % max(1, age - 1), hours=9)
                    _acknowledge(person, first, min(at, now), school)
        if school_key == "high":
            _second_talking_points(school, principal, members, now, today)
        for guideline in Guideline.objects.filter(school=school).select_related(
            "current_version__guideline"
        ):
            _delivered(guideline.current_version, principal, failing=school_key == "high")


# What the mail servers of two staff members answered (the server's own words).
REFUSALS = [
    "550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table",
    "552 5.2.2 <{address}>: Mailbox full: the recipient's mailbox is over its quota",
]


def _delivered(version, principal, *, failing: bool) -> None:
    """The version's publishing mailing as the worker leaves it: its emails composed
    by the real builder, then marked sent (the demo sends nothing). On the first
    starter at Riverside High, two of them refused for good."""
    label = GuidelineVersion._meta.label
    if Mailing.objects.filter(target_type=label, target_id=str(version.pk)).exists():
        return
    at = version.published_at
    mailing = Mailing.objects.create(
        kind=publishing_emails.KIND,
        builder="expectations.publishing.emails.add_published",
        arguments={"version_id": version.pk},
        school=version.guideline.school,
        target_type=label,
        target_id=str(version.pk),
        created_by=principal,
        created_at=at,
        expanded_at=at + timedelta(seconds=20),
    )
    emails = MailingEmails(mailing)
    publishing_emails.add_published(emails, version_id=version.pk)
    rows = sorted(emails.rows.values(), key=lambda e: e.address)
    refused = []
    if failing and version.guideline.starter_key == "working-with-the-sro":
        # Two of the generated staff, never the demo's own accounts.
        generated = [e for e in rows if e.address.endswith("@riverside-schools.example.org")]
        refused = generated[1 : len(generated) : max(1, len(generated) // 2)][:2]
    for index, email in enumerate(rows):
        email.created_at = mailing.expanded_at
        email.attempts = 1
        if email in refused:
            email.state = Email.State.FAILED
            email.last_error = REFUSALS[refused.index(email)].format(address=email.address)
        else:
            email.state = Email.State.SENT
            email.sent_at = mailing.expanded_at + timedelta(seconds=1 + index // 10)
    Email.objects.bulk_create(rows)
    mailing.recipients = len(rows)
    mailing.save(update_fields=["recipients"])
    for email in refused:
        # As the worker does on a permanent refusal: the People page flags the address.
        User.objects.filter(pk=email.recipient_id).update(
            email_bounced_at=mailing.expanded_at, email_bounce=email.last_error[:300]
        )


def _second_talking_points(school, principal, members, now, today) -> None:
    guideline = Guideline.objects.get(school=school, starter_key="talking-points")
    if guideline.current_version.number == 1:
        starter = STARTERS["talking-points"]
        published_at = now - timedelta(days=2)
        version = add_version(
            guideline=guideline,
            body=starter.body.rstrip() + "\n" + TALKING_POINTS_V2,
            state_rules="",
            statements=[
                *starter.statements,
                "I will listen to students and families who tell me about a bad "
                "experience with the police, and pass it on.",
            ],
            scenarios=[],
            pass_mark=100,
            due_date=today + timedelta(days=12),
            join_window_days=14,
            requires_reacknowledgment=True,
            change_note="A new point on listening to students and families who have "
            "had a bad experience with the police.",
            published_by=principal,
        )
        GuidelineVersion.objects.filter(pk=version.pk).update(published_at=published_at)
    version = guideline.versions.get(number=2)
    # A few have already acknowledged the new version.
    for membership in members[:12]:
        person = membership.user
        if (
            membership.role == Role.STAFF
            and person.email != "teacher@example.org"
            and person.pk % 3 == 0
        ):
            _acknowledge(person, version, now - timedelta(days=1), school)
