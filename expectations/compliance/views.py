import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from expectations.access import get_managed_guideline, school_access
from expectations.compliance import workflows
from expectations.models import reminded_today
from expectations.status import ACKNOWLEDGED, OVERDUE, PENDING, compliance
from sro_portal.text import csv_cell

ROSTER_PER_PAGE = 50
# The roster's filters, by the status they show ("" shows everyone).
ROSTER_FILTERS = [("", "Everyone"), (OVERDUE, "Overdue"), (PENDING, "Pending"),
                  (ACKNOWLEDGED, "Acknowledged")]  # fmt: skip


@login_required
def guideline_compliance(request, school_id: int, guideline_id: int):
    access = school_access(request, school_id)
    guideline = get_managed_guideline(access, guideline_id)
    report = compliance(guideline, access.school, timezone.localdate())
    waiting = [r.membership.user_id for r in report.with_status(PENDING, OVERDUE)]
    # A large school's roster runs to hundreds of people: a page of them at a time,
    # and a filter to see only those overdue (or pending, or done).
    status = request.GET.get("status", "")
    if status not in dict(ROSTER_FILTERS):
        status = ""
    rows = report.with_status(status) if status else report.rows
    context = {
        "access": access,
        "school": access.school,
        "guideline": guideline,
        "version": guideline.current_version,
        "report": report,
        "status": status,
        "filters": [(value, label, report.total.count(value)) for value, label in ROSTER_FILTERS],
        "page": Paginator(rows, ROSTER_PER_PAGE).get_page(request.GET.get("page")),
        "reminded": reminded_today(waiting, timezone.localdate()),
        "waiting_count": len(waiting),
        "can_revise": guideline.can_be_revised_by(access),
    }
    return render(request, "expectations/compliance/guideline_compliance.html", context)


@login_required
def guideline_roster_csv(request, school_id: int, guideline_id: int):
    access = school_access(request, school_id)
    guideline = get_managed_guideline(access, guideline_id)
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
    access = school_access(request, school_id)
    guideline = get_managed_guideline(access, guideline_id)
    report = compliance(guideline, access.school, timezone.localdate())
    people = [r.membership.user for r in report.with_status(PENDING, OVERDUE)]
    reminded, skipped = workflows.guideline_remind(
        guideline=guideline,
        school=access.school,
        people=people,
        sent_by=request.user,
        request=request,
    )
    messages.success(request, _reminding(reminded, skipped))
    return redirect("guideline_compliance", school_id=access.school.pk, guideline_id=guideline.pk)


def _reminding(reminded: int, skipped: int) -> str:
    """What the sender reads: the reminders go out from the worker, after the page."""
    n = {"n": number_format(reminded, force_grouping=True)}
    if reminded:
        text = (
            ngettext(
                "Reminding %(n)s person: the email is on its way.",
                "Reminding %(n)s people: the emails are on their way.",
                reminded,
            )
            % n
        )
    else:
        text = "Nobody was reminded."
    if skipped:
        text += " " + ngettext(
            "%(n)s person already had a reminder today and will not get another.",
            "%(n)s people already had a reminder today and will not get another.",
            skipped,
        ) % {"n": number_format(skipped, force_grouping=True)}
    return text
