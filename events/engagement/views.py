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
    scale = chart_scale(figures)
    bar_room = 300  # pixels for the longest bar
    for officer in figures:
        for index, month in enumerate(officer.months):
            month.y = 10 + index * 56
            month.attended_width = round(month.attended / scale * bar_room)
            month.hours_width = round(month.hours / scale * bar_room)
            month.talks_width = round(month.class_talks / scale * bar_room)
    return render(
        request,
        "events/engagement/engagement.html",
        {
            "access": access,
            "school": access.school,
            "figures": figures,
            "chart_height": 20 + 56 * 6,
        },
    )
