from django.http import Http404
from django.shortcuts import get_object_or_404

from expectations.models import Guideline
from onboarding.access import SchoolAccess, get_school_access


def _school_access(request, school_id: int) -> SchoolAccess:
    """Guidelines are for the school's people, not for agency supervisors (403)."""
    access = get_school_access(request, school_id)
    access.require(access.role is not None or access.is_district_admin)
    return access


def _get_guideline(access: SchoolAccess, guideline_id: int) -> Guideline:
    """A published guideline of this school (or its district) the person may read:
    managers and the officer read all of them; staff only those targeted at their
    role. Anything else is a 404."""
    guideline = get_object_or_404(Guideline.objects.for_school(access.school), pk=guideline_id)
    if not (access.can_manage or access.is_sro or guideline.targets(access.role)):
        raise Http404
    return guideline


def _get_managed_guideline(access: SchoolAccess, guideline_id: int) -> Guideline:
    guideline = _get_guideline(access, guideline_id)
    access.require(access.can_manage)
    return guideline
