from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from events.engagement.figures import chart_scale, engagement_figures
from events.officers import school_officers
from onboarding.access import get_school_access


@login_required
def engagement(request, school_id: int):
    access = get_school_access(request, school_id)
    access.require(access.can_manage or access.is_sro or access.is_supervisor)
    officers = list(school_officers(access.school))
    figures = engagement_figures(access.school, officers, last_month=timezone.localdate())
    context = {
        "access": access,
        "school": access.school,
        "figures": figures,
        # Bars share one scale; the longest is `bar_room` pixels, a month 56 high.
        "scale": chart_scale(figures),
        "bar_room": 300,
        "chart_height": 20 + 56 * 6,
    }
    return render(request, "events/engagement/engagement.html", context)
