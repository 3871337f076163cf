from django.urls import path

from expectations.acknowledging import views

G = "schools/<int:school_id>/guidelines/"
ONE = G + "<int:guideline_id>/"

urlpatterns = [
    path(ONE, views.guideline_detail, name="guideline_detail"),
    path(ONE + "answers/", views.guideline_answers, name="guideline_answers"),
    path(ONE + "confirm/", views.guideline_confirm, name="guideline_confirm"),
]
