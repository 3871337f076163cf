"""Where a person stands with a guideline: acknowledged, pending or overdue."""

from dataclasses import dataclass, field
from datetime import date, datetime

from expectations.models import Guideline
from onboarding.schools.models import Role

ACKNOWLEDGED = "acknowledged"
PENDING = "pending"
OVERDUE = "overdue"
STATUS_LABELS = {ACKNOWLEDGED: "Acknowledged", PENDING: "Pending", OVERDUE: "Overdue"}
STATUS_BADGES = {
    ACKNOWLEDGED: "text-bg-success",
    PENDING: "text-bg-warning",
    OVERDUE: "text-bg-danger",
}


@dataclass
class Standing:
    guideline: Guideline
    status: str
    due_date: date
    acknowledged_number: int | None = None  # the latest version they acknowledged
    acknowledged_at: datetime | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def is_done(self) -> bool:
        return self.status == ACKNOWLEDGED

    @property
    def needs_reacknowledgment(self) -> bool:
        """They acknowledged an earlier version, and a later one asks again."""
        return self.status != ACKNOWLEDGED and self.acknowledged_number is not None


def standing(
    guideline: Guideline,
    *,
    joined_at: datetime | None,
    acknowledged_number: int | None,
    acknowledged_at: datetime | None,
    today: date,
    zone=None,
) -> Standing:
    required = guideline.required_version
    due = required.due_for(joined_at, zone)
    status = status_of(
        required,
        joined_at=joined_at,
        acknowledged_number=acknowledged_number,
        today=today,
        zone=zone,
        due=due,
    )
    return Standing(guideline, status, due, acknowledged_number, acknowledged_at)


def status_of(
    required,
    *,
    joined_at: datetime | None,
    acknowledged_number: int | None,
    today: date,
    zone=None,
    due: date | None = None,
) -> str:
    """Where a person stands with the required version `required`: the rule of
    `standing`, alone; the due date (`due`, else worked out) only matters to someone
    who has not acknowledged it (summaries over thousands of people)."""
    if acknowledged_number is not None and acknowledged_number >= required.number:
        return ACKNOWLEDGED
    if due is None:
        due = required.due_for(joined_at, zone)
    return OVERDUE if due < today else PENDING


@dataclass
class RoleSummary:
    role: str
    total: int = 0
    counts: dict = field(default_factory=lambda: {ACKNOWLEDGED: 0, PENDING: 0, OVERDUE: 0})

    @property
    def label(self) -> str:
        return Role(self.role).label

    @property
    def acknowledged(self) -> int:
        return self.counts[ACKNOWLEDGED]

    @property
    def pending(self) -> int:
        return self.counts[PENDING]

    @property
    def overdue(self) -> int:
        return self.counts[OVERDUE]

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0

    def count(self, status: str) -> int:
        """How many have this status (everyone for "")."""
        return self.counts[status] if status else self.total


@dataclass
class RosterRow:
    membership: object
    standing: Standing


@dataclass
class Compliance:
    rows: list[RosterRow]
    by_role: list[RoleSummary]
    total: RoleSummary

    def with_status(self, *statuses: str) -> list[RosterRow]:
        return [r for r in self.rows if r.standing.status in statuses]


def compliance(guideline: Guideline, school, today: date) -> Compliance:
    """Everyone at `school` the guideline targets, with their standing: one query."""
    rows = []
    summaries = {role: RoleSummary(role) for role in guideline.target_roles}
    total = RoleSummary("staff")
    for membership in guideline.members(school):
        row = RosterRow(
            membership,
            standing(
                guideline,
                joined_at=membership.created_at,
                acknowledged_number=membership.acknowledged_number,
                acknowledged_at=membership.acknowledged_at,
                today=today,
                zone=school.zone,
            ),
        )
        rows.append(row)
        for summary in (summaries[membership.role], total):
            summary.total += 1
            summary.counts[row.standing.status] += 1
    by_role = [summaries[r] for r in guideline.target_roles]
    return Compliance(rows, by_role, total)
