"""Every model of the foundation, for Django (which loads `onboarding.models`).

Each model lives with its feature area; code imports it from there, as in
`from onboarding.schools.models import School`.
"""

from .agreement_template.models import AgreementTemplate, TemplateSection
from .agreements.models import (
    Agreement,
    AgreementSection,
    AgreementVersion,
    SectionComment,
    Signature,
    SigningParty,
)
from .audit.models import AuditEvent
from .exports.models import Export
from .outbox.models import Email, Mailing
from .people.models import Invitation, SignIn, User, UserManager
from .ratelimit.models import RateCounter
from .schools.models import (
    Agency,
    AgencyMembership,
    District,
    DistrictMembership,
    Membership,
    School,
)

__all__ = [
    "Agency",
    "AgencyMembership",
    "Agreement",
    "AgreementSection",
    "AgreementTemplate",
    "AgreementVersion",
    "AuditEvent",
    "District",
    "Email",
    "Export",
    "DistrictMembership",
    "Invitation",
    "Mailing",
    "Membership",
    "RateCounter",
    "School",
    "SectionComment",
    "SignIn",
    "Signature",
    "SigningParty",
    "TemplateSection",
    "User",
    # Named by the first migration (the manager is used in migrations).
    "UserManager",
]
