from django.urls import path

from events.engagement import views

school = "schools/<int:school_id>/"

urlpatterns = [
    path(school + "events/engagement/", views.engagement, name="engagement"),
]
