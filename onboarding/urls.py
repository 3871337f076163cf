"""The foundation's pages, one URL module per feature area."""

from django.urls import include, path

urlpatterns = [
    path("", include("onboarding.homes.urls")),
    path("", include("onboarding.people.urls")),
    path("", include("onboarding.schools.urls")),
    path("", include("onboarding.agreements.urls")),
    path("", include("onboarding.agreement_template.urls")),
    path("", include("onboarding.exports.urls")),
    path("", include("onboarding.audit.urls")),
]
