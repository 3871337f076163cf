"""Who may do what with one agreement.

`get_agreement` returns only an agreement this person may read (anything else is a
404, never a leak); its `AgreementAccess` says what they may do with it, and the
views turn a missing right into a 403 with `access.school.require(...)`.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from onboarding.access import SchoolAccess, get_school_access
from onboarding.agreements.models import Agreement, SigningParty, next_party


@dataclass
class AgreementAccess:
    school: SchoolAccess
    agreement: Agreement
    user_id: int

    # Read on first use: a principal's comparison or print view needs no parties.
    @cached_property
    def parties(self) -> list[SigningParty]:
        """In signing order, each with its `signature` of the current version."""
        return self.agreement.parties_with_signatures(self.agreement.current_version)

    @cached_property
    def party(self) -> SigningParty | None:
        """The visitor's own signing party, if any."""
        return next((p for p in self.parties if p.user_id == self.user_id), None)

    @property
    def next_party(self) -> SigningParty | None:
        return next_party(self.parties)

    @property
    def my_turn(self) -> bool:
        """Whether the visitor is the party who signs next."""
        return (
            self.agreement.status == Agreement.Status.SIGNING
            and self.party is not None
            and self.next_party == self.party
        )

    @property
    def can_edit(self) -> bool:
        return self.school.can_manage and self.agreement.is_editable

    @property
    def can_comment(self) -> bool:
        return (self.school.can_manage or self.party is not None) and self.agreement.is_editable

    @property
    def sees_review(self) -> bool:
        """Comments and history are for the people who write and sign."""
        return self.school.can_manage or self.party is not None


def get_agreement(request, school_id: int, agreement_id: int) -> AgreementAccess:
    school_access = get_school_access(request, school_id)
    agreement = get_object_or_404(
        Agreement.objects.readable_by(school_access, request.user)
        .select_related("agency", "officer", "current_version", "current_version__author", "amends")
        .annotate(is_amended=Exists(Agreement.objects.filter(amends=OuterRef("pk")))),
        pk=agreement_id,
    )
    # readable_by keeps the agreements of this school: reuse the school (and its
    # district) fetched with the access rather than join them again.
    agreement.school = school_access.school
    return AgreementAccess(school_access, agreement, request.user.pk)


def get_editable_agreement(request, school_id: int, agreement_id: int) -> AgreementAccess:
    """An agreement a manager of the school may still change (a 404 once it is in
    force: it changes by amendment)."""
    access = get_agreement(request, school_id, agreement_id)
    access.school.require(access.school.can_manage)
    if not access.agreement.is_editable:
        raise Http404
    return access
