from django.urls import path

from events.schedule import views

urlpatterns = [
    path("officer/schedule/", views.officer_schedule, name="officer_schedule"),
    path("officer/schedule/week/", views.officer_week, name="officer_week"),
    path(
        "agencies/<int:agency_id>/officers/<int:officer_id>/week/",
        views.agency_officer_week,
        name="agency_officer_week",
    ),
    path("officer/schedule/<str:day>/", views.officer_day, name="officer_day"),
    path("officer/feed/regenerate/", views.officer_feed_regenerate, name="officer_feed_regenerate"),
    path("feeds/officer/<str:token>.ics", views.officer_feed, name="officer_feed"),
]
