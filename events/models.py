"""Every model of the events app, for Django (which loads `events.models`).

Each model lives with its feature area; code imports it from there, as in
`from events.introductions.models import Visit`.
"""

from .families.models import FamilySignup
from .introductions.models import Availability, IntroductionPlan, SlotPick, Visit
from .invitations.models import Event, EventInvitation, TimeProposal, new_public_token
from .schedule.models import OfficerFeed
from .talks.models import ClassTalkRequest, ClassTalkTopic
from .timetable.models import BlackoutDate, ClassSection, Period

__all__ = [
    "Availability",
    "BlackoutDate",
    "ClassSection",
    "ClassTalkRequest",
    "ClassTalkTopic",
    "Event",
    "EventInvitation",
    "FamilySignup",
    "IntroductionPlan",
    "OfficerFeed",
    "Period",
    "SlotPick",
    "TimeProposal",
    "Visit",
    # Named by the first migration (the default of Event.public_token).
    "new_public_token",
]
