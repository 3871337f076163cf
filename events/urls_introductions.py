"""Class introductions: school pages under /schools/<id>/introductions/, the
officer's own schedule under /officer/, and the public secret-link feed."""

from django.urls import path

from . import views_introductions as views

P = "schools/<int:school_id>/introductions/"

urlpatterns = [
    path(P, views.introductions, name="introductions"),
    path(f"{P}settings/", views.introductions_settings, name="introductions_settings"),
    path(f"{P}run/", views.introductions_run, name="introductions_run"),
    path(f"{P}bell-schedule/", views.bell_schedule, name="bell_schedule"),
    path(f"{P}periods/<int:period_id>/delete/", views.period_delete, name="period_delete"),
    path(f"{P}blackouts/<int:blackout_id>/delete/", views.blackout_delete, name="blackout_delete"),
    path(f"{P}sections/", views.sections, name="sections"),
    path(f"{P}sections/import/", views.sections_import_view, name="sections_import"),
    path(f"{P}sections/<int:section_id>/", views.section_edit, name="section_edit"),
    path(f"{P}sections/<int:section_id>/visit/", views.visit_add, name="visit_add"),
    path(f"{P}sections/<int:section_id>/pick/", views.section_pick, name="section_pick"),
    path(f"{P}availability/", views.availability, name="availability"),
    path(
        f"{P}availability/<int:block_id>/delete/",
        views.availability_delete,
        name="availability_delete",
    ),
    path(f"{P}visits/<int:visit_id>/move/", views.visit_move, name="visit_move"),
    path(f"{P}visits/<int:visit_id>/cancel/", views.visit_cancel, name="visit_cancel"),
    path(f"{P}visits/<int:visit_id>/status/", views.visit_status, name="visit_status"),
    path(f"{P}visits/<int:visit_id>/questions/", views.visit_questions, name="visit_questions"),
    path(f"{P}my-classes/", views.my_classes, name="introductions_my_classes"),
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
