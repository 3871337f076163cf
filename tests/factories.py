import factory
from django.conf import settings
from django.utils import timezone

from onboarding.models import (
    Agency,
    AgencyMembership,
    District,
    DistrictMembership,
    Invitation,
    Membership,
    Role,
    School,
    User,
)

PASSWORD = "correct-horse-battery"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@school.example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")
    state = "WI"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    level = School.Level.HIGH
    state = "WI"
    time_zone = "America/Chicago"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Police Department {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.STAFF


class AgencyMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyMembership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = AgencyMembership.AgencyRole.OFFICER


class DistrictMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistrictMembership

    user = factory.SubFactory(UserFactory)
    district = factory.SubFactory(DistrictFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    """Use `InvitationFactory.with_token()` to also get the secret link token."""

    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"newcomer{n}@school.example.org")
    full_name = factory.Faker("name")
    role = Role.STAFF
    school = factory.SubFactory(SchoolFactory)
    district = factory.SelfAttribute("school.district")
    token_hash = factory.LazyFunction(lambda: Invitation.new_token()[1])
    expires_at = factory.LazyFunction(
        lambda: timezone.now() + timezone.timedelta(days=settings.INVITATION_VALID_DAYS)
    )

    @classmethod
    def with_token(cls, **kwargs) -> tuple[Invitation, str]:
        token, token_hash = Invitation.new_token()
        return cls(token_hash=token_hash, **kwargs), token


# --- Role agreements ---------------------------------------------------------
# Agreements are built through the workflows, so that versions, sections, parties
# and signatures are as real as the product makes them.


def make_agreement(school, *, principal, officer=None, agency=None, status="draft", sections=None):
    """An agreement of `school` started by `principal`, moved to `status`
    ("draft", "review", "signing" or "active"). `sections` replaces the template
    text with a few short sections (key, title, body) to keep tests quick."""
    from onboarding import agreements as flows
    from onboarding.models import Agency as AgencyModel
    from onboarding.models import AgreementSection

    agency = agency or AgencyModel.objects.filter(district=school.district).first()
    agreement = flows.agreement_start(
        school=school,
        agency=agency,
        officer=officer,
        start_date=timezone.localdate(),
        actor=principal,
    )
    if sections is not None:
        version = agreement.current_version
        AgreementSection.objects.filter(version=version).delete()
        flows._new_version(
            agreement=agreement,
            sections=[flows.SectionText(*s) for s in sections],
            author=principal,
            note="Short test text",
        )
    if status in ("review",):
        flows.agreement_send_for_review(agreement=agreement, actor=principal)
    if status in ("signing", "active"):
        flows.agreement_send_for_signing(agreement=agreement, actor=principal)
    if status == "active":
        sign_all(agreement)
    agreement.refresh_from_db()
    return agreement


def sign_all(agreement) -> None:
    from onboarding import agreements as flows

    agreement.refresh_from_db()
    for party in agreement.parties.select_related("user"):
        flows.agreement_sign(
            agreement=agreement,
            user=party.user,
            typed_name=party.user.full_name,
            ip_address="192.0.2.10",
            user_agent="test",
            version_number=agreement.current_version.number,
        )
    agreement.refresh_from_db()


SHORT_SECTIONS = [
    ("purpose", "Purpose and goals", "A safe school where students trust adults."),
    ("discipline", "No role in school discipline", "Discipline belongs to educators."),
    ("term", "Term and signatures", "This agreement runs one year."),
]
