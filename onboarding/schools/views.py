"""The pages of a school, a police agency and a district."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render

from onboarding import access
from onboarding.people.models import Invitation
from onboarding.people.workflows import (
    person_invite,
)
from onboarding.readiness import kept
from onboarding.readiness.dashboard import dashboard
from onboarding.schools import workflows
from onboarding.schools.forms import AgencyForm, DistrictInvitationForm, SchoolForm
from onboarding.schools.models import AgencyMembership, Membership, Role, School


@login_required
def school_home(request, school_id: int):
    school_access = access.get_school_access(request, school_id)
    school = (
        School.objects.select_related("district")
        .annotate(last_change=kept.newest_event())
        .get(pk=school_access.school.pk)
    )
    officers = Membership.objects.active().filter(school=school, role=Role.SRO)
    agencies = (
        AgencyMembership.objects.filter(
            user__in=officers.values("user_id"),
            role=AgencyMembership.AgencyRole.OFFICER,
            is_active=True,
        )
        .select_related("agency", "user")
        .order_by("user__full_name")
    )
    context = {
        "access": school_access,
        "school": school,
        "setup": Membership.objects.setups([school.pk])[school.pk],
        "officer_agencies": agencies,
        "dashboard": dashboard(school) if school_access.can_manage else None,
    }
    return render(request, "onboarding/schools/school_home.html", context)


@login_required
def agency_home(request, agency_id: int):
    agency = access.get_agency_for_user(request, agency_id)
    served = Membership.objects.active().filter(role=Role.SRO).select_related("school")
    officers = (
        agency.memberships.filter(role=AgencyMembership.AgencyRole.OFFICER, is_active=True)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__memberships",
                queryset=served.order_by("school__name", "school_id"),
                to_attr="schools_served",
            )
        )
        .order_by("user__full_name", "pk")
    )
    return render(
        request, "onboarding/schools/agency_home.html", {"agency": agency, "officers": officers}
    )


@login_required
def district_home(request, district_id: int):
    district = access.get_district_for_admin(request, district_id)
    supervisors = AgencyMembership.objects.filter(role="supervisor", is_active=True)
    schools = list(School.objects.filter(district=district).order_by("name"))
    setups = Membership.objects.setups(s.pk for s in schools)
    context = {
        "district": district,
        "schools": [(school, setups[school.pk]) for school in schools],
        "agencies": district.agencies.annotate(
            officer_count=Count(
                "memberships",
                filter=Q(memberships__role="officer", memberships__is_active=True),
            )
        ).prefetch_related(
            Prefetch(
                "memberships",
                queryset=supervisors.select_related("user"),
                to_attr="supervisors",
            )
        ),
        "admins": district.admins.filter(is_active=True).select_related("user"),
        "invitations": Invitation.objects.pending().filter(district=district, school=None),
    }
    return render(request, "onboarding/schools/district_home.html", context)


@login_required
def school_create(request, district_id: int):
    district = access.get_district_for_admin(request, district_id)
    form = SchoolForm(request.POST or None, initial={"state": district.state})
    if request.method == "POST" and form.is_valid():
        school = workflows.school_add(district=district, form=form, request=request)
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
        workflows.school_change(form=form, request=request)
        messages.success(request, "The school's details are saved.")
        return redirect("school_home", school.pk)
    context = {"form": form, "school": school, "access": school_access, "district": school.district}
    return render(request, "onboarding/schools/school_form.html", context)


@login_required
def agency_create(request, district_id: int):
    district = access.get_district_for_admin(request, district_id)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency = workflows.agency_add(district=district, form=form, request=request)
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
