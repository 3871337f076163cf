"""The expectations app's pages, one URL module per feature area."""

from django.urls import include, path

urlpatterns = [
    path("", include("expectations.publishing.urls")),
    path("", include("expectations.acknowledging.urls")),
    path("", include("expectations.compliance.urls")),
    path("", include("expectations.links.urls")),
    path("", include("expectations.delivery.urls")),
]
