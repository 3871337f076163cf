"""Scale step of role agreements: one agreement per school with several versions,
section comments, signing parties, and signatures on most schools' last version.

Rows go in the order PostgreSQL's immutability triggers allow (migration 0003):
agreements, versions and their sections, comments and parties first; the
agreements' `current_version` is set while nothing is signed yet; signatures last.
"""

from datetime import timedelta

from django.utils import timezone

from onboarding.agreement_template.builtin import SECTIONS, fill_placeholders
from onboarding.agreements.models import (
    Agreement,
    AgreementSection,
    AgreementVersion,
    SectionComment,
    Signature,
    SigningParty,
    canonical_text,
    sha256_hex,
)
from onboarding.agreements.signing import signing_path

BATCH = 2000
VERSIONS = 3
COMMENTS_PER_VERSION = 4

COMMENTS = [
    "Can we say who decides when a matter is school discipline?",
    "Families asked for this part in plain words.",
    "The agency's policy number should be cited here.",
    "Agreed with the change; thank you.",
    "Please add the counselor to the list of people called first.",
    "Could the review meeting be in the spring instead?",
]


def seed(world) -> None:
    rng = world.rng
    now = timezone.now()
    today = timezone.localdate()
    supervisor = world.supervisors[0] if world.supervisors else None

    with world.step("agreements, versions, sections"):
        agreements = []
        largest = world.largest_school
        others = [s for s in world.schools if s != largest]
        for school in world.schools:
            officer = world.officers_of_school[school.pk][0]
            # By position, not at random, so that every size has each state (the
            # query-count test compares two sizes): the largest school's agreement
            # is active; of the others, 1 in 10 waits for signatures (the principal
            # has signed), 1 in 10 is in review, the rest are active.
            n = others.index(school) if school != largest else -1
            status = {0: Agreement.Status.SIGNING, 1: Agreement.Status.REVIEW}.get(
                n % 10 if n >= 0 else -1, Agreement.Status.ACTIVE
            )
            active = status == Agreement.Status.ACTIVE
            signing = status in (Agreement.Status.ACTIVE, Agreement.Status.SIGNING)
            agreements.append(
                Agreement(
                    school=school,
                    agency=world.agency,
                    officer=officer,
                    title=f"Role agreement: {school.name} and {world.agency.name}",
                    status=status,
                    start_date=today - timedelta(days=60),
                    review_date=today + timedelta(days=300),
                    created_by=world.principals[school.pk][0],
                    created_at=now - timedelta(days=90),
                    sent_for_signing_at=now - timedelta(days=40) if signing else None,
                    activated_at=now - timedelta(days=30) if active else None,
                )
            )
        agreements = Agreement.objects.bulk_create(agreements, batch_size=BATCH)

        versions, texts = [], {}
        for agreement in agreements:
            school = agreement.school
            values = {
                "school": school.name,
                "district": world.district.name,
                "agency": world.agency.name,
                "officer": agreement.officer.full_name,
                "start_date": f"{agreement.start_date:%B %d, %Y}",
                "review_date": f"{agreement.review_date:%B %d, %Y}",
            }
            for number in range(1, VERSIONS + 1):
                sections = [
                    AgreementSection(
                        key=key,
                        position=position,
                        title=title,
                        body=fill_placeholders(body, values)
                        + ("" if number == 1 else f"\n\nRevised in version {number}."),
                    )
                    for position, (key, title, body) in enumerate(SECTIONS, start=1)
                    # Version 2 adds no new section; version 1 lacks the last one.
                    if number > 1 or key != SECTIONS[-1][0]
                ]
                text = canonical_text(agreement.title, sections)
                version = AgreementVersion(
                    agreement=agreement,
                    number=number,
                    author=world.principals[school.pk][0],
                    created_at=now - timedelta(days=90 - 20 * number),
                    note=["First draft", "After staff comments", "Final text"][(number - 1) % 3],
                    text=text,
                    sha256=sha256_hex(text),
                )
                versions.append(version)
                texts[id(version)] = sections
        versions = AgreementVersion.objects.bulk_create(versions, batch_size=BATCH)
        rows = []
        for version in versions:
            for section in texts[id(version)]:
                section.version = version
                rows.append(section)
        AgreementSection.objects.bulk_create(rows, batch_size=BATCH)

    with world.step("agreement comments, parties"):
        comments, parties = [], []
        for version in versions:
            school_pk = version.agreement.school_id
            authors = world.principals[school_pk] + world.officers_of_school[school_pk]
            for n in range(COMMENTS_PER_VERSION):
                comments.append(
                    SectionComment(
                        agreement=version.agreement,
                        version=version,
                        section_key=SECTIONS[n % len(SECTIONS)][0],
                        author=rng.choice(authors),
                        body=rng.choice(COMMENTS),
                        created_at=version.created_at + timedelta(hours=n + 1),
                        resolved_at=version.created_at + timedelta(days=2)
                        if version.number < VERSIONS
                        else None,
                    )
                )
        SectionComment.objects.bulk_create(comments, batch_size=BATCH)
        signers = {}
        for agreement in agreements:
            school_pk = agreement.school_id
            people = [("Principal", world.principals[school_pk][0]), ("Officer", agreement.officer)]
            if supervisor is not None:
                people.append(("SRO supervisor", supervisor))
            signers[agreement.pk] = [
                SigningParty(agreement=agreement, order=order, role=role, user=user)
                for order, (role, user) in enumerate(people, start=1)
            ]
            parties.extend(signers[agreement.pk])
        SigningParty.objects.bulk_create(parties, batch_size=BATCH)
        last = {v.agreement_id: v for v in versions if v.number == VERSIONS}
        for agreement in agreements:
            agreement.current_version = last[agreement.pk]
        # Seeded active from the start: the database lets only signing set their version.
        with signing_path():
            Agreement.objects.bulk_update(agreements, ["current_version"], batch_size=BATCH)

    with world.step("agreement signatures"):
        signatures = []
        for agreement in agreements:
            if agreement.status == Agreement.Status.ACTIVE:
                signed = signers[agreement.pk]
            elif agreement.status == Agreement.Status.SIGNING:
                signed = signers[agreement.pk][:1]
            else:
                continue
            version = last[agreement.pk]
            for party in signed:
                signatures.append(
                    Signature(
                        version=version,
                        party=party,
                        user=party.user,
                        role=party.role,
                        typed_name=party.user.full_name,
                        signed_at=agreement.sent_for_signing_at + timedelta(days=party.order),
                        sha256=version.sha256,
                    ).sealed(agreement.pk)
                )
        Signature.objects.bulk_create(signatures, batch_size=BATCH)
    world.extra["agreements"] = agreements
