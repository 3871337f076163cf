"""Whether a signed agreement is still what was signed, for the pages and files
that show it or count it as in force. An altered agreement shows “Altered: not in
force” wherever its status shows (`Agreement.get_status_display`), and counts as
not in force (readiness)."""

from collections import defaultdict

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import SHA256

from onboarding.agreements.models import Agreement, AgreementVersion, Signature, SigningParty

SIGNED = (Agreement.Status.ACTIVE, Agreement.Status.SUPERSEDED)
# Out for signing, some parties may have signed already: what they signed must
# still be the text the next one is shown.
CHECKED = (*SIGNED, Agreement.Status.SIGNING)


class TextSHA256(SHA256):
    """SHA-256 of a text as UTF-8, in hex: on PostgreSQL with its built-in
    `sha256` (Django's SHA256 needs the pgcrypto extension there)."""

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="encode(sha256(convert_to(%(expressions)s, 'UTF8')), 'hex')",
            **extra_context,
        )


def mark_altered(agreements) -> None:
    """Set `altered` on each of `agreements` that is signed (active or superseded)
    and whose current version fails verification: its text against its SHA-256
    (computed by the database, the text is not read), each party's signature
    against that hash and its seal. Three queries whatever their number. The pages
    that show the text check its sections too (`AgreementVersion.checks`)."""
    signed = [a for a in agreements if a.status in CHECKED and a.current_version_id]
    if not signed:
        return
    version_ids = [a.current_version_id for a in signed]
    versions = {
        pk: (sha256, ok)
        for pk, sha256, ok in AgreementVersion.objects.filter(pk__in=version_ids)
        .annotate(ok=ExpressionWrapper(Q(sha256=TextSHA256("text")), output_field=BooleanField()))
        .values_list("pk", "sha256", "ok")
    }
    signatures = defaultdict(list)
    for signature in Signature.objects.filter(version_id__in=version_ids).only(
        "version_id",
        "party_id",
        "user_id",
        "typed_name",
        "signed_at",
        "ip_address",
        "sha256",
        "seal",
    ):
        signatures[signature.version_id].append(signature)
    parties = defaultdict(set)
    for agreement_id, pk in SigningParty.objects.filter(agreement__in=signed).values_list(
        "agreement_id", "pk"
    ):
        parties[agreement_id].add(pk)
    for agreement in signed:
        sha256, text_ok = versions[agreement.current_version_id]
        made = signatures[agreement.current_version_id]
        good = {s.party_id for s in made if s.sha256 == sha256 and s.is_sealed(agreement.pk)}
        if agreement.status == Agreement.Status.SIGNING:
            # Each signature made so far holds; the others are still to come.
            agreement.altered = not (text_ok and {s.party_id for s in made} <= good)
        else:
            agreement.altered = not (
                text_ok and parties[agreement.pk] and parties[agreement.pk] <= good
            )


def check_current(agreement: Agreement, sections, parties) -> None:
    """Set `agreement.altered` from the full verification of its current version,
    for a page that already has its sections and its `parties_with_signatures`."""
    if agreement.status not in CHECKED:
        return
    signatures = [p.signature for p in parties if p.signature is not None]
    agreement.current_version.agreement = agreement  # known: no query for its title
    every_party = parties if agreement.status in SIGNED else None  # signing: not yet
    agreement.altered = not agreement.current_version.is_intact(sections, signatures, every_party)
