"""A district at scale, built in bulk: the data the benchmark runs against.

`seed_scale` calls `seed(sizes, log=...)` here for the foundation (schools,
people, roles), then `<app>.scale.seed(world)` for each other local app that has
a `scale.py`, in the order of LOCAL_APPS. An app's step reads what it needs from
the `ScaleWorld` (schools, people by school and role, officers and the schools
they serve), builds its rows with `bulk_create`, and may leave what later apps
need in `world.extra`. Time each sub-step with `with world.step("name"):`.

Every account shares one password hash (SCALE_PASSWORD): hashing six thousand
passwords would take longer than building the rest of the district.
"""

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from onboarding.agreements.models import Agreement, Signature
from onboarding.people.models import Invitation, User
from onboarding.schools.models import (
    Agency,
    AgencyMembership,
    District,
    DistrictMembership,
    Membership,
    Role,
    School,
)

DISTRICT_NAME = "Scale Unified School District"
EMAIL_DOMAIN = "scale.example.org"
SCALE_PASSWORD = "sro-portal-scale"  # noqa: S105 - documented benchmark password
BATCH = 2000

FIRST_NAMES = [
    "Aaliyah",
    "Aaron",
    "Abigail",
    "Adam",
    "Adrian",
    "Aisha",
    "Alan",
    "Alexis",
    "Alicia",
    "Amara",
    "Amir",
    "Ana",
    "Andre",
    "Angela",
    "Anthony",
    "Ava",
    "Benjamin",
    "Bianca",
    "Brandon",
    "Brianna",
    "Caleb",
    "Camila",
    "Carlos",
    "Carmen",
    "Chloe",
    "Daniel",
    "Daniela",
    "David",
    "Deja",
    "Diego",
    "Dylan",
    "Elena",
    "Elijah",
    "Emily",
    "Emma",
    "Ethan",
    "Eva",
    "Fatima",
    "Gabriel",
    "Grace",
    "Hannah",
    "Hector",
    "Imani",
    "Isaac",
    "Isabella",
    "Jacob",
    "Jamal",
    "Jasmine",
    "Jordan",
    "Jose",
    "Joseph",
    "Julia",
    "Kai",
    "Keisha",
    "Kevin",
    "Laila",
    "Leah",
    "Liam",
    "Lucas",
    "Luis",
    "Maria",
    "Marcus",
    "Maya",
    "Mei",
    "Mia",
    "Miguel",
    "Nadia",
    "Noah",
    "Nora",
    "Olivia",
    "Omar",
    "Paul",
    "Priya",
    "Rachel",
    "Rafael",
    "Renee",
    "Ruth",
    "Samuel",
    "Sara",
    "Sofia",
    "Tariq",
    "Thomas",
    "Tyrone",
    "Valeria",
    "Victor",
    "William",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Abbott",
    "Adams",
    "Alvarez",
    "Anderson",
    "Bailey",
    "Baker",
    "Bell",
    "Bennett",
    "Brooks",
    "Brown",
    "Campbell",
    "Carter",
    "Castillo",
    "Chen",
    "Clark",
    "Cohen",
    "Collins",
    "Cruz",
    "Davis",
    "Diaz",
    "Edwards",
    "Ellis",
    "Evans",
    "Fischer",
    "Flores",
    "Garcia",
    "Gomez",
    "Gonzalez",
    "Green",
    "Hall",
    "Harris",
    "Hernandez",
    "Hill",
    "Huang",
    "Jackson",
    "James",
    "Johnson",
    "Jones",
    "Kim",
    "King",
    "Lee",
    "Lewis",
    "Lopez",
    "Martin",
    "Martinez",
    "Miller",
    "Mitchell",
    "Moore",
    "Morales",
    "Murphy",
    "Nguyen",
    "Noor",
    "Okafor",
    "Ortiz",
    "Osei",
    "Parker",
    "Patel",
    "Perez",
    "Phillips",
    "Ramirez",
    "Ramos",
    "Reyes",
    "Richardson",
    "Rivera",
    "Roberts",
    "Robinson",
    "Rodriguez",
    "Sanchez",
    "Scott",
    "Singh",
    "Smith",
    "Stewart",
    "Taylor",
    "Thomas",
    "Thompson",
    "Torres",
    "Turner",
    "Walker",
    "Washington",
    "White",
    "Williams",
    "Wilson",
    "Wright",
    "Young",
]
TOWNS = [
    "Ash",
    "Birch",
    "Cedar",
    "Clear",
    "Creek",
    "Elm",
    "Fair",
    "Glen",
    "Hill",
    "Lake",
    "Maple",
    "Mill",
    "North",
    "Oak",
    "Pine",
    "River",
    "Rock",
    "South",
    "Spring",
    "Stone",
    "Sun",
    "Valley",
    "West",
    "Willow",
]
TITLES_STAFF = [
    "English",
    "Mathematics",
    "Science",
    "Social studies",
    "Art",
    "Music",
    "Physical education",
    "Special education",
    "Library media",
    "World languages",
]
TITLES_MENTAL_HEALTH = ["School counselor", "School social worker", "School psychologist"]
# How many schools each officer serves, cycled: most serve two or three.
SERVES_PATTERN = [2, 3, 2, 1, 3, 2, 2, 3]


@dataclass(frozen=True)
class ScaleSizes:
    schools: int = 60
    staff: int = 6000  # principals, staff and mental-health staff, across all schools
    officers: int = 40
    supervisors: int = 4
    district_admins: int = 3
    pending_invitations_per_school: int = 3
    seed: int = 8


@dataclass
class ScaleWorld:
    sizes: ScaleSizes
    district: District
    agency: Agency
    password_hash: str
    rng: random.Random
    log: Callable[[str], None] = print
    schools: list[School] = field(default_factory=list)
    # school id -> users holding that role there
    principals: dict[int, list[User]] = field(default_factory=dict)
    staff: dict[int, list[User]] = field(default_factory=dict)
    mental_health: dict[int, list[User]] = field(default_factory=dict)
    officers_of_school: dict[int, list[User]] = field(default_factory=dict)
    # officer id -> the schools they serve
    schools_of_officer: dict[int, list[School]] = field(default_factory=dict)
    officers: list[User] = field(default_factory=list)
    supervisors: list[User] = field(default_factory=list)
    district_admins: list[User] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)
    # What one app's step leaves for the next (keyed by app label).
    extra: dict[str, object] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        self.timings.append((name, elapsed))
        self.log(f"  {name:<40} {elapsed:6.2f} s")

    @property
    def largest_school(self) -> School:
        return max(self.schools, key=lambda s: len(self.staff_of(s)))

    @property
    def busiest_officer(self) -> User:
        return max(self.officers, key=lambda u: len(self.schools_of_officer[u.pk]))

    def staff_of(self, school: School) -> list[User]:
        """Everybody on the school's staff roster (principals, staff, mental health)."""
        return self.principals[school.pk] + self.staff[school.pk] + self.mental_health[school.pk]


def scale_district() -> District | None:
    return District.objects.filter(name=DISTRICT_NAME).first()


def drop() -> None:
    """Delete the scale district and every person seeded with it."""
    district = scale_district()
    if district is not None:
        _drop_agreements(district)
    User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
    if district is None:
        return
    Invitation.objects.filter(district=district).delete()
    School.objects.filter(district=district).delete()
    Agency.objects.filter(district=district).delete()
    district.delete()


IMMUTABLE_TABLES = [
    "onboarding_agreement",
    "onboarding_signature",
    "onboarding_agreementversion",
    "onboarding_agreementsection",
]


def _drop_agreements(district: District) -> None:
    """The scale district's agreements go first: their signatures are immutable (the
    models refuse, and on PostgreSQL triggers of migration 0003 refuse), so only
    this synthetic district's rows are removed, with the triggers off inside this
    transaction (ALTER TABLE locks the tables until it commits)."""
    from django.db import connection

    agreements = Agreement.objects.filter(school__district=district)
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            _check_deferred_constraints(cursor)
            for table in IMMUTABLE_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        Signature.objects.filter(version__agreement__in=agreements).delete()
        agreements.update(current_version=None, amends=None)
        agreements.delete()
        if postgres:
            _check_deferred_constraints(cursor)
            for table in IMMUTABLE_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _check_deferred_constraints(cursor) -> None:
    """Check the deferred foreign keys now: a table with pending trigger events
    (rows written earlier in this transaction) cannot be altered."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _people(world: ScaleWorld, prefix: str, count: int, title: str = "") -> list[User]:
    users = [
        User(
            email=f"{prefix}{n}@{EMAIL_DOMAIN}",
            full_name=f"{title}{_name(world.rng)}",
            password=world.password_hash,
        )
        for n in range(1, count + 1)
    ]
    return User.objects.bulk_create(users, batch_size=BATCH)


def _school_sizes(sizes: ScaleSizes, rng: random.Random) -> list[int]:
    """Staff per school: uneven, as real schools are, summing to sizes.staff."""
    weights = [rng.uniform(0.5, 1.8) for _ in range(sizes.schools)]
    total = sum(weights)
    counts = [max(3, int(sizes.staff * w / total)) for w in weights]
    counts[counts.index(max(counts))] += sizes.staff - sum(counts)
    return counts


def seed(sizes: ScaleSizes, log: Callable[[str], None] = print) -> ScaleWorld:
    rng = random.Random(sizes.seed)
    started = time.perf_counter()
    password_hash = make_password(SCALE_PASSWORD)
    district = District.objects.create(name=DISTRICT_NAME, state="OH")
    agency = Agency.objects.create(district=district, name="Scale County Sheriff's Office")
    world = ScaleWorld(
        sizes=sizes,
        district=district,
        agency=agency,
        password_hash=password_hash,
        rng=rng,
        log=log,
    )
    world.timings.append(("password hash", time.perf_counter() - started))

    with world.step("schools"):
        levels = [School.Level.ELEMENTARY] * 3 + [School.Level.MIDDLE] * 2 + [School.Level.HIGH]
        schools = []
        for n in range(sizes.schools):
            level = levels[n % len(levels)]
            town = f"{TOWNS[n % len(TOWNS)]}{'' if n < len(TOWNS) else f' {n // len(TOWNS) + 1}'}"
            label = {"elementary": "Elementary School", "middle": "Middle School"}.get(
                level, "High School"
            )
            schools.append(
                School(
                    district=district,
                    name=f"{town} {label}",
                    level=level,
                    state="OH",
                    time_zone="America/New_York",
                    address=f"{100 + n} Main Street, {town}, OH",
                    sis_id=f"SC-{n + 1:04d}",
                )
            )
        world.schools = School.objects.bulk_create(schools)

    with world.step("school staff"):
        counts = _school_sizes(sizes, rng)
        users = _people(world, "staff", sizes.staff)
        memberships = []
        position = 0
        for school, count in zip(world.schools, counts, strict=True):
            mine = users[position : position + count]
            position += count
            principals = 2 if count >= 40 else 1
            mental_health = max(1, count // 20)
            world.principals[school.pk] = mine[:principals]
            world.mental_health[school.pk] = mine[principals : principals + mental_health]
            world.staff[school.pk] = mine[principals + mental_health :]
            for i, user in enumerate(world.principals[school.pk]):
                title = "Principal" if i == 0 else "Assistant principal"
                memberships.append(
                    Membership(user=user, school=school, role=Role.PRINCIPAL, title=title)
                )
            for user in world.mental_health[school.pk]:
                memberships.append(
                    Membership(
                        user=user,
                        school=school,
                        role=Role.MENTAL_HEALTH,
                        title=rng.choice(TITLES_MENTAL_HEALTH),
                    )
                )
            for user in world.staff[school.pk]:
                memberships.append(
                    Membership(
                        user=user,
                        school=school,
                        role=Role.STAFF,
                        title=rng.choice(TITLES_STAFF),
                        # A few people have left: the roster shows them, inactive.
                        is_active=rng.random() > 0.03,
                    )
                )
        Membership.objects.bulk_create(memberships, batch_size=BATCH)

    with world.step("officers, agency, district admins"):
        world.officers = _people(world, "officer", sizes.officers, title="Officer ")
        world.supervisors = _people(world, "supervisor", sizes.supervisors, title="Sgt. ")
        world.district_admins = _people(world, "admin", sizes.district_admins)
        agency_roles = [
            AgencyMembership(
                user=officer,
                agency=agency,
                role=AgencyMembership.AgencyRole.OFFICER,
                badge_number=f"P-{3000 + n}",
            )
            for n, officer in enumerate(world.officers)
        ] + [
            AgencyMembership(
                user=supervisor,
                agency=agency,
                role=AgencyMembership.AgencyRole.SUPERVISOR,
                badge_number=f"S-{100 + n}",
            )
            for n, supervisor in enumerate(world.supervisors)
        ]
        AgencyMembership.objects.bulk_create(agency_roles, batch_size=BATCH)
        DistrictMembership.objects.bulk_create(
            [DistrictMembership(user=admin, district=district) for admin in world.district_admins]
        )
        # Walk the schools in a cycle so that every school has an officer.
        world.officers_of_school = {school.pk: [] for school in world.schools}
        sro_memberships = []
        cursor = 0
        for n, officer in enumerate(world.officers):
            serves = min(SERVES_PATTERN[n % len(SERVES_PATTERN)], len(world.schools))
            served = [world.schools[(cursor + k) % len(world.schools)] for k in range(serves)]
            cursor += serves
            world.schools_of_officer[officer.pk] = served
            for school in served:
                world.officers_of_school[school.pk].append(officer)
                sro_memberships.append(
                    Membership(
                        user=officer, school=school, role=Role.SRO, title="School Resource Officer"
                    )
                )
        Membership.objects.bulk_create(sro_memberships, batch_size=BATCH)

    with world.step("pending invitations"):
        expires = timezone.now() + timedelta(days=5)
        invitations = []
        for school in world.schools:
            inviter = world.principals[school.pk][0]
            for n in range(sizes.pending_invitations_per_school):
                _, token_hash = Invitation.new_token()
                invitations.append(
                    Invitation(
                        email=f"new{school.pk}-{n}@{EMAIL_DOMAIN}",
                        full_name=_name(rng),
                        role=Role.STAFF,
                        school=school,
                        district=district,
                        invited_by=inviter,
                        token_hash=token_hash,
                        expires_at=expires,
                    )
                )
        Invitation.objects.bulk_create(invitations, batch_size=BATCH)

    from onboarding.agreements.scale import seed as seed_agreements

    seed_agreements(world)
    return world
