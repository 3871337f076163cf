"""Publishing and revising guidelines."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from expectations.models import (
    Guideline,
    GuidelineVersion,
    Scenario,
    Statement,
)
from expectations.publishing import emails
from onboarding.audit.models import AuditEvent
from onboarding.people.models import User
from onboarding.schools.models import District, School


@dataclass(frozen=True)
class ScenarioData:
    situation: str
    choices: tuple[str, ...]
    correct_choice: int
    explanation: str


def add_version(
    *,
    guideline: Guideline,
    body: str,
    state_rules: str,
    statements: list[str],
    scenarios: list[ScenarioData],
    pass_mark: int,
    due_date: date,
    join_window_days: int,
    requires_reacknowledgment: bool,
    change_note: str,
    published_by: User,
    section_links: dict[str, str] | None = None,
) -> GuidelineVersion:
    """`section_links` maps a statement's text to its agreement section key; by
    default a statement keeps the link it had in the previous version."""
    previous = guideline.current_version
    if section_links is None:
        section_links = (
            dict(previous.statements.values_list("text", "agreement_section_key"))
            if previous
            else {}
        )
    version = GuidelineVersion.objects.create(
        guideline=guideline,
        number=(previous.number + 1) if previous else 1,
        body=body,
        state_rules=state_rules,
        pass_mark=pass_mark,
        due_date=due_date,
        join_window_days=join_window_days,
        # The first version always needs acknowledging.
        requires_reacknowledgment=requires_reacknowledgment or previous is None,
        change_note=change_note,
        published_by=published_by,
    )
    Statement.objects.bulk_create(
        Statement(
            version=version,
            order=i,
            text=text,
            agreement_section_key=section_links.get(text, ""),
        )
        for i, text in enumerate(statements)
    )
    Scenario.objects.bulk_create(
        Scenario(
            version=version,
            order=i,
            situation=s.situation,
            choices=list(s.choices),
            correct_choice=s.correct_choice,
            explanation=s.explanation,
        )
        for i, s in enumerate(scenarios)
    )
    guideline.current_version = version
    if version.requires_reacknowledgment:
        guideline.required_version = version
    guideline.save(update_fields=["current_version", "required_version"])
    return version


def guideline_publish(
    *,
    title: str,
    target_roles: list[str],
    body: str,
    statements: list[str],
    scenarios: list[ScenarioData],
    due_date: date,
    published_by: User,
    school: School | None = None,
    district: District | None = None,
    state_rules: str = "",
    pass_mark: int = 100,
    join_window_days: int = 14,
    starter_key: str = "",
    section_links: dict[str, str] | None = None,
    request=None,
) -> Guideline:
    """Publish a new guideline to a school (or to every school of a district) and tell
    the people it targets."""
    assert (school is None) != (district is None), "A guideline has one owner."
    with transaction.atomic():
        guideline = Guideline.objects.create(
            school=school,
            district=district,
            title=title,
            target_roles=list(target_roles),
            starter_key=starter_key,
        )
        version = add_version(
            guideline=guideline,
            body=body,
            state_rules=state_rules,
            statements=statements,
            scenarios=scenarios,
            pass_mark=pass_mark,
            due_date=due_date,
            join_window_days=join_window_days,
            requires_reacknowledgment=True,
            change_note="",
            published_by=published_by,
            section_links=section_links,
        )
        where = school or f"every school of {district}"
        AuditEvent.record_for_schools(
            [school] if school else district.schools.all(),
            action="guideline.published",
            summary=f"Published the guideline “{title}” to {where}",
            target=version,
            actor=published_by,
            request=request,
            target_roles=list(target_roles),
        )
        # One mailing, written with the version: the worker adds the emails once
        # this commits, so the request never waits on thousands of them.
        emails.published_mailing_start(version, actor=published_by)
    return guideline


def guideline_revise(
    *,
    guideline: Guideline,
    title: str,
    target_roles: list[str],
    body: str,
    state_rules: str,
    statements: list[str],
    pass_mark: int,
    due_date: date,
    join_window_days: int,
    requires_reacknowledgment: bool,
    change_note: str,
    published_by: User,
    scenarios: list[ScenarioData] | None = None,
    school: School | None = None,
    request=None,
) -> GuidelineVersion:
    """Publish a new version (with the previous version's scenario questions unless
    `scenarios` is given). When it needs acknowledging again, earlier
    acknowledgments stop counting."""
    with transaction.atomic():
        guideline = Guideline.objects.select_for_update().get(pk=guideline.pk)
        guideline.title = title
        guideline.target_roles = list(target_roles)
        guideline.save(update_fields=["title", "target_roles"])
        if scenarios is None:
            scenarios = [
                ScenarioData(s.situation, tuple(s.choices), s.correct_choice, s.explanation)
                for s in guideline.current_version.scenarios.all()
            ]
        version = add_version(
            guideline=guideline,
            body=body,
            state_rules=state_rules,
            statements=statements,
            scenarios=scenarios,
            pass_mark=pass_mark,
            due_date=due_date,
            join_window_days=join_window_days,
            requires_reacknowledgment=requires_reacknowledgment,
            change_note=change_note,
            published_by=published_by,
        )
        again = (
            "needs acknowledging again" if requires_reacknowledgment else "no new acknowledgment"
        )
        # A district-wide guideline concerns every school of the district.
        AuditEvent.record_for_schools(
            School.objects.filter(district_id=guideline.district_id)
            if guideline.district_id
            else [school or guideline.school],
            action="guideline.revised",
            summary=f"Published version {version.number} of “{title}” ({again})",
            target=version,
            actor=published_by,
            request=request,
        )
        if requires_reacknowledgment:
            emails.published_mailing_start(version, actor=published_by)
    return version
