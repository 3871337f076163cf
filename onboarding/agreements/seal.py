"""The seal on each signature: an HMAC-SHA256, with a key kept outside the database
(settings.SIGNATURE_SEAL_KEY), over what the signature says: which agreement and
version, the SHA-256 of the text signed, who signed, the name they typed, when and
from where. Someone who can write to the database can rewrite a text and recompute
its unkeyed SHA-256, but cannot recompute the seals: verification then fails."""

import hashlib
import hmac
import ipaddress
import json
from datetime import UTC

from django.conf import settings
from django.core import checks


def _key() -> bytes:
    return settings.SIGNATURE_SEAL_KEY.encode("utf-8")


def _address(ip: str | None) -> str:
    # As the database gives it back (PostgreSQL writes IPv6 in its own form).
    return str(ipaddress.ip_address(ip)) if ip else ""


def seal_of(signature, agreement_id: int) -> str:
    """The seal `signature` must carry (of the agreement `agreement_id`)."""
    message = json.dumps(
        [
            agreement_id,
            signature.version_id,
            signature.sha256,
            signature.user_id,
            signature.typed_name,
            signature.signed_at.astimezone(UTC).isoformat(),
            _address(signature.ip_address),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hmac.new(_key(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def is_sealed(signature, agreement_id: int) -> bool:
    return bool(signature.seal) and hmac.compare_digest(
        signature.seal, seal_of(signature, agreement_id)
    )


@checks.register(checks.Tags.security, deploy=True)
def check_seal_key(app_configs, **kwargs):
    key = settings.SIGNATURE_SEAL_KEY
    if key.startswith("development-seal:") or key == settings.SECRET_KEY or len(key) < 32:
        return [
            checks.Error(
                "SIGNATURE_SEAL_KEY is not set to a key of its own (at least 32 characters, "
                "not the SECRET_KEY).",
                hint="Set SIGNATURE_SEAL_KEY in the environment and keep it apart from "
                "the database and its backups (README, Tamper evidence).",
                id="sro_portal.E010",
            )
        ]
    return []
