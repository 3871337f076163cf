"""The demo district: believable people and schools, built idempotently.

Later capabilities add their own `demo.py` with a `seed(world)` function; the
`seed_demo` command runs them in the order of LOCAL_APPS.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password

from onboarding.people.models import User
from onboarding.schools.models import (
    Agency,
    AgencyMembership,
    District,
    DistrictMembership,
    Membership,
    Role,
    School,
)


@dataclass
class DemoWorld:
    district: District
    agency: Agency
    schools: dict[str, School] = field(default_factory=dict)  # "high", "middle", "elementary"
    people: dict[str, User] = field(default_factory=dict)  # by email


SCHOOLS = [
    ("high", "Riverside High School", School.Level.HIGH, "RHS-0301"),
    ("middle", "Lakeview Middle School", School.Level.MIDDLE, "LMS-0202"),
    ("elementary", "Maple Grove Elementary School", School.Level.ELEMENTARY, "MGE-0105"),
]

# (email, full name, school key, role, title)
LEADERS = [
    ("principal@example.org", "Dr. Angela Brooks", "high", Role.PRINCIPAL, "Principal"),
    ("ap.high@example.org", "Marcus Bell", "high", Role.PRINCIPAL, "Assistant principal"),
    ("principal.lakeview@example.org", "Thomas Nguyen", "middle", Role.PRINCIPAL, "Principal"),
    (
        "principal.maplegrove@example.org",
        "Sarah Lindqvist",
        "elementary",
        Role.PRINCIPAL,
        "Principal",
    ),
    ("teacher@example.org", "Priya Patel", "high", Role.STAFF, "English, grades 9–10"),
    ("counselor@example.org", "Jordan Ellis", "high", Role.MENTAL_HEALTH, "School counselor"),
]

MENTAL_HEALTH = [
    ("high", "Renee Castillo", "School social worker"),
    ("high", "Dr. Alan Forde", "School psychologist"),
    ("middle", "Keisha Monroe", "School counselor"),
    ("middle", "Paul Hartmann", "School nurse"),
    ("elementary", "Linda Osei", "School counselor"),
]

TEACHERS = {
    "high": [
        ("Daniel Kim", "Mathematics"),
        ("Maria Gonzalez", "Spanish"),
        ("Ethan Brooks", "Biology"),
        ("Hannah Schultz", "Chemistry"),
        ("Omar Haddad", "U.S. History"),
        ("Grace Liu", "Art"),
        ("Samuel Turner", "Physical education"),
        ("Olivia Bennett", "English, grades 11–12"),
        ("Victor Ramos", "Civics"),
        ("Chloe Anderson", "Special education"),
        ("Isaac Miller", "Computer science"),
        ("Fatima Noor", "Physics"),
        ("Rachel Cohen", "Library media"),
    ],
    "middle": [
        ("Brian Walsh", "Grade 6 science"),
        ("Alicia Moreno", "Grade 7 English"),
        ("Kevin O'Brien", "Grade 8 math"),
        ("Nadia Petrova", "Social studies"),
        ("Tyrone Jackson", "Physical education"),
        ("Emily Carter", "Music"),
        ("Lucas Fischer", "Grade 7 math"),
        ("Sofia Rossi", "Grade 6 English"),
    ],
    "elementary": [
        ("Amy Thompson", "Kindergarten"),
        ("Jacob Meyer", "Grade 1"),
        ("Megan Price", "Grade 2"),
        ("Carlos Vega", "Grade 3"),
        ("Leah Goldberg", "Grade 4"),
        ("Andre Wilson", "Grade 5"),
        ("Holly Dunn", "Reading specialist"),
    ],
}


def _email_for(name: str) -> str:
    parts = [p for p in name.replace("Dr. ", "").replace("'", "").lower().split() if p]
    return f"{parts[0]}.{parts[-1]}@riverside-schools.example.org"


def _person(world: DemoWorld, email: str, full_name: str, password_hash: str) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "password": password_hash}
    )
    if not created and (user.full_name != full_name or not user.is_active):
        user.full_name = full_name
        user.is_active = True
        user.save(update_fields=["full_name", "is_active"])
    world.people[email] = user
    return user


def _member(user: User, school: School, role: str, title: str = "") -> Membership:
    membership, _ = Membership.objects.update_or_create(
        user=user, school=school, defaults={"role": role, "title": title, "is_active": True}
    )
    return membership


def seed() -> DemoWorld:
    # One hash for every demo account: hashing forty times would take seconds.
    password_hash = make_password(settings.DEMO_PASSWORD)
    district, _ = District.objects.get_or_create(
        name="Riverside Unified School District", defaults={"state": "WI"}
    )
    agency, _ = Agency.objects.get_or_create(name="Riverside Police Department", district=district)
    world = DemoWorld(district=district, agency=agency)
    for key, name, level, sis_id in SCHOOLS:
        school, _ = School.objects.get_or_create(
            district=district,
            name=name,
            defaults={
                "level": level,
                "state": "WI",
                "time_zone": "America/Chicago",
                "sis_id": sis_id,
                "address": f"{100 + len(key) * 11} {name.split()[0]} Avenue, Riverside, WI",
            },
        )
        world.schools[key] = school

    for email, name, key, role, title in LEADERS:
        _member(_person(world, email, name, password_hash), world.schools[key], role, title)
    for key, name, title in MENTAL_HEALTH:
        user = _person(world, _email_for(name), name, password_hash)
        _member(user, world.schools[key], Role.MENTAL_HEALTH, title)
    for key, teachers in TEACHERS.items():
        for name, subject in teachers:
            _member(
                _person(world, _email_for(name), name, password_hash),
                world.schools[key],
                Role.STAFF,
                subject,
            )

    district_admin = _person(world, "district@example.org", "Karen Holloway", password_hash)
    DistrictMembership.objects.update_or_create(
        user=district_admin, district=district, defaults={"is_active": True}
    )
    supervisor = _person(world, "supervisor@example.org", "Sgt. Dana Whitfield", password_hash)
    AgencyMembership.objects.update_or_create(
        user=supervisor,
        agency=agency,
        defaults={"role": AgencyMembership.AgencyRole.SUPERVISOR, "badge_number": "S-114"},
    )
    officers = [
        ("sro@example.org", "Officer Marcus Reyes", "P-2231", ["high", "middle"]),
        ("sro2@example.org", "Officer Jenna Okafor", "P-2478", ["elementary"]),
    ]
    for email, name, badge, schools in officers:
        officer = _person(world, email, name, password_hash)
        AgencyMembership.objects.update_or_create(
            user=officer,
            agency=agency,
            defaults={"role": AgencyMembership.AgencyRole.OFFICER, "badge_number": badge},
        )
        for key in schools:
            _member(officer, world.schools[key], Role.SRO, "School Resource Officer")
    return world
