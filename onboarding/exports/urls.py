from django.urls import path

from onboarding.exports import views

urlpatterns = [
    path("schools/<int:school_id>/binder/", views.evidence_binder, name="evidence_binder"),
    path("districts/<int:district_id>/exports/", views.district_export, name="district_export"),
    path("exports/<int:export_id>/", views.export_detail, name="export_detail"),
    path("exports/<int:export_id>/status", views.export_status, name="export_status"),
    path("exports/<int:export_id>/download", views.export_download, name="export_download"),
    path("exports/<int:export_id>/again", views.export_again, name="export_again"),
]
