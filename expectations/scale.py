"""Scale step of expectations: published guidelines (district-wide and a few of
each school's own) and 20,000 acknowledgments over them, in bulk."""

from datetime import timedelta

from django.utils import timezone

from expectations.models import Acknowledgment, Guideline, GuidelineVersion, Scenario, Statement
from onboarding.scale import ScaleSizes
from onboarding.schools.models import Role

BATCH = 2000
ACKNOWLEDGMENTS = 20_000
STAFF_ROLES = [Role.PRINCIPAL, Role.STAFF, Role.MENTAL_HEALTH]

DISTRICT_GUIDELINES = [
    ("Working with our School Resource Officer", STAFF_ROLES, 2),
    ("Who handles school discipline", STAFF_ROLES, 1),
    ("Calling the officer in an emergency", [Role.PRINCIPAL, Role.MENTAL_HEALTH], 1),
]
BODY = """The officer is part of the school community. Staff keep school discipline
with educators and call the officer for safety and for the law.

- Talk to an administrator before calling the officer about a student.
- The counselor is asked first when a student is in distress.
"""


def seed(world) -> None:
    rng = world.rng
    now = timezone.now()
    today = timezone.localdate()
    author = world.district_admins[0] if world.district_admins else None

    with world.step("guidelines and versions"):
        guidelines = [
            Guideline(district=world.district, title=title, target_roles=[str(r) for r in roles])
            for title, roles, _ in DISTRICT_GUIDELINES
        ]
        # Each school also has one guideline of its own, for its staff.
        guidelines += [
            Guideline(
                school=school,
                title=f"Visitors and the officer at {school.name}",
                target_roles=[Role.STAFF.value],
            )
            for school in world.schools
        ]
        guidelines = Guideline.objects.bulk_create(guidelines, batch_size=BATCH)
        counts = [n for _, _, n in DISTRICT_GUIDELINES] + [1] * len(world.schools)
        versions = []
        for guideline, count in zip(guidelines, counts, strict=True):
            for number in range(1, count + 1):
                versions.append(
                    GuidelineVersion(
                        guideline=guideline,
                        number=number,
                        body=BODY + ("" if number == 1 else "\nRevised after the review.\n"),
                        due_date=today - timedelta(days=30) + timedelta(days=20 * number),
                        published_at=now - timedelta(days=80 - 30 * number),
                        published_by=author,
                        change_note="" if number == 1 else "Clarified the first step.",
                    )
                )
        versions = GuidelineVersion.objects.bulk_create(versions, batch_size=BATCH)
        by_guideline = {}
        for version in versions:
            by_guideline.setdefault(version.guideline_id, []).append(version)
        for guideline in guidelines:
            mine = by_guideline[guideline.pk]
            guideline.current_version = mine[-1]
            # The first version still counts: the revision did not require a new one.
            guideline.required_version = mine[0]
        Guideline.objects.bulk_update(
            guidelines, ["current_version", "required_version"], batch_size=BATCH
        )
        Statement.objects.bulk_create(
            [
                Statement(version=v, order=n, text=text)
                for v in versions
                for n, text in enumerate(
                    [
                        "I will not ask the officer to handle school discipline.",
                        "I will call an administrator first when a student breaks a rule.",
                    ]
                )
            ],
            batch_size=BATCH,
        )
        Scenario.objects.bulk_create(
            [
                Scenario(
                    version=v,
                    order=0,
                    situation="A student refuses to put a phone away. Who do you call?",
                    choices=["The officer", "An administrator"],
                    correct_choice=1,
                    explanation="Phones are school discipline: educators handle it.",
                )
                for v in versions
            ],
            batch_size=BATCH,
        )

    with world.step("acknowledgments"):
        # Every (person, version) a person could acknowledge, then a sample of them.
        candidates = []
        for school in world.schools:
            people = {
                Role.PRINCIPAL: world.principals[school.pk],
                Role.STAFF: world.staff[school.pk],
                Role.MENTAL_HEALTH: world.mental_health[school.pk],
            }
            for guideline in guidelines:
                if guideline.school_id not in (None, school.pk):
                    continue
                for role in guideline.target_roles:
                    for person in people.get(role, []):
                        for version in by_guideline[guideline.pk]:
                            candidates.append((person, version, school))
        # 20,000 at the default 6,000 staff, in proportion at other sizes.
        wanted = round(ACKNOWLEDGMENTS * world.sizes.staff / ScaleSizes().staff)
        chosen = rng.sample(candidates, min(wanted, len(candidates)))
        Acknowledgment.objects.bulk_create(
            [
                Acknowledgment(
                    person=person,
                    version=version,
                    school=school,
                    typed_name=person.full_name,
                    acknowledged_at=version.published_at + timedelta(hours=rng.randint(1, 400)),
                    answers={"statements": [], "scenarios": [], "attempts": 1, "score": 100},
                )
                for person, version, school in chosen
            ],
            batch_size=BATCH,
        )
    # The guideline with most people to acknowledge it (the compliance page's big case).
    world.extra["largest_guideline"] = guidelines[0]
