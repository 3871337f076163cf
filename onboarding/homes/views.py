from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from expectations.home import guidelines_for
from onboarding.homes import panels
from onboarding.navigation import navigation_for
from onboarding.readiness import district
from onboarding.readiness.summary import kept_readiness_for
from onboarding.schools.models import AgencyMembership, Role, School


@login_required
def home(request):
    user = request.user
    # The person's roles, shared with the navigation bar (queried once per request).
    nav = navigation_for(request)
    memberships = nav.memberships
    schools_by_id = {
        s.pk: s
        for s in School.objects.with_setup().filter(pk__in=[m.school_id for m in memberships])
    }
    for membership in memberships:
        membership.school_setup = schools_by_id[membership.school_id]
    district_admin_of = nav.district_roles
    agency_roles = nav.agency_roles
    roles = {m.role for m in memberships}
    context = {
        "my_guidelines": guidelines_for(user, memberships=memberships),
        "is_officer": Role.SRO in roles,
        "is_school_staff": bool(roles & {Role.STAFF, Role.MENTAL_HEALTH}),
        "invitations_to_answer": panels.invitations_to_answer(user) if memberships else [],
        "agreements_to_sign": panels.agreements_to_sign(user),
        "memberships": memberships,
        "district_admin_of": district_admin_of,
        "agency_roles": agency_roles,
        "supervised": [a for a in agency_roles if a.role == AgencyMembership.AgencyRole.SUPERVISOR],
        "has_any_role": bool(memberships or district_admin_of or agency_roles),
    }
    if context["is_school_staff"]:
        context.update(panels.staff_home(user, memberships))
    if context["is_officer"]:
        context.update(panels.officer_home(user, memberships))
    led = [m.school_setup for m in memberships if m.role == Role.PRINCIPAL]
    if led:
        context["led_readiness"] = list(kept_readiness_for(led).values())
    context.update(panels.supervisor_home(user, agency_roles))
    if district_admin_of:
        context.update(
            district.district_table(
                [d.district_id for d in district_admin_of], request.GET.get("sort", "name")
            )
        )
    return render(request, "onboarding/homes/home.html", context)
