"""Who may read and manage a guideline.

Guidelines are for a school's people: `school_access` refuses others with a 403
(an agency supervisor, for one). `get_guideline` returns a guideline of the school
(or its district) that the person may read, and a 404 for any other;
`get_guideline_to_acknowledge` adds that it asks the person's role, and
`get_managed_guideline` that the person manages the school (else a 403).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from expectations.models import Guideline
from onboarding.access import SchoolAccess, get_school_access


def school_access(request, school_id: int) -> SchoolAccess:
    access = get_school_access(request, school_id)
    access.require(access.role is not None or access.is_district_admin)
    return access


def get_guideline(access: SchoolAccess, guideline_id: int) -> Guideline:
    """Managers and the officer read every published guideline; staff only those
    targeted at their role."""
    guideline = get_object_or_404(Guideline.objects.for_school(access.school), pk=guideline_id)
    if not (access.can_manage or access.is_sro or guideline.targets(access.role)):
        raise Http404
    return guideline


def get_guideline_to_acknowledge(access: SchoolAccess, guideline_id: int) -> Guideline:
    guideline = get_guideline(access, guideline_id)
    access.require(guideline.targets(access.role))
    return guideline


def get_managed_guideline(access: SchoolAccess, guideline_id: int) -> Guideline:
    guideline = get_guideline(access, guideline_id)
    access.require(access.can_manage)
    return guideline
