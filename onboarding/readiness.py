"""Is a school ready for its School Resource Officer? Computed from the real data.

`readiness_for(schools)` answers for any number of schools in a constant number of
queries: one query per kind of data for all the schools at once, then the lines are
assembled in Python. The principal's dashboard, the district table and its CSV all
read the same `SchoolReadiness` objects.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Q
from django.utils import timezone

from events.models import (
    ClassSection,
    ClassTalkRequest,
    Event,
    EventInvitation,
    EventKind,
    IntroductionPlan,
    Visit,
)
from expectations.models import Acknowledgment, Guideline
from expectations.status import ACKNOWLEDGED, OVERDUE, status_of
from sro_portal.reversing import cached_reverse

from .agreements import next_party
from .models import (
    SCHOOL_STAFF_ROLES,
    Agreement,
    Membership,
    Role,
    Signature,
    SigningParty,
    User,
)

DONE = "done"
IN_PROGRESS = "in_progress"
MISSING = "missing"
STATE_LABELS = {DONE: "Done", IN_PROGRESS: "In progress", MISSING: "Missing"}
STATE_BADGES = {DONE: "text-bg-success", IN_PROGRESS: "text-bg-warning", MISSING: "text-bg-danger"}

READY = "ready"
NOT_STARTED = "not_started"
OVERALL_LABELS = {READY: "Ready", IN_PROGRESS: "In progress", NOT_STARTED: "Not started"}
OVERALL_BADGES = {
    READY: "text-bg-success",
    IN_PROGRESS: "text-bg-warning",
    NOT_STARTED: "text-bg-secondary",
}
OVERALL_ORDER = {NOT_STARTED: 0, IN_PROGRESS: 1, READY: 2}

RULE = (
    "A school is ready when every required line is done. It is not started while every "
    "required line is still missing, and in progress in between. Class-talk requests "
    "waiting are shown for follow-up but do not decide the state."
)


def school_year(today: date, year: int | None = None) -> tuple[date, date]:
    """The school year (July 1 to June 30) that starts in `year`, or the one `today`
    falls in."""
    if year is None:
        year = today.year if today.month >= 7 else today.year - 1
    return date(year, 7, 1), date(year + 1, 6, 30)


def school_year_label(start: date) -> str:
    return f"{start.year}–{str(start.year + 1)[-2:]}"


@dataclass
class Line:
    key: str
    title: str  # what it checks
    state: str
    summary: str  # where it stands, in words
    missing: str  # what is missing ("" when done)
    url: str
    link_text: str
    required: bool = True

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]


@dataclass
class GuidelineShare:
    guideline: Guideline
    acknowledged: int = 0
    total: int = 0
    overdue: list = field(default_factory=list)  # users
    url: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0


@dataclass
class RoleShare:
    role: str
    acknowledged: int = 0
    total: int = 0

    @property
    def label(self) -> str:
        return Role(self.role).label

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0


@dataclass
class SchoolReadiness:
    school: object
    lines: list[Line] = field(default_factory=list)
    agreement: Agreement | None = None
    waiting_for: object = None  # the signing party whose turn it is
    guidelines: list[GuidelineShare] = field(default_factory=list)
    roles: list[RoleShare] = field(default_factory=list)
    sections_total: int = 0
    sections_scheduled: int = 0
    visits_done: int = 0
    visits_missed: int = 0
    unplaced: int = 0
    officer_invitations: dict = field(default_factory=dict)  # answer -> count
    upcoming_events: int = 0
    talk_requests_waiting: int = 0
    # This month's engagement figures, filled in by the district table.
    engagement: object = None
    engagement_total: int = 0

    @property
    def state(self) -> str:
        required = [line for line in self.lines if line.required]
        if all(line.state == DONE for line in required):
            return READY
        if all(line.state == MISSING for line in required):
            return NOT_STARTED
        return IN_PROGRESS

    @property
    def state_label(self) -> str:
        return OVERALL_LABELS[self.state]

    @property
    def badge(self) -> str:
        return OVERALL_BADGES[self.state]

    @property
    def done_count(self) -> int:
        return sum(1 for line in self.lines if line.required and line.state == DONE)

    @property
    def required_count(self) -> int:
        return sum(1 for line in self.lines if line.required)

    @property
    def acknowledged(self) -> int:
        return sum(r.acknowledged for r in self.roles)

    @property
    def to_acknowledge(self) -> int:
        return sum(r.total for r in self.roles)

    @property
    def acknowledged_percent(self) -> int:
        total = self.to_acknowledge
        return round(100 * self.acknowledged / total) if total else 0

    @property
    def coverage_percent(self) -> int:
        if not self.sections_total:
            return 0
        return round(100 * self.sections_scheduled / self.sections_total)

    def line(self, key: str) -> Line:
        return next(line for line in self.lines if line.key == key)


def _people(names: list[str], limit: int = 3) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


# --- Bulk fetching: one query per kind of data, for every school at once ---------


def whose_turn(agreements) -> dict[int, SigningParty | None]:
    """{agreement_id: the signing party whose turn it is} for agreements in signing,
    by agreements.next_party: two queries whatever their number."""
    if not agreements:
        return {}
    parties = defaultdict(list)
    for party in (
        SigningParty.objects.filter(agreement__in=agreements)
        .select_related("user")
        .order_by("order", "pk")
    ):
        parties[party.agreement_id].append(party)
    signatures = defaultdict(list)
    for signature in Signature.objects.filter(
        version_id__in=[a.current_version_id for a in agreements]
    ).only("pk", "party_id", "version_id"):
        signatures[signature.version_id].append(signature)
    return {a.pk: next_party(parties[a.pk], signatures[a.current_version_id]) for a in agreements}


def current_agreements(school_ids) -> tuple[dict, dict]:
    """{school_id: the agreement that counts}, {agreement_id: party whose turn it is}."""
    chosen: dict[int, Agreement] = {}
    rank = {
        Agreement.Status.ACTIVE: 0,
        Agreement.Status.SIGNING: 1,
        Agreement.Status.REVIEW: 2,
        Agreement.Status.DRAFT: 3,
    }
    rows = (
        Agreement.objects.filter(school_id__in=school_ids)
        .exclude(status=Agreement.Status.SUPERSEDED)
        .select_related("current_version")
        .order_by("-created_at", "-pk")
    )
    for agreement in rows:
        best = chosen.get(agreement.school_id)
        if best is None or rank[agreement.status] < rank[best.status]:
            chosen[agreement.school_id] = agreement
    signing = [a for a in chosen.values() if a.status == Agreement.Status.SIGNING]
    waiting = whose_turn(signing)
    return chosen, waiting


@dataclass(frozen=True, slots=True)
class _Member:
    """What the readiness lines read of one membership: plain rows, not models (a
    district has thousands of them)."""

    user_id: int
    role: str
    created_at: object
    full_name: str

    @property
    def user(self) -> User:
        """The person, as far as the readiness lines name them (only the overdue)."""
        return User(pk=self.user_id, full_name=self.full_name)


def _memberships(school_ids) -> dict[int, list[_Member]]:
    by_school = defaultdict(list)
    rows = (
        Membership.objects.active()
        .filter(school_id__in=school_ids, role__in=[*SCHOOL_STAFF_ROLES, Role.SRO])
        .order_by("user__full_name")
        .values_list("school_id", "user_id", "role", "created_at", "user__full_name")
    )
    for school_id, user_id, role, created_at, full_name in rows:
        by_school[school_id].append(_Member(user_id, role, created_at, full_name))
    return by_school


def _guidelines(schools) -> tuple[list[Guideline], dict]:
    guidelines = list(
        Guideline.objects.filter(
            Q(school__in=[s.pk for s in schools])
            | Q(district__in={s.district_id for s in schools}),
            current_version__isnull=False,
        )
        .select_related("current_version", "required_version")
        .order_by("title")
    )
    latest = {}
    if guidelines:
        for row in (
            Acknowledgment.objects.filter(version__guideline__in=guidelines)
            .values("person_id", "version__guideline_id")
            .annotate(number=Max("version__number"))
            .order_by()
        ):
            latest[(row["person_id"], row["version__guideline_id"])] = row["number"]
    return guidelines, latest


def _introductions(school_ids) -> tuple[dict, dict, dict]:
    plans = {
        plan.school_id: plan
        for plan in IntroductionPlan.objects.filter(school_id__in=school_ids).prefetch_related(
            "periods", "sections"
        )
    }
    sections = defaultdict(list)
    for section in ClassSection.objects.filter(school_id__in=school_ids).only(
        "pk", "school_id", "grade", "period_id"
    ):
        plan = plans.get(section.school_id)
        if plan is None or plan.takes_part(section):
            sections[section.school_id].append(section.pk)
    visits = defaultdict(dict)  # school -> {section: set(status)}
    for school_id, section_id, status in Visit.objects.filter(school_id__in=school_ids).values_list(
        "school_id", "section_id", "status"
    ):
        visits[school_id].setdefault(section_id, set()).add(status)
    return plans, sections, visits


def _events(school_ids, officer_ids, year_start) -> tuple[dict, dict, dict]:
    """Upcoming events per school, coffee hours this school year, and the officers'
    answers to their invitations to upcoming events."""
    now = timezone.now()
    upcoming, coffee = defaultdict(list), defaultdict(list)
    for event in (
        Event.objects.active()
        .filter(school_id__in=school_ids)
        .filter(
            Q(starts_at__gt=now) | Q(kind=EventKind.COFFEE_HOUR, starts_at__date__gte=year_start)
        )
        .only("pk", "school_id", "kind", "title", "starts_at")
        .order_by("starts_at")
    ):
        if event.starts_at > now:
            upcoming[event.school_id].append(event)
        if event.kind == EventKind.COFFEE_HOUR:
            coffee[event.school_id].append(event)
    answers = defaultdict(lambda: defaultdict(int))
    for school_id, answer in EventInvitation.objects.filter(
        event__school_id__in=school_ids,
        event__cancelled_at__isnull=True,
        event__starts_at__gt=now,
        user_id__in=officer_ids,
    ).values_list("event__school_id", "answer"):
        answers[school_id][answer] += 1
    return upcoming, coffee, answers


def _talk_requests(school_ids) -> dict[int, int]:
    return dict(
        ClassTalkRequest.objects.filter(
            school_id__in=school_ids, status=ClassTalkRequest.Status.PENDING
        )
        .values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )


# --- Assembling ----------------------------------------------------------------


def readiness_for(schools, *, today: date | None = None) -> dict[int, SchoolReadiness]:
    """{school_id: SchoolReadiness} for these schools, in a constant number of
    queries (about eleven) whatever their number."""
    schools = list(schools)
    if not schools:
        return {}
    ids = [s.pk for s in schools]
    agreements, waiting = current_agreements(ids)
    memberships = _memberships(ids)
    guidelines, latest = _guidelines(schools)
    plans, sections, visits = _introductions(ids)
    officer_ids = {m.user_id for ms in memberships.values() for m in ms if m.role == Role.SRO}
    some_today = today or timezone.localdate()
    year_start, _ = school_year(some_today)
    upcoming, coffee, answers = _events(ids, officer_ids, year_start)
    talks = _talk_requests(ids)
    result = {}
    for school in schools:
        local_today = today or timezone.localdate(timezone=school.zone)
        r = SchoolReadiness(school=school)
        _agreement_line(r, agreements.get(school.pk), waiting)
        _guideline_lines(r, memberships[school.pk], guidelines, latest, local_today)
        _introduction_line(r, plans.get(school.pk), sections[school.pk], visits[school.pk])
        _event_lines(r, upcoming[school.pk], coffee[school.pk], answers[school.pk])
        r.talk_requests_waiting = talks.get(school.pk, 0)
        r.lines.append(
            Line(
                "talks",
                "Class-talk requests answered by the officer",
                DONE if not r.talk_requests_waiting else IN_PROGRESS,
                f"{r.talk_requests_waiting} waiting for the officer"
                if r.talk_requests_waiting
                else "No request is waiting.",
                f"{r.talk_requests_waiting} request(s) still to answer"
                if r.talk_requests_waiting
                else "",
                cached_reverse("talks", school.pk),
                "Class talks",
                required=False,
            )
        )
        result[school.pk] = r
    return result


def _agreement_line(r: SchoolReadiness, agreement, waiting) -> None:
    school = r.school
    r.agreement = agreement
    url = cached_reverse("agreement_list", school.pk)
    if agreement is None:
        r.lines.append(
            Line(
                "agreement",
                "Role agreement signed by every party",
                MISSING,
                "No agreement yet.",
                "Start an agreement from the district's template.",
                url,
                "Start the role agreement",
            )
        )
        return
    status = agreement.get_status_display()
    if agreement.status == Agreement.Status.ACTIVE:
        summary = (
            f"Active since {agreement.activated_at:%B %-d, %Y}. "
            if agreement.activated_at
            else "Active. "
        )
        r.lines.append(
            Line(
                "agreement",
                "Role agreement signed by every party",
                DONE,
                summary + f"Annual review on {agreement.review_date:%B %-d, %Y}.",
                "",
                url,
                "See the agreement",
            )
        )
        return
    if agreement.status == Agreement.Status.SIGNING:
        party = waiting.get(agreement.pk)
        r.waiting_for = party
        who = f"{party.user.full_name} ({party.role})" if party else "nobody"
        missing = f"Waiting for the signature of {who}."
    elif agreement.status == Agreement.Status.REVIEW:
        missing = "In review with the officer and the agency; then send it for signing."
    else:
        missing = "A draft: finish it and send it for review."
    r.lines.append(
        Line(
            "agreement",
            "Role agreement signed by every party",
            IN_PROGRESS,
            f"{status}. Review date {agreement.review_date:%B %-d, %Y}.",
            missing,
            cached_reverse("agreement_detail", school.pk, agreement.pk),
            "Open the agreement",
        )
    )


def _guideline_lines(r: SchoolReadiness, memberships, guidelines, latest, today) -> None:
    school = r.school
    zone = school.zone
    roles = {role: RoleShare(role) for role in SCHOOL_STAFF_ROLES}
    mental_health = RoleShare(Role.MENTAL_HEALTH)
    mental_health_guidelines = 0
    for guideline in guidelines:
        applies = guideline.school_id == school.pk or guideline.district_id == school.district_id
        if not applies:
            continue
        share = GuidelineShare(
            guideline, url=cached_reverse("guideline_compliance", school.pk, guideline.pk)
        )
        targets_mh = guideline.targets(Role.MENTAL_HEALTH) and Role.STAFF not in (
            guideline.target_roles
        )
        mental_health_guidelines += targets_mh
        required, targeted = guideline.required_version, set(guideline.target_roles)
        guideline_id = guideline.pk
        for membership in memberships:
            if membership.role == Role.SRO or membership.role not in targeted:
                continue
            status = status_of(
                required,
                joined_at=membership.created_at,
                acknowledged_number=latest.get((membership.user_id, guideline_id)),
                today=today,
                zone=zone,
            )
            done = status == ACKNOWLEDGED
            share.total += 1
            share.acknowledged += done
            roles[membership.role].total += 1
            roles[membership.role].acknowledged += done
            if targets_mh:
                mental_health.total += 1
                mental_health.acknowledged += done
            if status == OVERDUE:
                share.overdue.append(membership.user)
        r.guidelines.append(share)
    r.roles = [share for share in roles.values() if share.total]
    url = cached_reverse("guidelines", school.pk)
    if not r.guidelines:
        state, summary, missing = MISSING, "No guideline published.", "Publish the starters."
    else:
        overdue = sorted({u.full_name for g in r.guidelines for u in g.overdue})
        summary = (
            f"{len(r.guidelines)} published; {r.acknowledged} of {r.to_acknowledge} "
            f"acknowledgments done ({r.acknowledged_percent}%)."
        )
        if r.to_acknowledge and r.acknowledged == r.to_acknowledge:
            state, missing = DONE, ""
        else:
            state = IN_PROGRESS
            missing = f"{r.to_acknowledge - r.acknowledged} acknowledgment(s) to come" + (
                f"; overdue: {_people(overdue)}." if overdue else "."
            )
    r.lines.append(
        Line(
            "expectations",
            "Staff expectations published and acknowledged",
            state,
            summary,
            missing,
            url,
            "Guidelines and who acknowledged",
        )
    )
    if not mental_health_guidelines:
        state, summary = MISSING, "No guideline for mental-health staff is published."
        missing = "Publish the mental-health holds starter."
    elif not mental_health.total:
        state, summary, missing = MISSING, "No mental-health staff at the school.", "Add them."
    elif mental_health.acknowledged == mental_health.total:
        state, missing = DONE, ""
        summary = f"All {mental_health.total} acknowledged."
    else:
        state = IN_PROGRESS
        summary = f"{mental_health.acknowledged} of {mental_health.total} acknowledged."
        missing = f"{mental_health.total - mental_health.acknowledged} still to acknowledge."
    r.lines.append(
        Line(
            "mental_health",
            "Mental-health staff acknowledged their guideline",
            state,
            summary,
            missing,
            url,
            "Guidelines",
        )
    )


def _introduction_line(r: SchoolReadiness, plan, section_ids, visits) -> None:
    school = r.school
    active = {Visit.Status.PLANNED, Visit.Status.CONFIRMED, Visit.Status.DONE}
    r.sections_total = len(section_ids)
    for section_id in section_ids:
        statuses = visits.get(section_id, set())
        if statuses & active:
            r.sections_scheduled += 1
            r.visits_done += Visit.Status.DONE in statuses
        elif Visit.Status.MISSED in statuses:
            r.visits_missed += 1
    placed = {s for s, statuses in visits.items() if statuses & active}
    r.unplaced = len([i for i in (plan.unplaced if plan else []) if i.get("section") not in placed])
    summary = (
        f"{r.sections_scheduled} of {r.sections_total} class sections have a visit "
        f"({r.visits_done} done, {r.visits_missed} missed, {r.unplaced} not placed)."
    )
    if not r.sections_total:
        state, missing, summary = (
            MISSING,
            "Add the class sections and run the plan.",
            "No class sections.",
        )
    elif r.sections_scheduled == r.sections_total:
        state, missing = DONE, ""
    elif not r.sections_scheduled:
        state, missing = MISSING, "Run the plan to place every section."
    else:
        state = IN_PROGRESS
        missing = f"{r.sections_total - r.sections_scheduled} section(s) without a visit."
    r.lines.append(
        Line(
            "introductions",
            "Class introductions planned for every class",
            state,
            summary,
            missing,
            cached_reverse("introductions", school.pk),
            "Plan the introductions",
        )
    )


def _event_lines(r: SchoolReadiness, upcoming, coffee, answers) -> None:
    school = r.school
    calendar = cached_reverse("events", school.pk)
    if coffee:
        first = coffee[-1]
        local = timezone.localtime(first.starts_at, school.zone)
        state, summary, missing = DONE, f"{first.title}, {local:%B %-d, %Y}.", ""
    else:
        state, summary = MISSING, "No family coffee hour this school year."
        missing = "Plan one and invite the officer."
    r.lines.append(
        Line(
            "coffee_hour",
            "A family coffee hour planned",
            state,
            summary,
            missing,
            cached_reverse("event_create", school.pk) if not coffee else calendar,
            "Plan a coffee hour" if not coffee else "The school's events",
        )
    )
    r.upcoming_events = len(upcoming)
    r.officer_invitations = dict(answers)
    invited = sum(answers.values())
    if invited:
        parts = [
            f"{n} {EventInvitation.Answer(a).label.lower()}" for a, n in sorted(answers.items())
        ]
        state, missing = DONE, ""
        summary = f"{invited} invitation(s) to upcoming events: " + ", ".join(parts) + "."
        if answers.get(EventInvitation.Answer.PENDING):
            missing = "Some invitations are not answered yet."
    else:
        state = MISSING
        summary = f"{len(upcoming)} upcoming event(s); the officer is invited to none."
        missing = "Invite the officer to an upcoming event."
    r.lines.append(
        Line(
            "events",
            "The officer invited to upcoming events",
            state,
            summary,
            missing,
            calendar,
            "Invite the officer to events",
        )
    )


def valid_sort(key: str) -> str:
    return key if key.lstrip("-") in SORT_KEYS else "name"


def sort_rows(rows: list[SchoolReadiness], key: str) -> list[SchoolReadiness]:
    """Sort the district table by one column (`-name` for descending)."""
    descending = key.startswith("-")
    column = SORT_KEYS.get(key.lstrip("-"), SORT_KEYS["name"])
    return sorted(rows, key=column, reverse=descending)


def _review_key(r: SchoolReadiness):
    return r.agreement.review_date if r.agreement else date.max


SORT_KEYS = {
    "name": lambda r: r.school.name.lower(),
    "state": lambda r: (OVERALL_ORDER[r.state], r.done_count),
    "agreement": lambda r: r.agreement.status if r.agreement else "",
    "review": _review_key,
    "acknowledged": lambda r: r.acknowledged_percent,
    "coverage": lambda r: r.coverage_percent,
    "engagement": lambda r: r.engagement_total,
}
