"""Class introductions workflows: build the scheduler's problem from a school's plan,
run it, and change visits by hand with conflict checks. Each workflow that changes
data runs in one transaction and writes an audit event."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta

from django.db import transaction
from django.db.models import OuterRef
from django.utils import timezone

from events.introductions import emails
from events.introductions.forms import AvailabilityForm, PlanForm, QuestionsForm
from events.introductions.models import Availability, IntroductionPlan, SlotPick, Visit
from events.introductions.scheduler import Demand, Problem, Slot, solve
from events.officers import school_officers
from events.timetable.models import BlackoutDate, ClassSection
from onboarding.access import left_school
from onboarding.audit.models import AuditEvent
from onboarding.people.models import User
from onboarding.schools.models import Membership, Role, School


@dataclass
class SlotBook:
    """Every (officer, date, period) of a school's window that an officer could
    give to a class: available then, no blackout, not busy elsewhere."""

    school: School
    days: list[date]
    officers: list[User]
    blocks: dict[tuple[int, int], list[Availability]] = field(default_factory=dict)
    busy: dict[int, list[tuple]] = field(default_factory=dict)  # officer -> [(start, end)]

    @classmethod
    def for_plan(
        cls, plan: IntroductionPlan, *, keep_planned: bool, from_day: date | None = None
    ) -> "SlotBook":
        """`from_day`: the first day a visit may go on; tomorrow at the school."""
        school = plan.school
        officers = list(school_officers(school))
        blocks: dict[tuple[int, int], list[Availability]] = defaultdict(list)
        for block in Availability.objects.filter(school=school, officer__in=officers):
            blocks[(block.officer_id, block.weekday)].append(block)
        if from_day is None:
            from_day = timezone.localdate(timezone=school.zone) + timedelta(days=1)
        days = plan.school_days(from_day)
        busy_visits = Visit.objects.active().filter(
            officer__in=officers, date__gte=plan.start_date, date__lte=plan.end_date
        )
        if not keep_planned:
            # Re-running replaces this school's planned visits: they are not busy.
            busy_visits = busy_visits.exclude(school=school, status=Visit.Status.PLANNED)
        busy = defaultdict(list)
        for officer_id, start, end in busy_visits.values_list("officer_id", "starts_at", "ends_at"):
            busy[officer_id].append((start, end))
        return cls(school=school, days=days, officers=officers, blocks=blocks, busy=busy)

    def candidates(self, section: ClassSection) -> list[Slot]:
        period = section.period
        if period is None:
            return []
        zone = self.school.zone
        slots = []
        for day in self.days:
            if not section.meets_on(day):
                continue
            start, end = period.bounds(day, zone)
            for officer in self.officers:
                if not any(
                    b.covers(period) for b in self.blocks.get((officer.pk, day.weekday()), [])
                ):
                    continue
                if any(s < end and start < e for s, e in self.busy.get(officer.pk, [])):
                    continue
                slots.append(
                    Slot(day=day, period=period.pk, officer=officer.pk, school=self.school.pk)
                )
        return slots

    def no_slot_reason(self, section: ClassSection) -> str:
        if section.period is None:
            return "it has no period in the bell schedule"
        if not any(section.meets_on(day) for day in self.days):
            return f"{section.period.name} does not meet on any school day of the window"
        if not self.officers:
            return "no officer serves this school"
        return f"no officer is available during {section.period.name} on a school day of the window"


def build_problem(plan: IntroductionPlan, sections: list[ClassSection], book: SlotBook) -> Problem:
    used: dict[tuple, int] = defaultdict(int)
    kept = Visit.objects.active().filter(school=plan.school).exclude(status=Visit.Status.PLANNED)
    for officer_id, day in kept.values_list("officer_id", "date"):
        used[(officer_id, plan.school.pk, day)] += 1
    demands = []
    for section in sections:
        candidates = tuple(book.candidates(section))
        pick = None
        if hasattr(section, "pick") and section.period_id:
            p = section.pick
            pick = Slot(
                day=p.date, period=section.period_id, officer=p.officer_id, school=plan.school.pk
            )
        demands.append(
            Demand(
                section=section.pk,
                candidates=candidates,
                pick=pick if pick in candidates else None,
                no_slot_reason=book.no_slot_reason(section),
            )
        )
    return Problem(demands=demands, daily_limit=plan.daily_limit, used=dict(used))


@dataclass
class PlanRunResult:
    placed: int
    unplaced: int
    kept: int


@transaction.atomic
def plan_run(
    *,
    plan: IntroductionPlan,
    actor: User | None,
    request=None,
    notify: bool = True,
    from_day: date | None = None,
) -> PlanRunResult:
    """Place every participating section it can, from tomorrow (or `from_day`) to
    the end of the window. Visits done or confirmed stay; the planned ones are
    replaced by the new plan. Teachers whose visits are new or moved are told (a
    mailing, expanded by the worker)."""
    school = plan.school
    planned = Visit.objects.filter(school=school, status=Visit.Status.PLANNED)
    before = {v.section_id: (v.officer_id, v.starts_at) for v in planned}
    planned.delete()
    kept_sections = set(
        Visit.objects.active().filter(school=school).values_list("section_id", flat=True)
    )
    sections = list(
        plan.participating_sections()
        .exclude(pk__in=kept_sections)
        .select_related("period", "pick", "teacher")
        .order_by("pk")
    )
    book = SlotBook.for_plan(plan, keep_planned=False, from_day=from_day)
    solution = solve(build_problem(plan, sections, book))
    by_id = {s.pk: s for s in sections}
    zone = school.zone
    new_visits = []
    for section_id, slot in solution.placed.items():
        section = by_id[section_id]
        start, end = section.period.bounds(slot.day, zone)
        new_visits.append(
            Visit(
                school=school,
                section=section,
                officer_id=slot.officer,
                period=section.period,
                date=slot.day,
                starts_at=start,
                ends_at=end,
            )
        )
    Visit.objects.bulk_create(new_visits)
    plan.unplaced = [
        {"section": section_id, "reason": reason}
        for section_id, reason in sorted(solution.unplaced.items())
    ]
    plan.last_run_at = timezone.now()
    plan.save(update_fields=["unplaced", "last_run_at"])
    AuditEvent.record(
        action="introductions.plan_run",
        summary=f"Ran the introductions plan of {school}: {solution.count} placed, "
        f"{len(solution.unplaced)} not placed",
        school=school,
        target=plan,
        actor=actor,
        request=request,
    )
    changed = [v for v in new_visits if before.get(v.section_id) != (v.officer_id, v.starts_at)]
    if notify:
        emails.plan_visits_mail(
            plan=plan,
            sections=[v.section_id for v in changed if v.section.teacher_id],
            moved_sections=set(before) & {v.section_id for v in changed},
            actor=actor,
        )
    return PlanRunResult(
        placed=solution.count, unplaced=len(solution.unplaced), kept=len(kept_sections)
    )


# --- Changes by hand ---------------------------------------------------------


def visit_conflicts(
    *, section: ClassSection, officer: User, day: date, exclude: Visit | None = None
) -> list[str]:
    """Every reason this visit cannot happen (empty when it can)."""
    school = section.school
    period = section.period
    if period is None:
        return ["This section has no period in the bell schedule."]
    problems = []
    if not Membership.objects.active().filter(user=officer, school=school, role=Role.SRO).exists():
        problems.append(f"{officer} does not serve {school}.")
    blackout = BlackoutDate.objects.filter(school=school, date=day).first()
    if blackout:
        problems.append(f"{day:%A, %B %-d} is a blackout date ({blackout.reason or 'no visits'}).")
    if not section.meets_on(day):
        problems.append(f"{section} does not meet on {day:%A, %B %-d}.")
    blocks = Availability.objects.filter(officer=officer, school=school, weekday=day.weekday())
    if not any(b.covers(period) for b in blocks):
        problems.append(
            f"{officer} is not available at {school} during {period.name} on {day:%A}s."
        )
    start, end = period.bounds(day, school.zone)
    others = Visit.objects.active().exclude(pk=exclude.pk if exclude else None)
    clash = (
        others.filter(officer=officer, starts_at__lt=end, ends_at__gt=start)
        .select_related("section", "school")
        .first()
    )
    if clash:
        problems.append(
            f"{officer} is already booked then: {clash.section} at {clash.school} "
            f"({clash.local_start:%-I:%M %p})."
        )
    visited = others.filter(section=section).first()
    if visited:
        problems.append(f"{section} already has a visit on {visited.date:%A, %B %-d}.")
    plan = IntroductionPlan.objects.filter(school=school).first()
    if plan is not None:
        that_day = others.filter(officer=officer, school=school, date=day).count()
        if that_day >= plan.daily_limit:
            problems.append(
                f"{officer} already has {that_day} visits at {school} that day "
                f"(the daily limit is {plan.daily_limit})."
            )
    return problems


class VisitConflict(Exception):
    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def _place(visit: Visit, officer: User, day: date) -> None:
    start, end = visit.section.period.bounds(day, visit.school.zone)
    visit.officer = officer
    visit.period = visit.section.period
    visit.date = day
    visit.starts_at = start
    visit.ends_at = end


@transaction.atomic
def visit_add(
    *, section: ClassSection, officer: User, day: date, actor: User, request=None
) -> Visit:
    """Add a visit by hand. It is confirmed: re-running the plan keeps it."""
    problems = visit_conflicts(section=section, officer=officer, day=day)
    if problems:
        raise VisitConflict(problems)
    visit = Visit(school=section.school, section=section, status=Visit.Status.CONFIRMED)
    _place(visit, officer, day)
    visit.save()
    AuditEvent.record(
        action="introductions.visit_add",
        summary=f"Added a visit of {officer} to {section} on {day}",
        school=section.school,
        target=visit,
        actor=actor,
        request=request,
    )
    emails.send_visit_set(visit, moved=False)
    return visit


@transaction.atomic
def visit_move(*, visit: Visit, officer: User, day: date, actor: User, request=None) -> Visit:
    """Move a visit by hand. It is confirmed: re-running the plan keeps it."""
    if visit.status not in (Visit.Status.PLANNED, Visit.Status.CONFIRMED):
        raise VisitConflict([f"A visit that is {visit.get_status_display().lower()} cannot move."])
    problems = visit_conflicts(section=visit.section, officer=officer, day=day, exclude=visit)
    if problems:
        raise VisitConflict(problems)
    old = f"{visit.date} ({visit.officer})"
    _place(visit, officer, day)
    visit.status = Visit.Status.CONFIRMED
    visit.reminder_sent_at = None
    visit.save()
    AuditEvent.record(
        action="introductions.visit_move",
        summary=f"Moved the visit to {visit.section} from {old} to {day} ({officer})",
        school=visit.school,
        target=visit,
        actor=actor,
        request=request,
    )
    emails.send_visit_set(visit, moved=True)
    return visit


@transaction.atomic
def visit_set_status(*, visit: Visit, status: str, actor: User, request=None) -> Visit:
    visit.status = status
    visit.save(update_fields=["status", "updated_at"])
    AuditEvent.record(
        action=f"introductions.visit_{status}",
        summary=f"Marked the visit to {visit.section} on {visit.date} as {visit.get_status_display().lower()}",
        school=visit.school,
        target=visit,
        actor=actor,
        request=request,
    )
    return visit


# --- Settings, availability, and teachers' picks and questions ---------------


@transaction.atomic
def plan_settings(*, form: PlanForm, actor: User, request=None) -> IntroductionPlan:
    """Save the introductions window, daily limit and the sections taking part."""
    plan = form.save()
    AuditEvent.record(
        action="introductions.plan_settings",
        summary=f"Set the introductions window {plan.start_date}–{plan.end_date}, "
        f"{plan.daily_limit} visits a day",
        school=plan.school,
        target=plan,
        actor=actor,
        request=request,
    )
    return plan


@transaction.atomic
def availability_add(
    *, school: School, form: AvailabilityForm, actor: User, request=None
) -> Availability:
    block = form.save(commit=False)
    block.school = school
    block.save()
    AuditEvent.record(
        action="introductions.availability_add",
        summary=f"Added availability of {block.officer} at {school}: {block}",
        school=school,
        target=block,
        actor=actor,
        request=request,
    )
    return block


@transaction.atomic
def availability_delete(*, block: Availability, actor: User, request=None) -> None:
    block.delete()
    AuditEvent.record(
        action="introductions.availability_delete",
        summary=f"Removed availability of {block.officer} at {block.school}: {block}",
        school=block.school,
        actor=actor,
        request=request,
    )


@transaction.atomic
def slot_pick(
    *, section: ClassSection, officer_id: int, day: date, actor: User, request=None
) -> SlotPick:
    """The teacher's preferred slot for the section, which the plan keeps when it can."""
    pick, _ = SlotPick.objects.update_or_create(
        section=section, defaults={"officer_id": officer_id, "date": day, "picked_by": actor}
    )
    AuditEvent.record(
        action="introductions.pick",
        summary=f"Picked {day} as the preferred slot of {section}",
        school=section.school,
        target=section,
        actor=actor,
        request=request,
    )
    return pick


@transaction.atomic
def slot_withdraw(*, section: ClassSection, actor: User, request=None) -> None:
    SlotPick.objects.filter(section=section).delete()
    AuditEvent.record(
        action="introductions.pick",
        summary=f"Withdrew the preferred slot of {section}",
        school=section.school,
        target=section,
        actor=actor,
        request=request,
    )


@transaction.atomic
def visit_questions(*, form: QuestionsForm, actor: User, request=None) -> Visit:
    """The questions the class wants to ask the officer, seen with the visit."""
    visit = form.save()
    AuditEvent.record(
        action="introductions.questions",
        summary=f"Updated the class's questions for the visit to {visit.section}",
        school=visit.school,
        target=visit,
        actor=actor,
        request=request,
    )
    return visit


# --- The reminder the day before (a task: see tasks.py) ---------------------


def visit_reminders_send(*, now=None) -> int:
    """Remind each teacher whose class the officer visits tomorrow (in the school's
    zone), once per visit. Returns how many.

    The visits are marked with this run's time in the transaction that queues the
    emails, and only those marked at this time are reminded: a second run, or one
    beside it, finds them marked and sends nothing again. One email per visit (a
    teacher with two classes visited tomorrow hears of each), queued one by one:
    this runs in the worker, never in a request."""
    now = now or timezone.now()
    today = timezone.localdate(now, timezone=UTC)
    # Tomorrow differs by school zone: look a day either side, then check each.
    candidates = Visit.objects.filter(
        status__in=[Visit.Status.PLANNED, Visit.Status.CONFIRMED],
        reminder_sent_at__isnull=True,
        section__teacher__isnull=False,
        date__gte=today,
        date__lte=today + timedelta(days=2),
    ).exclude(left_school(OuterRef("section__teacher_id"), OuterRef("school_id")))
    candidates = candidates.select_related("school")
    due = [
        visit.pk
        for visit in candidates
        if visit.date == timezone.localdate(now, timezone=visit.school.zone) + timedelta(days=1)
    ]
    with transaction.atomic():
        Visit.objects.filter(pk__in=due, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
        marked = list(
            Visit.objects.with_details()
            .filter(pk__in=due, reminder_sent_at=now)
            .order_by("starts_at")
        )
        for visit in marked:
            emails.send_visit_reminder(visit)
    return len(marked)
