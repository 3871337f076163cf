"""What keeps sign-in hard to abuse: one spelling of an address for the lockout and
the forms, and a limit on password-reset emails (kept in the database, so that it
holds across app servers)."""

import logging

from django.conf import settings

from onboarding.audit.models import AuditEvent, client_ip
from onboarding.ratelimit.models import RateCounter

log = logging.getLogger(__name__)

HOUR = 60 * 60


def normalized_address(address: str | None) -> str:
    """An email address as the portal stores and compares it: stripped, lower case.

    `lower()` rather than `casefold()`: accounts are stored in lower case, and
    casefold would turn "ß" into "ss", which is another domain under IDNA 2008."""
    return (address or "").strip().lower()


def axes_username(request, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: the lockout counts `Ana@School.org`, `ana@school.org`
    and ` ANA@SCHOOL.ORG ` as the one account they sign in to."""
    source = credentials if credentials else getattr(request, "POST", {})
    return normalized_address(source.get(settings.AXES_USERNAME_FORM_FIELD))


def password_reset_allowed(address: str, request) -> bool:
    """Count one reset request for this address and this client; False over either
    limit. The caller answers as usual either way, so that the page tells nothing."""
    ip = client_ip(request) or "unknown"
    counts = {
        "address": (
            RateCounter.count(f"reset:address:{normalized_address(address)}", window_seconds=HOUR),
            settings.PASSWORD_RESET_ADDRESS_LIMIT,
        ),
        "client": (
            RateCounter.count(f"reset:client:{ip}", window_seconds=HOUR),
            settings.PASSWORD_RESET_CLIENT_LIMIT,
        ),
    }
    over = [name for name, (hits, limit) in counts.items() if hits > limit]
    if not over:
        return True
    log.warning("Password reset refused (over the %s limit) from %s", " and ".join(over), ip)
    # Once per key and window in the audit log; the log line says the rest, so that a
    # flood does not flood the audit log.
    if any(counts[name][0] == counts[name][1] + 1 for name in over):
        AuditEvent.record(
            action="account.password_reset_limited",
            summary=f"Password reset emails held back: over the {' and '.join(over)} limit",
            request=request,
            limits=over,
            address=normalized_address(address),
        )
    return False
