"""People, schools, police agencies, the roles that join them, and the audit log."""

import hashlib
import secrets
import zoneinfo
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

US_STATES = [
    (code, code)
    for code in [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
    ]
]
TIME_ZONES = [
    (zone, zone)
    for zone in (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
    )
]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("A person needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # Sign-in is case-insensitive on the email address.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: principal, teacher, counselor, officer, supervisor..."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use Django's admin site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class District(models.Model):
    name = models.CharField(max_length=200)
    state = models.CharField(max_length=2, choices=US_STATES)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchoolQuerySet(models.QuerySet):
    def readiness_changed(self) -> int:
        """Bump these schools' readiness version, so that their kept readiness
        (`ReadinessSnapshot`, onboarding/readiness.py) is computed again at its next
        read. Called by AuditEvent.record, in the transaction of the change."""
        return self.update(readiness_version=F("readiness_version") + 1)

    def with_staff_counts(self):
        """Each school's `staff_count` and `mental_health_count` (active people).

        Both counts read the one join of the memberships, a row per membership, so
        they are plain counts (a distinct count sorts every membership of every
        school): filter this queryset across no other multi-valued relation."""
        active = Q(memberships__is_active=True, memberships__user__is_active=True)
        return self.annotate(
            staff_count=Count(
                "memberships", filter=active & Q(memberships__role__in=SCHOOL_STAFF_ROLES)
            ),
            mental_health_count=Count(
                "memberships", filter=active & Q(memberships__role=Role.MENTAL_HEALTH)
            ),
        )

    def with_setup(self):
        """Counts and key people for overview tables, in a fixed number of queries."""
        return (
            self.with_staff_counts()
            .select_related("district")
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.active()
                    .filter(role__in=[Role.PRINCIPAL, Role.SRO])
                    .select_related("user")
                    .order_by("user__full_name"),
                    to_attr="leaders",
                )
            )
        )


def leader_names(school_ids) -> dict[int, dict[str, list[str]]]:
    """{school_id: {"principal": [names], "sro": [names]}} of the active principals
    and officers of these schools, by name: plain rows for tables of many schools
    (no person objects)."""
    names = defaultdict(lambda: {Role.PRINCIPAL: [], Role.SRO: []})
    rows = (
        Membership.objects.active()
        .filter(school_id__in=school_ids, role__in=[Role.PRINCIPAL, Role.SRO])
        .order_by("user__full_name", "pk")
        .values_list("school_id", "role", "user__full_name")
    )
    for school_id, role, name in rows:
        names[school_id][role].append(name)
    return names


class School(models.Model):
    class Level(models.TextChoices):
        ELEMENTARY = "elementary", "Elementary school"
        MIDDLE = "middle", "Middle school"
        HIGH = "high", "High school"
        OTHER = "other", "Other"

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.OTHER)
    state = models.CharField(max_length=2, choices=US_STATES)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONES, default="America/Chicago")
    address = models.CharField(max_length=300, blank=True)
    # The school's identifier in the student information system (OneRoster orgs.csv).
    sis_id = models.CharField("SIS identifier", max_length=100, blank=True)
    # Bumped with every audited change (AuditEvent.record): a kept readiness
    # summary computed under an older version is never read again.
    readiness_version = models.PositiveIntegerField(default=0, editable=False)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    # The two below read the `leaders` prefetched by SchoolQuerySet.with_setup().
    @property
    def principals(self) -> list:
        return [m.user for m in self.leaders if m.role == Role.PRINCIPAL]

    @property
    def officers(self) -> list:
        return [m.user for m in self.leaders if m.role == Role.SRO]


class Agency(models.Model):
    """A police agency that employs School Resource Officers."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PRINCIPAL = "principal", "Principal"
    STAFF = "staff", "Staff"
    MENTAL_HEALTH = "mental_health", "Mental-health staff"
    SRO = "sro", "School Resource Officer"
    SUPERVISOR = "supervisor", "Agency supervisor"
    DISTRICT_ADMIN = "district_admin", "District admin"


# Roles held within one school, through a Membership.
SCHOOL_ROLES = [Role.PRINCIPAL, Role.STAFF, Role.MENTAL_HEALTH, Role.SRO]
# Roles a school's staff roster holds (the people who work for the school).
SCHOOL_STAFF_ROLES = [Role.PRINCIPAL, Role.STAFF, Role.MENTAL_HEALTH]


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """A person's role in one school. An officer has one per school served."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=[(r.value, r.label) for r in SCHOOL_ROLES])
    title = models.CharField(max_length=100, blank=True, help_text="For example: Counselor")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="one_membership_per_school")
        ]
        indexes = [
            models.Index(fields=["school", "role", "is_active"]),
            # "Schools an officer serves" (access checks on every page of a
            # supervisor, the navigation of everybody) reads only officers' rows.
            models.Index(
                fields=["user", "school"], condition=Q(role="sro"), name="membership_officer_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.school}"


class AgencyMembership(models.Model):
    """An officer or supervisor of a police agency."""

    class AgencyRole(models.TextChoices):
        OFFICER = "officer", "Officer"
        SUPERVISOR = "supervisor", "SRO supervisor"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="agency_memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=AgencyRole.choices)
    badge_number = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="one_role_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.agency}"


class DistrictMembership(models.Model):
    """A district-office administrator, who sees every school of the district."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="district_memberships")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="admins")
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "district"], name="one_admin_role_per_district")
        ]

    def __str__(self) -> str:
        return f"{self.user} — district admin of {self.district}"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An emailed link that lets a new person set a password and join with a role.

    Only a hash of the token is stored, so a database reader cannot use the link.
    The link works once and expires.
    """

    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} ({self.get_role_display()})"

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @classmethod
    def find_by_token(cls, token: str) -> "Invitation | None":
        return (
            cls.objects.select_related("school", "agency", "district")
            .filter(token_hash=_hash_token(token))
            .first()
        )

    @classmethod
    def default_expiry(cls):
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class SignIn(models.Model):
    """The session a person signed in with, so that deactivating them ends it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_ins")
    session_key = models.CharField(max_length=40, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} signed in at {self.created_at:%Y-%m-%d %H:%M}"


class AuditEvent(models.Model):
    """Who did what, when: written for every state change that matters."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"

    @classmethod
    def record(
        cls,
        *,
        action: str,
        summary: str,
        actor: User | None = None,
        school: School | None = None,
        target: models.Model | None = None,
        request=None,
        readiness_of=None,
        **data,
    ) -> "AuditEvent":
        """Write the event and, in the same transaction, bump the readiness version
        of the schools the change may affect: the event's school, plus
        `readiness_of` (a queryset of schools) where the change reaches further (a
        person of several schools acknowledging a district-wide guideline). An event
        without a school bumps the schools of the target's district, or every school
        when the target names none (district-wide and rare)."""
        if request is not None and actor is None and request.user.is_authenticated:
            actor = request.user
        event = cls.objects.create(
            action=action,
            summary=summary[:300],
            actor=actor,
            school=school,
            target_type=target._meta.label if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            data=data,
            ip_address=client_ip(request) if request is not None else None,
        )
        if action not in READINESS_UNCHANGED:
            if school is not None:
                changed = School.objects.filter(pk=school.pk)
                if readiness_of is not None:
                    # One statement, so that the rows are locked in one go.
                    changed = School.objects.filter(Q(pk=school.pk) | Q(pk__in=readiness_of))
            elif readiness_of is not None:
                changed = School.objects.filter(pk__in=readiness_of)
            elif getattr(target, "district_id", None) is not None:
                changed = School.objects.filter(district_id=target.district_id)
            else:
                changed = School.objects.all()
            changed.readiness_changed()
        return event


# Audited actions that change nothing a school's readiness reads, and which come
# without a school (so would otherwise bump every school): signing in, above all.
READINESS_UNCHANGED = {
    "account.signed_in",
    "agency.created",
    "agreement_template.section_saved",
    "agreement_template.section_removed",
    "event.family_contacts_purged",
    "introductions.feed_regenerate",
}


class ReadinessSnapshot(models.Model):
    """A school's readiness as `readiness.readiness_for` last computed it, and its
    engagement figures of the month, kept so that the pages that show them read one
    row instead of computing them on every request. `readiness.kept_readiness_for`
    and `kept_rows_for` read it while it is valid (same readiness version as the
    school, same local day, recent enough) and compute it again otherwise."""

    school = models.OneToOneField(
        School, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveIntegerField()  # the school's readiness_version it was computed at
    day = models.DateField()  # the school's local date it was computed for
    computed_at = models.DateTimeField()
    with_names = models.BooleanField()  # whether it names who is overdue
    data = models.BinaryField()  # the pickled SchoolReadiness, without its school
    # The month of the engagement figures kept with it, and the pickled
    # ReadinessRow (what the lists of schools show, with those figures).
    month = models.DateField(null=True)
    row = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return f"Readiness of school {self.school_id} (version {self.version}, {self.day})"


def client_ip(request) -> str | None:
    """The address a request came from (the last proxy hop when behind one)."""
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


# === Role agreements ===
# The written agreement between a school and the police agency on the officer's
# role. Every saved state is a numbered version; a signed version never changes.


class AgreementLocked(Exception):
    """Raised when code tries to change or delete a signed version or a signature."""


class AgreementTemplate(models.Model):
    """A district's own starting text. Without one, the built-in text is used."""

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, related_name="agreement_template"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Agreement template of {self.district}"


class TemplateSection(models.Model):
    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.CASCADE, related_name="sections"
    )
    key = models.SlugField(max_length=60)
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="one_template_section_per_key")
        ]

    def __str__(self) -> str:
        return self.title


class AgreementQuerySet(models.QuerySet):
    def readable_by(self, access, user):
        """The agreements of access.school that this person may open.

        Principals and district admins read all; the parties read theirs; anyone
        with reach to the school reads the active agreement (transparency)."""
        agreements = self.filter(school=access.school)
        if access.can_manage:
            return agreements
        readable = Q(status=Agreement.Status.ACTIVE)
        if access.is_sro or access.is_supervisor:
            readable |= Q(parties__user=user)
        return agreements.filter(readable).distinct()


class Agreement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        SIGNING = "signing", "Signing"
        ACTIVE = "active", "Active"
        SUPERSEDED = "superseded", "Superseded"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="agreements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="agreements")
    officer = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    start_date = models.DateField()
    review_date = models.DateField(help_text="The annual review of the agreement.")
    amends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    current_version = models.ForeignKey(
        "AgreementVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_for_signing_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    # The review date the 30-day reminder was last sent for, so it goes once.
    review_reminded_for = models.DateField(null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.REVIEW, self.Status.SIGNING)

    @property
    def badge_class(self) -> str:
        return {
            self.Status.DRAFT: "text-bg-secondary",
            self.Status.REVIEW: "text-bg-info",
            self.Status.SIGNING: "text-bg-warning",
            self.Status.ACTIVE: "text-bg-success",
            self.Status.SUPERSEDED: "text-bg-dark",
        }[self.status]


def canonical_text(title: str, sections) -> str:
    """The exact text a signature covers: the title and each section, in order,
    with line endings and trailing spaces normalized so the hash is stable."""

    def clean(text: str) -> str:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(line.rstrip() for line in lines).strip()

    parts = [f"# {clean(title)}"]
    for number, section in enumerate(sections, start=1):
        parts.append(f"## {number}. {clean(section.title)}\n\n{clean(section.body)}")
    return "\n\n".join(parts) + "\n"


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AgreementVersion(models.Model):
    """One saved state of an agreement. Never edited once anyone has signed it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # PROTECT, not SET_NULL: clearing the author would rewrite a signed version.
    author = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)
    text = models.TextField(help_text="The canonical text that signatures cover.")
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="one_agreement_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding and self.is_signed():
            raise AgreementLocked(f"Version {self.number} is signed; its text cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_signed():
            raise AgreementLocked(f"Version {self.number} is signed; it cannot be deleted.")
        return super().delete(*args, **kwargs)

    def is_signed(self) -> bool:
        return self.pk is not None and self.signatures.exists()

    def rebuilt_text(self, sections=None) -> str:
        """The canonical text rebuilt from the section rows (for verification)."""
        return canonical_text(
            self.agreement.title, sections if sections is not None else self.sections.all()
        )


class AgreementSection(models.Model):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="sections")
    # Stable across versions: comments and comparisons follow the key.
    key = models.SlugField(max_length=60)
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown.")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="one_section_per_key")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self._state.adding and self.version.is_signed():
            raise AgreementLocked("This section belongs to a signed version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.version.is_signed():
            raise AgreementLocked("This section belongs to a signed version.")
        return super().delete(*args, **kwargs)


class SectionComment(models.Model):
    """A comment on one section in review; replies form a thread, which resolves."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="comments")
    section_key = models.SlugField(max_length=60)
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.section_key}"


class SigningParty(models.Model):
    """Who signs, in which order, and in what capacity."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    order = models.PositiveIntegerField()
    role = models.CharField(max_length=100, help_text="For example: Principal, Police chief")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="signing_parties")
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "user"], name="one_party_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class Signature(models.Model):
    """A party's signature on one exact version. Never changed, never deleted."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    party = models.ForeignKey(SigningParty, on_delete=models.PROTECT, related_name="signatures")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=100)
    typed_name = models.CharField(max_length=150)
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the version's canonical text.")

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="one_signature_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.typed_name} signed {self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AgreementLocked("A signature cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AgreementLocked("A signature cannot be deleted.")
