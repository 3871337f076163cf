from django.urls import path

from events.invitations import views

school = "schools/<int:school_id>/"
one = school + "events/<int:event_id>/"

urlpatterns = [
    path(school + "events/", views.events_list, name="events"),
    path(school + "events/month/", views.events_month, name="events_month"),
    path(school + "events/new/", views.event_create, name="event_create"),
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
]
