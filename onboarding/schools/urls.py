from django.urls import path

from onboarding.schools import views

urlpatterns = [
    path("schools/<int:school_id>/", views.school_home, name="school_home"),
    path("schools/<int:school_id>/details/", views.school_edit, name="school_edit"),
    path("agencies/<int:agency_id>/", views.agency_home, name="agency_home"),
    path("districts/<int:district_id>/", views.district_home, name="district_home"),
    path("districts/<int:district_id>/schools/new/", views.school_create, name="school_create"),
    path("districts/<int:district_id>/agencies/new/", views.agency_create, name="agency_create"),
    path("districts/<int:district_id>/invite/", views.district_invite, name="district_invite"),
]
