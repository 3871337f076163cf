"""Districts, schools, police agencies, and the roles that join people to them."""

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Q, When

US_STATES = [
    (code, code)
    for code in [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
    ]
]


TIME_ZONES = [
    (zone, zone)
    for zone in (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
    )
]


class District(models.Model):
    name = models.CharField(max_length=200)
    state = models.CharField(max_length=2, choices=US_STATES)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class Level(models.TextChoices):
        ELEMENTARY = "elementary", "Elementary school"
        MIDDLE = "middle", "Middle school"
        HIGH = "high", "High school"
        OTHER = "other", "Other"

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.OTHER)
    state = models.CharField(max_length=2, choices=US_STATES)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONES, default="America/Chicago")
    address = models.CharField(max_length=300, blank=True)
    # The school's identifier in the student information system (OneRoster orgs.csv).
    sis_id = models.CharField("SIS identifier", max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Agency(models.Model):
    """A police agency that employs School Resource Officers."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PRINCIPAL = "principal", "Principal"
    STAFF = "staff", "Staff"
    MENTAL_HEALTH = "mental_health", "Mental-health staff"
    SRO = "sro", "School Resource Officer"
    SUPERVISOR = "supervisor", "Agency supervisor"
    DISTRICT_ADMIN = "district_admin", "District admin"


# Roles held within one school, through a Membership.
SCHOOL_ROLES = [Role.PRINCIPAL, Role.STAFF, Role.MENTAL_HEALTH, Role.SRO]


# Roles a school's staff roster holds (the people who work for the school).
SCHOOL_STAFF_ROLES = [Role.PRINCIPAL, Role.STAFF, Role.MENTAL_HEALTH]


@dataclass(frozen=True)
class Setup:
    """Who leads a school and how many work there, as its page, the home page's cards
    and the district's table of schools show it."""

    principals: list[str] = field(default_factory=list)  # their names, in order
    officers: list[str] = field(default_factory=list)
    staff_count: int = 0  # active principals, staff and mental-health staff
    mental_health_count: int = 0


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)

    def setups(self, school_ids) -> dict[int, Setup]:
        """{school_id: Setup} of these schools: one query, counted in the database
        (a row per principal and officer, with their name, and one per other role),
        never a model per person."""
        school_ids = list(school_ids)
        if not school_ids:
            return {}
        leader = Case(When(role__in=[Role.PRINCIPAL, Role.SRO], then="user__full_name"))
        rows = (
            self.active()
            .filter(school_id__in=school_ids)
            .values("school_id", "role", name=leader)
            .annotate(n=Count("pk"))
            .order_by("name")
        )
        names, count = defaultdict(list), defaultdict(int)
        for row in rows:
            key = (row["school_id"], row["role"])
            count[key] += row["n"]
            if row["name"] is not None:
                names[key] += [row["name"]] * row["n"]
        return {
            school_id: Setup(
                principals=names[school_id, Role.PRINCIPAL],
                officers=names[school_id, Role.SRO],
                staff_count=sum(count[school_id, role] for role in SCHOOL_STAFF_ROLES),
                mental_health_count=count[school_id, Role.MENTAL_HEALTH],
            )
            for school_id in school_ids
        }


class Membership(models.Model):
    """A person's role in one school. An officer has one per school served."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=[(r.value, r.label) for r in SCHOOL_ROLES])
    title = models.CharField(max_length=100, blank=True, help_text="For example: Counselor")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="one_membership_per_school")
        ]
        indexes = [
            models.Index(fields=["school", "role", "is_active"]),
            # "Schools an officer serves" (access checks on every page of a
            # supervisor, the navigation of everybody) reads only officers' rows.
            models.Index(
                fields=["user", "school"], condition=Q(role="sro"), name="membership_officer_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.school}"


class AgencyMembership(models.Model):
    """An officer or supervisor of a police agency."""

    class AgencyRole(models.TextChoices):
        OFFICER = "officer", "Officer"
        SUPERVISOR = "supervisor", "SRO supervisor"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=AgencyRole.choices)
    badge_number = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="one_role_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.agency}"


class DistrictMembership(models.Model):
    """A district-office administrator, who sees every school of the district."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="district_memberships"
    )
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="admins")
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "district"], name="one_admin_role_per_district")
        ]

    def __str__(self) -> str:
        return f"{self.user} — district admin of {self.district}"
