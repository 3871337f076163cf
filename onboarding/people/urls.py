from django.contrib.auth import views as auth_views
from django.urls import path

from onboarding.people import views

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("schools/<int:school_id>/people/", views.people, name="people"),
    path("schools/<int:school_id>/people/invite/", views.person_invite_view, name="person_invite"),
    path("schools/<int:school_id>/people/import/", views.people_import, name="people_import"),
    path(
        "schools/<int:school_id>/people/<int:membership_id>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "schools/<int:school_id>/people/<int:membership_id>/email/",
        views.membership_email,
        name="membership_email",
    ),
    path(
        "schools/<int:school_id>/people/<int:membership_id>/deactivate/",
        views.membership_deactivate_view,
        name="membership_deactivate",
    ),
    path(
        "schools/<int:school_id>/people/<int:membership_id>/reactivate/",
        views.membership_reactivate_view,
        name="membership_reactivate",
    ),
    path(
        "schools/<int:school_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
