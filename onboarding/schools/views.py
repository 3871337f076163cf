from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.html import format_html_join

from onboarding import access
from onboarding.audit.models import AuditEvent
from onboarding.people.models import Invitation
from onboarding.people.workflows import (
    person_invite,
)
from onboarding.readiness.dashboard import dashboard_context
from onboarding.schools.forms import AgencyForm, DistrictInvitationForm, SchoolForm
from onboarding.schools.models import AgencyMembership, Membership, Role, School, leader_names
from sro_portal.reversing import url_for_each


@login_required
def school_home(request, school_id: int):
    school_access = access.get_school_access(request, school_id)
    school = School.objects.with_setup().get(pk=school_access.school.pk)
    agencies = (
        AgencyMembership.objects.filter(
            user__in=school.officers, role=AgencyMembership.AgencyRole.OFFICER, is_active=True
        )
        .select_related("agency", "user")
        .order_by("user__full_name")
    )
    context = {"access": school_access, "school": school, "officer_agencies": agencies}
    if school_access.can_manage:
        context.update(dashboard_context(school))
    return render(request, "onboarding/schools/school_home.html", context)


@login_required
def agency_home(request, agency_id: int):
    agency = access.get_agency_for_user(request, agency_id)
    # Plain rows (names and ids, no person or school objects): the table shows text.
    officers = list(
        AgencyMembership.objects.filter(
            agency=agency, role=AgencyMembership.AgencyRole.OFFICER, is_active=True
        )
        .order_by("user__full_name", "pk")
        .values("user_id", "user__full_name", "badge_number")
    )
    served = defaultdict(list)
    for user_id, school_id, name in (
        Membership.objects.active()
        .filter(role=Role.SRO, user_id__in=[o["user_id"] for o in officers])
        .order_by("school__name", "school_id")
        .values_list("user_id", "school_id", "school__name")
    ):
        served[user_id].append((school_id, name))
    # One reverse() per kind of link, not one per row.
    school_url = url_for_each("school_home")
    week_url = url_for_each("agency_officer_week", agency.pk)
    for officer in officers:
        officer["week_url"] = week_url(officer["user_id"])
        officer["schools"] = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((school_url(pk), name) for pk, name in served[officer["user_id"]]),
        )
    return render(
        request, "onboarding/schools/agency_home.html", {"agency": agency, "officers": officers}
    )


@login_required
def district_home(request, district_id: int):
    district = access.get_district_for_admin(request, district_id)
    schools = list(
        School.objects.with_staff_counts()
        .filter(district=district)
        .only("name", "level", "district_id")
        .order_by("name")
    )
    leaders = leader_names([school.pk for school in schools])
    school_url = url_for_each("school_home")  # one reverse() for every row
    for school in schools:
        # What each row shows, built here once rather than by loops in the template.
        school.row_url = school_url(school.pk)
        school.row_principals = ", ".join(leaders[school.pk][Role.PRINCIPAL])
        school.row_officers = ", ".join(leaders[school.pk][Role.SRO])
    agencies = district.agencies.annotate(
        officer_count=Count(
            "memberships",
            filter=Q(memberships__role="officer", memberships__is_active=True),
        )
    ).prefetch_related(
        Prefetch(
            "memberships",
            queryset=AgencyMembership.objects.filter(
                role="supervisor", is_active=True
            ).select_related("user"),
            to_attr="supervisors",
        )
    )
    admins = district.admins.filter(is_active=True).select_related("user")
    invitations = Invitation.objects.pending().filter(district=district, school=None)
    return render(
        request,
        "onboarding/schools/district_home.html",
        {
            "district": district,
            "schools": schools,
            "agencies": agencies,
            "admins": admins,
            "invitations": invitations,
        },
    )


@login_required
def school_create(request, district_id: int):
    district = access.get_district_for_admin(request, district_id)
    form = SchoolForm(request.POST or None, initial={"state": district.state})
    if request.method == "POST" and form.is_valid():
        school = form.save(commit=False)
        school.district = district
        school.save()
        AuditEvent.record(
            action="school.created",
            summary=f"Added {school}",
            school=school,
            target=school,
            request=request,
        )
        messages.success(request, f"{school} is added. Invite its principal next.")
        return redirect("person_invite", school.pk)
    return render(
        request, "onboarding/schools/school_form.html", {"form": form, "district": district}
    )


@login_required
def school_edit(request, school_id: int):
    school_access = access.get_school_access(request, school_id)
    school_access.require(school_access.can_manage)
    school = school_access.school
    form = SchoolForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        form.save()
        AuditEvent.record(
            action="school.changed",
            summary=f"Changed the details of {school}",
            school=school,
            target=school,
            request=request,
            fields=form.changed_data,
        )
        messages.success(request, "The school's details are saved.")
        return redirect("school_home", school.pk)
    return render(
        request,
        "onboarding/schools/school_form.html",
        {"form": form, "school": school, "access": school_access, "district": school.district},
    )


@login_required
def agency_create(request, district_id: int):
    district = access.get_district_for_admin(request, district_id)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency = form.save(commit=False)
        agency.district = district
        agency.save()
        AuditEvent.record(
            action="agency.created", summary=f"Added {agency}", target=agency, request=request
        )
        messages.success(request, f"{agency} is added.")
        return redirect("district_home", district.pk)
    return render(
        request, "onboarding/schools/agency_form.html", {"form": form, "district": district}
    )


@login_required
def district_invite(request, district_id: int):
    district = access.get_district_for_admin(request, district_id)
    form = DistrictInvitationForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = person_invite(
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
            district=district,
            agency=data["agency"],
            invited_by=request.user,
            request=request,
        )
        messages.success(
            request,
            f"{result.user} already had an account and now has the role."
            if result.user
            else f"Invitation sent to {data['email']}.",
        )
        return redirect("district_home", district.pk)
    return render(
        request, "onboarding/schools/district_invite.html", {"form": form, "district": district}
    )
