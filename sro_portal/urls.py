from django.urls import include, path

from sro_portal import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("hello", views.hello, name="hello"),
    path("hello/signed-in", views.hello_signed_in, name="hello_signed_in"),
    path("", include("onboarding.urls")),
    path("", include("expectations.urls")),
    path("", include("events.urls")),
]

handler403 = "sro_portal.views.permission_denied"
handler404 = "sro_portal.views.page_not_found"
handler500 = "sro_portal.views.server_error"
