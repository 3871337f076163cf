"""The access helpers that several feature areas of the events app share (each
fetches through onboarding.access and narrows it)."""

from onboarding.access import SchoolAccess, get_school_access


def manager_access(request, school_id: int) -> SchoolAccess:
    """Principals and district admins plan a school's introductions and keep its
    timetable."""
    access = get_school_access(request, school_id)
    access.require(access.can_manage)
    return access


def calendar_access(request, school_id: int) -> SchoolAccess:
    """The school's calendar (events, class talks): school members and district
    admins; an agency supervisor reads agency items only."""
    access = get_school_access(request, school_id)
    access.require(not access.is_agency_reader)
    return access
