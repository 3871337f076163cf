from django.urls import path

from onboarding.audit import views

urlpatterns = [
    path("districts/<int:district_id>/audit-log/", views.audit_chain, name="audit_chain"),
]
