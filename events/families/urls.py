from django.urls import path

from events.families import views

urlpatterns = [
    path("e/<str:token>/", views.event_public, name="event_public"),
    path(
        "e/<str:token>/cancel/<str:cancel_token>/",
        views.event_public_cancel,
        name="event_public_cancel",
    ),
]
