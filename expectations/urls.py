from django.urls import path

from . import views

G = "schools/<int:school_id>/guidelines/"
ONE = G + "<int:guideline_id>/"

urlpatterns = [
    path(G, views.guidelines, name="guidelines"),
    path(G + "starters/", views.guideline_starters, name="guideline_starters"),
    path(
        G + "starters/<slug:key>/",
        views.guideline_starter_publish,
        name="guideline_starter_publish",
    ),
    path(G + "new/", views.guideline_new, name="guideline_new"),
    path(ONE, views.guideline_detail, name="guideline_detail"),
    path(ONE + "answers/", views.guideline_answers, name="guideline_answers"),
    path(ONE + "confirm/", views.guideline_confirm, name="guideline_confirm"),
    path(ONE + "compliance/", views.guideline_compliance, name="guideline_compliance"),
    path(ONE + "roster.csv", views.guideline_roster_csv, name="guideline_roster_csv"),
    path(ONE + "remind/", views.guideline_remind, name="guideline_remind"),
    path(ONE + "revise/", views.guideline_revise_view, name="guideline_revise"),
    path(ONE + "links/", views.guideline_links, name="guideline_links"),
]
