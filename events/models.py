"""Bell schedules, class sections, introduction visits; events and invitations."""

from django.db import models  # noqa: F401

# ============================================================================
# Class introductions: bell schedules, class sections, availability, visits.
# ============================================================================


# (introductions models above this line)
#
#
#
# ============================================================================
# Events and invitations: events, invitations, family sign-ups, class talks.
# ============================================================================


# (events models above this line)
