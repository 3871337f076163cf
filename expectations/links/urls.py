from django.urls import path

from expectations.links import views

G = "schools/<int:school_id>/guidelines/"
ONE = G + "<int:guideline_id>/"

urlpatterns = [
    path(ONE + "links/", views.guideline_links, name="guideline_links"),
]
