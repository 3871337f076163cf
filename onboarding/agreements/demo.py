"""Demo role agreements, built through the real workflows:

- Riverside High: an active, fully signed agreement, and an amendment in review;
- Lakeview Middle: an agreement in review, with comments from the officer;
- Maple Grove Elementary: a draft.

Idempotent: a school that already has an agreement is left alone. No email is sent.
"""

from datetime import timedelta

from django.utils import timezone

from onboarding.agreements import emails, signing, workflows
from onboarding.agreements.models import Agreement


def _edit(agreement: Agreement, key: str, body: str, actor) -> None:
    agreement.refresh_from_db()
    section = agreement.current_version.sections.get(key=key)
    workflows.agreement_save_section(
        agreement=agreement,
        key=key,
        title=section.title,
        body=body,
        base_version=agreement.current_version.number,
        actor=actor,
    )


def _sign_all(agreement: Agreement) -> None:
    for party in agreement.parties.select_related("user"):
        agreement.refresh_from_db()
        signing.agreement_sign(
            agreement=agreement,
            user=party.user,
            typed_name=party.user.full_name,
            ip_address=None,
            user_agent="Demo data",
            version_number=agreement.current_version.number,
        )


def seed(world) -> None:
    people = world.people
    sro, sro2 = people["sro@example.org"], people["sro2@example.org"]
    supervisor = people["supervisor@example.org"]
    today = timezone.localdate()
    with emails.quiet():
        _seed_high(world, people["principal@example.org"], sro, supervisor, today)
        _seed_middle(world, people["principal.lakeview@example.org"], sro, today)
        _seed_elementary(world, people["principal.maplegrove@example.org"], sro2, today)


def _seed_high(world, principal, sro, supervisor, today) -> None:
    school = world.schools["high"]
    if Agreement.objects.filter(school=school).exists():
        return
    agreement = workflows.agreement_start(
        school=school,
        agency=world.agency,
        officer=sro,
        start_date=today - timedelta(days=90),
        review_date=today + timedelta(days=275),
        actor=principal,
    )
    workflows.agreement_send_for_review(agreement=agreement, actor=principal)
    thread = workflows.agreement_comment(
        agreement=agreement,
        key="schedule",
        body="Could the schedule say I keep Tuesday lunches free for students?",
        actor=sro,
    )
    _edit(
        agreement,
        "schedule",
        "The officer's schedule at Riverside High School is agreed with the principal each "
        "term and shared with staff. Tuesday lunch periods stay free for time with "
        "students.\n\nThe school provides a private workspace with a phone and a lockable "
        "cabinet. Duties at evening and weekend events are agreed in advance.",
        principal,
    )
    workflows.agreement_resolve_comment(comment=thread, actor=sro)
    signing.agreement_send_for_signing(agreement=agreement, actor=principal)
    _sign_all(agreement)
    agreement.refresh_from_db()

    amendment = workflows.agreement_amend(agreement=agreement, actor=principal)
    _edit(
        amendment,
        "data",
        "Each term, the agency reports to the school the number of arrests, citations, uses "
        "of force and referrals to the justice system arising on campus, broken down by "
        "grade, sex, race and disability status, without naming any student.\n\nThe officer "
        "also records community work: class introductions, talks given, events attended and "
        "mentoring time. The figures are shared with families at the spring open house.",
        principal,
    )
    referrals = amendment.current_version.sections.get(key="referrals").body
    _edit(
        amendment,
        "referrals",
        referrals.rstrip() + "\n\nA referral names what the student did, not who the student "
        "is, and the administrator tells the family the same day unless that would put the "
        "student at risk.",
        principal,
    )
    workflows.agreement_send_for_review(agreement=amendment, actor=principal)
    workflows.agreement_comment(
        agreement=amendment,
        key="data",
        body="Fine by the agency. We can prepare the figures by the end of April.",
        actor=supervisor,
    )


def _seed_middle(world, principal, sro, today) -> None:
    school = world.schools["middle"]
    if Agreement.objects.filter(school=school).exists():
        return
    agreement = workflows.agreement_start(
        school=school,
        agency=world.agency,
        officer=sro,
        start_date=today + timedelta(days=21),
        actor=principal,
    )
    workflows.agreement_send_for_review(agreement=agreement, actor=principal)
    first = workflows.agreement_comment(
        agreement=agreement,
        key="questioning",
        body="Our policy also asks for a school administrator in the room when a student "
        "under 14 is questioned. Can we add that?",
        actor=sro,
    )
    workflows.agreement_comment(
        agreement=agreement,
        key="questioning",
        body="Yes, I will add it this week.",
        actor=principal,
        parent=first,
    )
    workflows.agreement_comment(
        agreement=agreement,
        key="schedule",
        body="I serve Riverside High too: Mondays and Thursdays here would work best.",
        actor=sro,
    )


def _seed_elementary(world, principal, sro2, today) -> None:
    school = world.schools["elementary"]
    if Agreement.objects.filter(school=school).exists():
        return
    agreement = workflows.agreement_start(
        school=school,
        agency=world.agency,
        officer=sro2,
        start_date=today + timedelta(days=45),
        actor=principal,
    )
    _edit(
        agreement,
        "roles",
        "The SRO serves in three roles at Maple Grove, with the emphasis on the last two "
        "for our youngest students.\n\n1. **Law enforcement officer**, within the limits "
        "this agreement sets.\n2. **Informal mentor**: morning greetings, lunch and recess "
        "with students.\n3. **Educator**: safety talks when a teacher invites the officer.",
        principal,
    )
