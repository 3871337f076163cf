"""The foundation's part of each school's readiness: the role agreement.

The same two functions as a feature app's `readiness` module (see
`onboarding/readiness/summary.py`), called first and directly.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse

from onboarding.agreements.integrity import mark_altered
from onboarding.agreements.models import Agreement, Signature, SigningParty
from onboarding.readiness.lines import (
    DONE,
    IN_PROGRESS,
    MISSING,
    Cell,
    Column,
    Line,
    line_of,
    long_date,
)

TITLE = "Role agreement signed by every party"

# Which agreement of a school counts when it has several (an amendment under way).
RANK = {
    Agreement.Status.ACTIVE: 0,
    Agreement.Status.SIGNING: 1,
    Agreement.Status.REVIEW: 2,
    Agreement.Status.DRAFT: 3,
}


@dataclass(frozen=True)
class Standing:
    """The agreement that counts at a school, and the signing party whose turn it is
    (with the person) while it is in signing."""

    agreement: Agreement | None = None
    waiting_for: SigningParty | None = None


def whose_turn(agreements) -> dict[int, SigningParty | None]:
    """{agreement_id: the signing party whose turn it is} for agreements in signing,
    as agreements.next_party decides it (the first party in order who has not
    signed the current version): one query whatever their number."""
    if not agreements:
        return {}
    signed = Signature.objects.filter(
        party=OuterRef("pk"), version=OuterRef("agreement__current_version")
    )
    parties = defaultdict(list)
    for party in (
        SigningParty.objects.filter(agreement__in=agreements)
        .annotate(signed=Exists(signed))
        .select_related("user")
        .order_by("order", "pk")
    ):
        parties[party.agreement_id].append(party)
    return {a.pk: next((p for p in parties[a.pk] if not p.signed), None) for a in agreements}


def standings(school_ids) -> dict[int, Standing]:
    """{school_id: Standing} for these schools (a school without an agreement has
    none): one query, one more when an agreement is in signing."""
    chosen: dict[int, Agreement] = {}
    rows = (
        Agreement.objects.filter(school_id__in=list(school_ids))
        .exclude(status=Agreement.Status.SUPERSEDED)
        .order_by("-created_at", "-pk")
    )
    for agreement in rows:
        best = chosen.get(agreement.school_id)
        if best is None or RANK[agreement.status] < RANK[best.status]:
            chosen[agreement.school_id] = agreement
    turn = whose_turn([a for a in chosen.values() if a.status == Agreement.Status.SIGNING])
    mark_altered(list(chosen.values()))
    return {
        school_id: Standing(agreement, turn.get(agreement.pk))
        for school_id, agreement in chosen.items()
    }


def lines_for(schools, *, name_overdue: bool = True) -> dict[int, list[Line]]:
    """Each school's agreement line."""
    found = standings(s.pk for s in schools)
    return {s.pk: [_line(s, found.get(s.pk, Standing()))] for s in schools}


def _line(school, standing: Standing) -> Line:
    agreement, party = standing.agreement, standing.waiting_for
    if agreement is None:
        return Line(
            "agreement",
            TITLE,
            MISSING,
            "No agreement yet.",
            "Start an agreement from the district's template.",
            reverse("agreement_list", args=[school.pk]),
            "Start the role agreement",
            facts={"status": "", "status_label": "None", "waiting_for": "", "review_date": None},
        )
    facts = {
        "status": agreement.status,
        "status_label": agreement.get_status_display(),
        "waiting_for": party.user.full_name if party else "",
        "review_date": agreement.review_date,
    }
    review = long_date(agreement.review_date)
    if agreement.altered:
        return Line(
            "agreement",
            TITLE,
            MISSING,
            "Altered: not in force. Its text or signatures changed after signing.",
            "Tell the district office; the agreement must be signed again.",
            reverse(
                "agreement_verify",
                args=[school.pk, agreement.pk, agreement.current_version.number],
            ),
            "See which checks failed",
            facts=facts,
        )
    if agreement.in_force:
        since = agreement.activated_at
        summary = f"Active since {long_date(since)}. " if since else "Active. "
        return Line(
            "agreement",
            TITLE,
            DONE,
            summary + f"Annual review on {review}.",
            "",
            reverse("agreement_list", args=[school.pk]),
            "See the agreement",
            facts=facts,
        )
    if agreement.status == Agreement.Status.SIGNING:
        who = f"{party.user.full_name} ({party.role})" if party else "nobody"
        missing = f"Waiting for the signature of {who}."
    elif agreement.status == Agreement.Status.REVIEW:
        missing = "In review with the officer and the agency; then send it for signing."
    else:
        missing = "A draft: finish it and send it for review."
    return Line(
        "agreement",
        TITLE,
        IN_PROGRESS,
        f"{facts['status_label']}. Review date {review}.",
        missing,
        reverse("agreement_detail", args=[school.pk, agreement.pk]),
        "Open the agreement",
        facts=facts,
    )


def columns_for(schools, lines, *, month: date) -> list[Column]:
    """The district table's "Agreement" and "Review date", from the agreement lines."""
    facts = {s.pk: line_of(lines[s.pk], "agreement").facts for s in schools}
    template = "onboarding/readiness/_district_cells.html"
    return [
        Column(
            "agreement",
            "Agreement",
            f"{template}#agreement",
            {
                pk: Cell(f, f["status"], (f["status_label"], f["waiting_for"]))
                for pk, f in facts.items()
            },
            ("Agreement", "Waiting for"),
        ),
        Column(
            "review",
            "Review date",
            f"{template}#review",
            {
                pk: Cell(
                    f["review_date"],
                    f["review_date"] or date.max,
                    (f["review_date"].isoformat() if f["review_date"] else "",),
                )
                for pk, f in facts.items()
            },
            ("Review date",),
        ),
    ]
