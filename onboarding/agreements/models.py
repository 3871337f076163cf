import hashlib
from functools import cached_property

from django.db import models
from django.db.models import F, FilteredRelation, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from onboarding.agreements.seal import is_sealed, seal_of
from onboarding.people.models import User
from onboarding.schools.models import Agency, School
from sro_portal.text import render_markdown, render_markdown_many


class AgreementLocked(Exception):
    """Raised when code tries to change or delete a signed version or a signature."""


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

    # Set by verification (onboarding/agreements/integrity.py) when the signed text
    # or its signatures were changed behind the product's back.
    altered = False

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreement_detail", args=[self.school_id, self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.REVIEW, self.Status.SIGNING)

    def get_status_display(self) -> str:
        # Every page that shows the status says so when verification failed.
        return (
            "Altered: not in force"
            if self.altered
            else self._get_FIELD_display(self._meta.get_field("status"))
        )

    @property
    def in_force(self) -> bool:
        return self.status == self.Status.ACTIVE and not self.altered

    @property
    def badge_class(self) -> str:
        if self.altered:
            return "text-bg-danger"
        return {
            self.Status.DRAFT: "text-bg-secondary",
            self.Status.REVIEW: "text-bg-info",
            self.Status.SIGNING: "text-bg-warning",
            self.Status.ACTIVE: "text-bg-success",
            self.Status.SUPERSEDED: "text-bg-dark",
        }[self.status]

    def history(self):
        """Every saved version, oldest first, without its full text (a page that
        lists them shows each one's hash)."""
        return self.versions.defer("text")

    def amendment_list(self) -> list["Agreement"]:
        """The amendments of this agreement, each with its `current_version_number`."""
        return list(self.amendments.annotate(current_version_number=F("current_version__number")))

    def parties_with_signatures(self, version: "AgreementVersion") -> list["SigningParty"]:
        """The signing parties in order, each with `signature`: theirs on `version`,
        or None. One query."""
        parties = list(
            self.parties.annotate(
                version_signature=FilteredRelation(
                    "signatures", condition=Q(signatures__version=version)
                )
            ).select_related("user", "version_signature")
        )
        for party in parties:
            # Not set at all when the party has not signed this version.
            party.signature = getattr(party, "version_signature", None)
        return parties


def next_party(parties: list["SigningParty"]) -> "SigningParty | None":
    """The first party in order who has not signed (of `parties_with_signatures`)."""
    return next((party for party in parties if party.signature is None), None)


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

    def checks(self, sections, signatures, parties=None) -> list[tuple[str, bool]]:
        """What verification checks, and whether each holds: the stored text
        against the hash recorded with it, the section rows against the text, each
        signature's hash against the text and its seal (which no one without the
        seal key can make), and, given the `parties` of a fully signed agreement,
        that each of them signed."""
        recomputed = sha256_hex(self.text)
        agreement_id = self.agreement_id
        results = [
            (
                "The stored text matches the hash recorded when this version was saved",
                recomputed == self.sha256,
            ),
            ("The sections match the stored text", self.rebuilt_text(sections) == self.text),
        ]
        for s in signatures:
            results.append(
                (f"{s.typed_name}'s signature covers exactly this text", s.sha256 == recomputed)
            )
            results.append(
                (
                    f"{s.typed_name}'s signature carries the district's seal",
                    s.is_sealed(agreement_id),
                )
            )
        if parties is not None:
            signed = {s.party_id for s in signatures}
            results.append(
                ("Every signing party signed this version", all(p.pk in signed for p in parties))
            )
        return results

    def is_intact(self, sections, signatures, parties=None) -> bool:
        return all(ok for _, ok in self.checks(sections, signatures, parties))


def section_html(body: str) -> SafeString:
    """A section's Markdown as HTML; its headings sit under the section's title."""
    return render_markdown(body, top_heading=3)


def with_html(sections) -> list["AgreementSection"]:
    """The sections, each with its `html`, read for all of them with one cache read."""
    sections = list(sections)
    bodies = render_markdown_many([section.body for section in sections], top_heading=3)
    for section, html in zip(sections, bodies, strict=True):
        section.html = html
    return sections


class AgreementSectionQuerySet(models.QuerySet):
    def last_saved(self, agreement: Agreement, key: str) -> "AgreementSection | None":
        """Section `key` as last saved: in the current version, or else in the
        last version that had it (it has been removed since)."""
        return (
            self.filter(version__agreement=agreement, key=key).order_by("-version__number").first()
        )


class AgreementSection(models.Model):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="sections")
    # Stable across versions: comments and comparisons follow the key.
    key = models.SlugField(max_length=60)
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown.")

    objects = AgreementSectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="one_section_per_key")
        ]

    # The comment threads on this section, where a page shows them
    # (`SectionComment.objects.threads_for`).
    threads: list | tuple = ()

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

    @cached_property
    def html(self) -> SafeString:
        """Rendered on first use; a page of many sections reads them all at once
        with `with_html`."""
        return section_html(self.body)

    @property
    def open_threads(self) -> int:
        return sum(1 for thread in self.threads if thread.resolved_at is None)


class SectionCommentQuerySet(models.QuerySet):
    def threads_for(
        self, agreement: Agreement, versions: list[AgreementVersion]
    ) -> dict[str, list["SectionComment"]]:
        """{section key: its threads, oldest first}, each thread with `reply_list`,
        and each comment with its `author_name` and `resolved_by_name`, and its
        `version` taken from `versions` (the agreement's, as the page already has
        them). One query: a reply answers a thread, never a reply."""
        threads: dict[str, list[SectionComment]] = {}
        replies: dict[int, list[SectionComment]] = {}
        by_pk = {version.pk: version for version in versions}
        comments = self.filter(agreement=agreement).annotate(
            author_name=F("author__full_name"), resolved_by_name=F("resolved_by__full_name")
        )
        for comment in comments:
            comment.version = by_pk[comment.version_id]
            if comment.parent_id is None:
                threads.setdefault(comment.section_key, []).append(comment)
            else:
                replies.setdefault(comment.parent_id, []).append(comment)
        for section_threads in threads.values():
            for thread in section_threads:
                thread.reply_list = replies.get(thread.pk, [])
        return threads


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

    objects = SectionCommentQuerySet.as_manager()

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
    # HMAC-SHA256 with a key outside the database (onboarding/agreements/seal.py).
    seal = models.CharField(max_length=64, blank=True)

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

    def sealed(self, agreement_id: int) -> "Signature":
        """This new signature with its seal (of the agreement `agreement_id`)."""
        self.seal = seal_of(self, agreement_id)
        return self

    def is_sealed(self, agreement_id: int) -> bool:
        return is_sealed(self, agreement_id)
