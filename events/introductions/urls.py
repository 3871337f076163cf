from django.urls import path

from events.introductions import views

P = "schools/<int:school_id>/introductions/"

urlpatterns = [
    path(P, views.introductions, name="introductions"),
    path(f"{P}settings/", views.introductions_settings, name="introductions_settings"),
    path(f"{P}run/", views.introductions_run, name="introductions_run"),
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
]
