from django.urls import path

from onboarding.agreement_template import views

urlpatterns = [
    path(
        "districts/<int:district_id>/agreement-template/",
        views.agreement_template,
        name="agreement_template",
    ),
    path(
        "districts/<int:district_id>/agreement-template/add/",
        views.agreement_template_section,
        name="agreement_template_section_add",
    ),
    path(
        "districts/<int:district_id>/agreement-template/<slug:key>/",
        views.agreement_template_section,
        name="agreement_template_section",
    ),
    path(
        "districts/<int:district_id>/agreement-template/<slug:key>/remove/",
        views.agreement_template_section_remove,
        name="agreement_template_section_remove",
    ),
]
