from django.urls import path

from expectations.delivery import views

ONE = "schools/<int:school_id>/guidelines/<int:guideline_id>/"

urlpatterns = [
    path(
        ONE + "mailings/<int:mailing_id>/send-again/",
        views.guideline_send_again,
        name="guideline_send_again",
    ),
]
