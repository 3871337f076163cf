from django.urls import path

from onboarding.homes import views

urlpatterns = [
    path("", views.home, name="home"),
]
