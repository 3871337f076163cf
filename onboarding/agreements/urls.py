from django.urls import path

from onboarding.agreements import documents, views

A = "schools/<int:school_id>/agreements/<int:agreement_id>/"

urlpatterns = [
    path("schools/<int:school_id>/agreements/", views.agreement_list, name="agreement_list"),
    path("schools/<int:school_id>/agreements/new/", views.agreement_start, name="agreement_start"),
    path(A, views.agreement_detail, name="agreement_detail"),
    path(A + "sections/add/", views.agreement_section_add, name="agreement_section_add"),
    path(A + "sections/<slug:key>/", views.agreement_section_edit, name="agreement_section_edit"),
    path(
        A + "sections/<slug:key>/remove/",
        views.agreement_section_remove,
        name="agreement_section_remove",
    ),
    path(
        A + "sections/<slug:key>/move/", views.agreement_section_move, name="agreement_section_move"
    ),
    path(A + "sections/<slug:key>/comments/", views.agreement_comment, name="agreement_comment"),
    path(
        A + "comments/<int:comment_id>/resolve/",
        views.agreement_comment_resolve,
        name="agreement_comment_resolve",
    ),
    path(A + "review/", views.agreement_send_for_review, name="agreement_send_for_review"),
    path(A + "parties/", views.agreement_parties, name="agreement_parties"),
    path(
        A + "parties/<int:party_id>/move/", views.agreement_party_move, name="agreement_party_move"
    ),
    path(
        A + "parties/<int:party_id>/remove/",
        views.agreement_party_remove,
        name="agreement_party_remove",
    ),
    path(A + "review-date/", views.agreement_review_date, name="agreement_review_date"),
    path(A + "signing/", views.agreement_send_for_signing, name="agreement_send_for_signing"),
    path(A + "sign/", views.agreement_sign, name="agreement_sign"),
    path(A + "compare/", documents.agreement_compare, name="agreement_compare"),
    path(A + "versions/<int:number>/verify/", documents.agreement_verify, name="agreement_verify"),
    path(A + "print/", documents.agreement_print, name="agreement_print"),
    path(A + "pdf/", documents.agreement_pdf, name="agreement_pdf"),
    path(A + "amend/", views.agreement_amend, name="agreement_amend"),
]
