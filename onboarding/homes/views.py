from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from onboarding.contributions import contributions
from onboarding.homes import panels
from onboarding.navigation import navigation_for
from onboarding.readiness.district import district_table
from onboarding.readiness.lines import merged
from onboarding.schools.models import Membership, Role


@login_required
def home(request):
    """Each person's "what do I do next?": the foundation's parts, then each feature
    app's. A `home` module's `panels_for(request, *, memberships) -> [Part]` gives
    the person's panels (`memberships`: their active memberships with their
    schools, as the navigation holds them) in a fixed number of queries; the page
    includes their templates in order, with their contexts merged."""
    # The person's roles, shared with the navigation bar (queried once per request).
    nav = navigation_for(request)
    memberships = nav.memberships
    setups = Membership.objects.setups({m.school_id for m in memberships})
    for membership in memberships:
        membership.setup = setups[membership.school_id]
    parts = [
        p for m in contributions("home") for p in m.panels_for(request, memberships=memberships)
    ]
    led = [m.school for m in memberships if m.role == Role.PRINCIPAL]
    agency_roles = nav.agency_roles
    context = {
        "agreements_to_sign": panels.agreements_to_sign(nav.roles)
        if nav.roles.may_sign_agreements
        else [],
        "led_readiness": panels.led_readiness(led),
        "panels": [part.template for part in parts],
        "memberships": memberships,
        "district_admin_of": nav.district_roles,
        "agency_roles": agency_roles,
        "has_any_role": bool(memberships or nav.district_roles or agency_roles),
        "supervision": panels.supervision(agency_roles),
        **merged(parts),
    }
    if nav.district_roles:
        districts = [d.district_id for d in nav.district_roles]
        context["district_table"] = district_table(districts, request.GET.get("sort", "name"))
    return render(request, "onboarding/homes/home.html", context)
