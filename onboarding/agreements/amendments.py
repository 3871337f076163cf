"""What the feature apps add to the page of an amendment.

An amendment rewrites sections that other capabilities build on (the staff
guidelines quote the agreement, for one). The foundation does not know them: it
asks each feature app's `agreements` module (see `onboarding/contributions.py`) for

    amendment_part(amendment: Agreement) -> AmendmentPart | None

called only for a person who manages the school, and includes each part's
`template` with `part` in the page's context. None, or an app without the
module, adds nothing.
"""

from dataclasses import dataclass

from onboarding.agreements.models import Agreement
from onboarding.contributions import contributions


@dataclass(frozen=True)
class AmendmentPart:
    template: str  # a fragment of the agreement page: a <section> with an <h2>
    items: list  # what the fragment lists, as plain data


def amendment_parts(amendment: Agreement) -> list[AmendmentPart]:
    parts = (module.amendment_part(amendment) for module in contributions("agreements"))
    return [part for part in parts if part is not None]
