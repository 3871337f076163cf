import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from expectations.access import _get_managed_guideline, _school_access
from expectations.compliance import workflows
from expectations.models import reminded_today
from expectations.status import ACKNOWLEDGED, OVERDUE, PENDING, compliance
from expectations.text import csv_cell


@login_required
def guideline_compliance(request, school_id: int, guideline_id: int):
    access = _school_access(request, school_id)
    guideline = _get_managed_guideline(access, guideline_id)
    report = compliance(guideline, access.school, timezone.localdate())
    waiting = [r.membership.user_id for r in report.with_status(PENDING, OVERDUE)]
    reminded = reminded_today(waiting, timezone.localdate())
    return render(
        request,
        "expectations/compliance/guideline_compliance.html",
        {
            "access": access,
            "school": access.school,
            "guideline": guideline,
            "version": guideline.current_version,
            "report": report,
            "roster": _roster_rows(report, reminded),
            "waiting_count": len(waiting),
            "can_revise": guideline.can_be_revised_by(access),
        },
    )


# The badge of each status (as in expectations/_status_badge.html).
STATUS_BADGES = {
    ACKNOWLEDGED: "text-bg-success",
    OVERDUE: "text-bg-danger",
    PENDING: "text-bg-warning",
}


def _roster_rows(report, reminded: set[int]) -> list[dict]:
    """The roster as plain rows of display text. A large school lists about 200
    people, and every variable, filter and include in the template's loop is paid
    per row; most people share a few due and acknowledgment days, formatted once."""
    days = {}

    def day(value) -> str:
        if value not in days:
            days[value] = date_format(value, "M j, Y")
        return days[value]

    rows = []
    for row in report.rows:
        membership, standing_ = row.membership, row.standing
        number = standing_.acknowledged_number
        rows.append(
            {
                "name": membership.user.full_name,
                "title": membership.title,
                "role": membership.get_role_display(),
                "badge": STATUS_BADGES[standing_.status],
                "status": standing_.label,
                "reminded": membership.user_id in reminded,
                "due": day(standing_.due_date),
                "acknowledged": (
                    f"version {number}, {day(timezone.localdate(standing_.acknowledged_at))}"
                    if number
                    else "not yet"
                ),
            }
        )
    return rows


@login_required
def guideline_roster_csv(request, school_id: int, guideline_id: int):
    access = _school_access(request, school_id)
    guideline = _get_managed_guideline(access, guideline_id)
    report = compliance(guideline, access.school, timezone.localdate())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{slugify(guideline.title)}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(
        ["Name", "Email", "Role", "Title", "Status", "Due date", "Version acknowledged",
         "Acknowledged at"]
    )  # fmt: skip
    for row in report.rows:
        m, s = row.membership, row.standing
        at = (
            timezone.localtime(s.acknowledged_at).strftime("%Y-%m-%d %H:%M")
            if s.acknowledged_at
            else ""
        )
        cells = [
            m.user.full_name, m.user.email, m.get_role_display(), m.title, s.label,
            s.due_date.isoformat(), s.acknowledged_number or "", at,
        ]  # fmt: skip
        writer.writerow([csv_cell(c) for c in cells])
    return response


@login_required
@require_POST
def guideline_remind(request, school_id: int, guideline_id: int):
    access = _school_access(request, school_id)
    guideline = _get_managed_guideline(access, guideline_id)
    report = compliance(guideline, access.school, timezone.localdate())
    people = [r.membership.user for r in report.with_status(PENDING, OVERDUE)]
    reminded, skipped = workflows.guideline_remind(
        guideline=guideline,
        school=access.school,
        people=people,
        sent_by=request.user,
        request=request,
    )
    text = f"Reminded {reminded} {'person' if reminded == 1 else 'people'} by email."
    if skipped:
        text += f" {skipped} already had a reminder today and will not get another."
    messages.success(request, text)
    return redirect("guideline_compliance", school_id=access.school.pk, guideline_id=guideline.pk)
