"""The foundation's parts of each person's home page: agreements waiting for their
signature, their schools' readiness (principals), their agency's officers
(supervisors). Each in a fixed number of queries whatever the amount of data."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from onboarding.access import PersonRoles, visible_schools
from onboarding.agreements.models import Agreement, SigningParty
from onboarding.contributions import contributions
from onboarding.readiness import kept
from onboarding.readiness.agreement import Standing, standings, whose_turn
from onboarding.readiness.dates import this_month
from onboarding.readiness.lines import Cell
from onboarding.readiness.summary import readiness_for
from onboarding.schools.models import AgencyMembership, Membership, Role, School


def agreements_to_sign(roles: PersonRoles) -> list[Agreement]:
    """Agreements in signing whose turn is this person's, at the schools they may
    still open (a principal or officer who left the school, a supervisor whose
    officer no longer serves it, sees it no more): one query (their parties), one
    more when they are a party to some."""
    user = roles.user
    agreements = [
        party.agreement
        for party in SigningParty.objects.filter(
            user=user,
            agreement__status=Agreement.Status.SIGNING,
            agreement__current_version__isnull=False,
            agreement__school__in=visible_schools(roles).values("pk"),
        )
        .select_related("agreement__school")
        .only("agreement__title", "agreement__school__name", "agreement__current_version")
        .order_by("-agreement__created_at", "-agreement__pk")
    ]
    turn = whose_turn(agreements)
    return [a for a in agreements if turn[a.pk] is not None and turn[a.pk].user_id == user.pk]


def led_readiness(schools) -> kept.Fragment | None:
    """The readiness of the schools a principal leads, kept rendered: one query (their
    newest audit events), and the readiness when it is not kept."""
    if not schools:
        return None
    changes = dict(
        School.objects.filter(pk__in=[s.pk for s in schools]).values_list("pk", kept.newest_event())
    )
    versions = [kept.school_version(s, changes[s.pk]) for s in schools]
    return kept.fragment(lambda: list(readiness_for(schools).values()), versions)


@dataclass(frozen=True)
class SupervisionRow:
    officer: str  # the officer's name
    school: School | None = None  # None: the officer serves no school yet
    standing: Standing = Standing()  # the agreement at the school
    cells: tuple[tuple[str, Cell], ...] = ()  # each app's figures of the officer there


@dataclass(frozen=True)
class Supervision:
    rows: list[SupervisionRow]
    headings: list[str]  # of each app's columns
    month: date


def supervision(agency_roles) -> kept.Fragment | None:
    """Each officer of the agencies this person supervises, at each school they
    serve: the agreement there, and what the feature apps add for the officer at
    that school (events: the figures of the month), as a `home` module's
    `officer_columns_for(schools, officers, *, month)`. Kept rendered, under the
    officers, the schools they serve and those schools' versions: two queries, and
    what the rows take when the table is not kept. None without an officer."""
    supervised = [
        a.agency_id for a in agency_roles if a.role == AgencyMembership.AgencyRole.SUPERVISOR
    ]
    if not supervised:
        return None
    officer_roles = AgencyMembership.objects.filter(
        agency_id__in=supervised, role=AgencyMembership.AgencyRole.OFFICER, is_active=True
    )
    officers = list(
        officer_roles.order_by("user__full_name").values_list("user_id", "user__full_name")
    )
    if not officers:
        return None
    served = defaultdict(list)
    versions = {}
    for membership in (
        Membership.objects.active()
        .filter(role=Role.SRO, user_id__in=officer_roles.values("user_id"))
        .select_related("school")
        .annotate(school_last_change=kept.newest_event("school_id"))
        .order_by("school__name")
    ):
        served[membership.user_id].append(membership.school)
        versions[membership.school_id] = kept.school_version(
            membership.school, membership.school_last_change
        )
    month = this_month()
    layout = [
        (officer_id, name, [s.pk for s in served[officer_id]]) for officer_id, name in officers
    ]
    return kept.fragment(
        lambda: _supervision(officers, served, month),
        layout,
        sorted(versions.values()),
        month.isoformat(),
    )


def _supervision(officers, served, month: date) -> Supervision:
    schools = {school.pk: school for schools in served.values() for school in schools}
    pairs = {(school.pk, officer_id) for officer_id, found in served.items() for school in found}
    columns = [
        column
        for module in contributions("home")
        if hasattr(module, "officer_columns_for")
        for column in module.officer_columns_for(schools.values(), pairs, month=month)
    ]
    agreements = standings(schools)
    rows = []
    for officer_id, name in officers:
        for school in served[officer_id]:
            pair = (school.pk, officer_id)
            rows.append(
                SupervisionRow(
                    name,
                    school,
                    agreements.get(school.pk, Standing()),
                    tuple((c.template, c.cells[pair]) for c in columns),
                )
            )
        if not served[officer_id]:
            rows.append(SupervisionRow(name))
    return Supervision(rows, [c.label for c in columns], month)
