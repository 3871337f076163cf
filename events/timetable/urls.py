from django.urls import path

from events.timetable import views

P = "schools/<int:school_id>/introductions/"

urlpatterns = [
    path(f"{P}bell-schedule/", views.bell_schedule, name="bell_schedule"),
    path(f"{P}periods/<int:period_id>/delete/", views.period_delete, name="period_delete"),
    path(f"{P}blackouts/<int:blackout_id>/delete/", views.blackout_delete, name="blackout_delete"),
    path(f"{P}sections/", views.sections, name="sections"),
    path(f"{P}sections/import/", views.sections_import_view, name="sections_import"),
    path(f"{P}sections/<int:section_id>/", views.section_edit, name="section_edit"),
]
