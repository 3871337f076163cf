from django.urls import path

from . import views_events as views

school = "schools/<int:school_id>/"
one = school + "events/<int:event_id>/"

urlpatterns = [
    path(school + "events/", views.events_list, name="events"),
    path(school + "events/month/", views.events_month, name="events_month"),
    path(school + "events/new/", views.event_create, name="event_create"),
    path(school + "events/engagement/", views.engagement, name="engagement"),
    path(one, views.event_detail, name="event_detail"),
    path(one + "edit/", views.event_edit, name="event_edit"),
    path(one + "cancel/", views.event_cancel, name="event_cancel"),
    path(one + "invite/", views.event_invite, name="event_invite"),
    path(one + "answer/", views.event_answer, name="event_answer"),
    path(one + "propose/", views.event_propose, name="event_propose"),
    path(
        one + "proposals/<int:proposal_id>/accept/",
        views.proposal_accept,
        name="proposal_accept",
    ),
    path(
        one + "proposals/<int:proposal_id>/decline/",
        views.proposal_decline,
        name="proposal_decline",
    ),
    path(one + "attendance/", views.event_attendance, name="event_attendance"),
    path(school + "talks/", views.talks, name="talks"),
    path(school + "talks/topics/new/", views.topic_create, name="topic_create"),
    path(school + "talks/topics/<int:topic_id>/edit/", views.topic_edit, name="topic_edit"),
    path(school + "talks/request/", views.talk_request, name="talk_request"),
    path(school + "talks/requests/<int:request_id>/accept/", views.talk_accept, name="talk_accept"),
    path(
        school + "talks/requests/<int:request_id>/decline/",
        views.talk_decline,
        name="talk_decline",
    ),
    # Families' public page: an unguessable link per event, no sign-in.
    path("e/<str:token>/", views.event_public, name="event_public"),
    path(
        "e/<str:token>/cancel/<str:cancel_token>/",
        views.event_public_cancel,
        name="event_public_cancel",
    ),
]
