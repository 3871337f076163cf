from django.urls import path

from events.talks import views

school = "schools/<int:school_id>/"

urlpatterns = [
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
]
