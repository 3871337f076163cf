from django.urls import path

from onboarding.readiness import views

urlpatterns = [
    path(
        "districts/<int:district_id>/readiness.csv",
        views.district_readiness_csv,
        name="district_readiness_csv",
    ),
]
