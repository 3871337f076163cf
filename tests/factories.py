import datetime as _dt

import factory
from django.conf import settings
from django.utils import timezone

from events.families.models import FamilySignup
from events.introductions.models import Availability, IntroductionPlan, Visit
from events.invitations.models import Event, EventInvitation, EventKind, TimeProposal
from events.talks.models import ClassTalkRequest, ClassTalkTopic
from events.timetable.models import BlackoutDate, ClassSection, Period
from expectations.models import (
    Acknowledgment,
    Guideline,
    GuidelineVersion,
    Scenario,
    Statement,
)
from onboarding.agreement_template.workflows import SectionText
from onboarding.agreements import signing, workflows
from onboarding.exports.models import Export
from onboarding.people.models import Invitation, User
from onboarding.schools.models import (
    Agency,
    AgencyMembership,
    District,
    DistrictMembership,
    Membership,
    Role,
    School,
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


# --- Staff expectations (expectations app) -----------------------------------


class GuidelineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guideline

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Guideline {n}")
    target_roles = factory.LazyFunction(lambda: [Role.STAFF, Role.MENTAL_HEALTH])


class GuidelineVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidelineVersion

    guideline = factory.SubFactory(GuidelineFactory)
    number = 1
    body = "## Why\n\nThe officer is **not** part of school discipline."
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=14))
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    version = factory.SubFactory(GuidelineVersionFactory)
    order = factory.Sequence(int)
    text = factory.Sequence(lambda n: f"I will keep promise number {n}.")


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario

    version = factory.SubFactory(GuidelineVersionFactory)
    order = factory.Sequence(int)
    situation = factory.Sequence(lambda n: f"Situation {n}: a student breaks a class rule.")
    choices = factory.LazyFunction(lambda: ["School discipline", "The officer"])
    correct_choice = 0
    explanation = "A broken class rule is for the school to handle."


class AcknowledgmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Acknowledgment

    person = factory.SubFactory(UserFactory)
    version = factory.SubFactory(GuidelineVersionFactory)
    typed_name = factory.SelfAttribute("person.full_name")


def published_guideline(*, statements: int = 2, scenarios: int = 2, **kwargs) -> Guideline:
    """A published guideline (version 1 current and required) with statements and
    scenario questions whose right answer is the first choice."""
    version_kwargs = {
        k: kwargs.pop(k)
        for k in ("due_date", "published_at", "pass_mark", "join_window_days", "body")
        if k in kwargs
    }
    guideline = GuidelineFactory(**kwargs)
    version = GuidelineVersionFactory(guideline=guideline, **version_kwargs)
    StatementFactory.create_batch(statements, version=version)
    ScenarioFactory.create_batch(scenarios, version=version)
    guideline.current_version = guideline.required_version = version
    guideline.save()
    return guideline


# --- Events and invitations ------------------------------------------------------


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    school = factory.SubFactory(SchoolFactory)
    kind = EventKind.COFFEE_HOUR
    title = factory.Sequence(lambda n: f"Coffee hour {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timezone.timedelta(hours=1))
    place = "Library"


class EventInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventInvitation

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)


class TimeProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeProposal

    invitation = factory.SubFactory(EventInvitationFactory)
    starts_at = factory.LazyAttribute(
        lambda o: o.invitation.event.starts_at + timezone.timedelta(days=1)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timezone.timedelta(hours=1))


class FamilySignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilySignup

    event = factory.SubFactory(EventFactory, open_to_families=True)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"family{n}@home.example.org")
    party_size = 2


class ClassTalkTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassTalkTopic

    officer = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Online safety and the law {n}")
    grades = "9–12"


class ClassTalkRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassTalkRequest

    school = factory.SubFactory(SchoolFactory)
    topic = factory.SubFactory(ClassTalkTopicFactory)
    requested_by = factory.SubFactory(UserFactory)
    class_description = "Civics, period 3, room 214"
    preferred_dates = "Tuesday or Thursday mornings"


# --- Class introductions (events app) ----------------------------------------


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period

    school = factory.SubFactory(SchoolFactory)
    position = factory.Sequence(lambda n: n % 7 + 1)
    name = factory.Sequence(lambda n: f"Block {n}")
    start_time = _dt.time(9, 0)
    end_time = _dt.time(9, 50)
    weekdays = "01234"


class BlackoutDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlackoutDate

    school = factory.SubFactory(SchoolFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + _dt.timedelta(days=3))
    reason = "Testing day"


class ClassSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassSection

    school = factory.SubFactory(SchoolFactory)
    code = factory.Sequence(lambda n: f"SEC-{n}")
    name = factory.Sequence(lambda n: f"English 9 section {n}")
    course = "English 9"
    grade = "9"
    period = factory.SubFactory(PeriodFactory, school=factory.SelfAttribute("..school"))
    room = "101"
    size = 25


class AvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Availability

    officer = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    weekday = 0
    start_time = _dt.time(7, 0)
    end_time = _dt.time(15, 0)


def next_weekday(offset_days: int = 1) -> _dt.date:
    """A school day at least `offset_days` from today."""
    day = timezone.localdate() + _dt.timedelta(days=offset_days)
    while day.weekday() >= 5:
        day += _dt.timedelta(days=1)
    return day


class IntroductionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntroductionPlan

    school = factory.SubFactory(SchoolFactory)
    start_date = factory.LazyFunction(lambda: next_weekday(1))
    end_date = factory.LazyAttribute(lambda o: o.start_date + _dt.timedelta(days=13))
    daily_limit = 4


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    section = factory.SubFactory(ClassSectionFactory)
    school = factory.SelfAttribute("section.school")
    period = factory.SelfAttribute("section.period")
    officer = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(lambda: next_weekday(2))
    starts_at = factory.LazyAttribute(lambda o: o.period.bounds(o.date, o.school.zone)[0])
    ends_at = factory.LazyAttribute(lambda o: o.period.bounds(o.date, o.school.zone)[1])


def introductions_setup(*, school, officer, teacher, sections: int = 3, daily_limit: int = 4):
    """A school ready to plan: three periods, the officer free all day on weekdays,
    `sections` sections taught by `teacher`, and a two-week window from tomorrow."""
    from types import SimpleNamespace

    periods = [
        PeriodFactory(
            school=school,
            name=f"Period {i}",
            position=i,
            start_time=_dt.time(8 + i, 0),
            end_time=_dt.time(8 + i, 50),
        )
        for i in (1, 2, 3)
    ]
    for weekday in range(5):
        AvailabilityFactory(officer=officer, school=school, weekday=weekday)
    made = [
        ClassSectionFactory(school=school, teacher=teacher, period=periods[i % 3])
        for i in range(sections)
    ]
    plan = IntroductionPlanFactory(school=school, daily_limit=daily_limit)
    return SimpleNamespace(periods=periods, sections=made, plan=plan)


# --- Role agreements ---------------------------------------------------------
# Agreements are built through the workflows, so that versions, sections, parties
# and signatures are as real as the product makes them.


def make_agreement(school, *, principal, officer=None, agency=None, status="draft", sections=None):
    """An agreement of `school` started by `principal`, moved to `status`
    ("draft", "review", "signing" or "active"). `sections` replaces the template
    text with a few short sections (key, title, body) to keep tests quick."""
    from onboarding.agreements.models import AgreementSection
    from onboarding.schools.models import Agency as AgencyModel

    agency = agency or AgencyModel.objects.filter(district=school.district).first()
    agreement = workflows.agreement_start(
        school=school,
        agency=agency,
        officer=officer,
        start_date=timezone.localdate(),
        actor=principal,
    )
    if sections is not None:
        version = agreement.current_version
        AgreementSection.objects.filter(version=version).delete()
        workflows._new_version(
            agreement=agreement,
            sections=[SectionText(*s) for s in sections],
            author=principal,
            note="Short test text",
        )
    if status in ("review",):
        workflows.agreement_send_for_review(agreement=agreement, actor=principal)
    if status in ("signing", "active"):
        signing.agreement_send_for_signing(agreement=agreement, actor=principal)
    if status == "active":
        sign_all(agreement)
    agreement.refresh_from_db()
    return agreement


def sign_all(agreement) -> None:

    agreement.refresh_from_db()
    for party in agreement.parties.select_related("user"):
        signing.agreement_sign(
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


class ExportFactory(factory.django.DjangoModelFactory):
    """A school's binder, built and ready (a district's export with `school=None,
    district=...`, `kind=...`)."""

    class Meta:
        model = Export

    kind = "binder"
    school = factory.SubFactory(SchoolFactory)
    district = None
    key = factory.LazyAttribute(
        lambda o: Export.key_for(o.kind, school=o.school, district=o.district)
    )
    day = factory.LazyFunction(_dt.date.today)
    state = "ready"
    filename = "evidence-binder.pdf"
    file = factory.django.FileField(filename="evidence-binder.pdf", data=b"%PDF-1.7 test")
    size = 13
    finished_at = factory.LazyFunction(timezone.now)


def active_agreement(world):
    """The world's school with a short agreement signed by its principal, officer
    and agency supervisor: in force."""
    return make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status="active",
        sections=SHORT_SECTIONS,
    )
