"""The events app's pages, one URL module per feature area."""

from django.urls import include, path

urlpatterns = [
    path("", include("events.timetable.urls")),
    path("", include("events.introductions.urls")),
    path("", include("events.schedule.urls")),
    path("", include("events.invitations.urls")),
    path("", include("events.engagement.urls")),
    path("", include("events.talks.urls")),
    path("", include("events.families.urls")),
]
