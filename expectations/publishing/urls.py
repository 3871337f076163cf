from django.urls import path

from expectations.publishing import views

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
    path(ONE + "revise/", views.guideline_revise, name="guideline_revise"),
]
