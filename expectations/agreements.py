"""What the staff guidelines add to the role agreement's pages (the `agreements`
contribution, see `onboarding/agreements/amendments.py`)."""

from expectations.links.review import statements_to_review
from onboarding.agreements.amendments import AmendmentPart
from onboarding.agreements.models import Agreement


def amendment_part(amendment: Agreement) -> AmendmentPart | None:
    """The guideline statements quoting a section the amendment changes: the
    items the principal should review."""
    items = statements_to_review(amendment)
    if not items:
        return None
    return AmendmentPart("expectations/links/_amendment_review.html", items)
