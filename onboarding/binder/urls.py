from django.urls import path

from onboarding.binder import views

urlpatterns = [
    path("schools/<int:school_id>/binder.pdf", views.evidence_binder, name="evidence_binder"),
]
