"""What a person must read and acknowledge, for their home page (expectations'
part of it, see onboarding/contributions.py) and "My guidelines"."""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from expectations.models import Acknowledgment, Guideline
from expectations.status import Standing, standing
from onboarding.readiness.lines import Part
from onboarding.schools.models import SCHOOL_STAFF_ROLES, Membership, School


@dataclass
class MyGuideline:
    school: School
    standing: Standing

    @property
    def guideline(self) -> Guideline:
        return self.standing.guideline

    @property
    def url(self) -> str:
        return reverse("guideline_detail", args=[self.school.pk, self.guideline.pk])


def panels_for(request, *, memberships) -> list[Part]:
    """The guidelines to read and acknowledge, when there are any: one query (the
    memberships are the navigation's)."""
    mine = guidelines_for(request.user, memberships=memberships)
    return [Part("expectations/_my_guidelines.html", {"my_guidelines": mine})] if mine else []


def guidelines_for(user, school: School | None = None, memberships=None) -> list[MyGuideline]:
    """Every published guideline targeted at one of the person's roles, in every school
    where they work (or only `school`), with where they stand: two queries, or one
    when the caller passes `memberships` (the person's active memberships with their
    schools, by school name, as the navigation holds them). Those still to do come
    first, the most urgent first."""
    if not user.is_authenticated:
        return []
    if memberships is None:
        memberships = (
            Membership.objects.active()
            .filter(user=user, role__in=SCHOOL_STAFF_ROLES)
            .select_related("school")
            .order_by("school__name")
        )
        if school is not None:
            memberships = memberships.filter(school=school)
    memberships = [
        m
        for m in memberships
        if m.role in SCHOOL_STAFF_ROLES and (school is None or m.school_id == school.pk)
    ]
    if not memberships:
        return []
    school_ids = {m.school_id for m in memberships}
    district_ids = {m.school.district_id for m in memberships}
    # The latest version of each guideline this person acknowledged, in the same query.
    mine = Acknowledgment.objects.filter(person=user, version__guideline=OuterRef("pk")).order_by(
        "-version__number"
    )
    guidelines = list(
        Guideline.objects.filter(
            Q(school__in=school_ids) | Q(district__in=district_ids),
            current_version__isnull=False,
        )
        .select_related("required_version")
        .only(  # what the list and where the person stands (expectations.status) read
            "school_id",
            "district_id",
            "title",
            "target_roles",
            "required_version__number",
            "required_version__due_date",
            "required_version__published_at",
            "required_version__join_window_days",
        )
        .annotate(
            my_number=Subquery(mine.values("version__number")[:1]),
            my_acknowledged_at=Subquery(mine.values("acknowledged_at")[:1]),
        )
    )
    items = []
    for membership in memberships:
        today = timezone.localdate(timezone=membership.school.zone)
        for guideline in guidelines:
            applies = guideline.school_id == membership.school_id or (
                guideline.district_id == membership.school.district_id
            )
            if not applies or not guideline.targets(membership.role):
                continue
            number, at = guideline.my_number, guideline.my_acknowledged_at
            items.append(
                MyGuideline(
                    membership.school,
                    standing(
                        guideline,
                        joined_at=membership.created_at,
                        acknowledged_number=number,
                        acknowledged_at=at,
                        today=today,
                        zone=membership.school.zone,
                    ),
                )
            )
    items.sort(key=lambda i: (i.standing.is_done, i.standing.due_date, i.guideline.title))
    return items
