from django.urls import path

from expectations.compliance import views

G = "schools/<int:school_id>/guidelines/"
ONE = G + "<int:guideline_id>/"

urlpatterns = [
    path(ONE + "compliance/", views.guideline_compliance, name="guideline_compliance"),
    path(ONE + "roster.csv", views.guideline_roster_csv, name="guideline_roster_csv"),
    path(ONE + "remind/", views.guideline_remind, name="guideline_remind"),
]
