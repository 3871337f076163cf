"""Class introductions: availability, the plan, the scheduler, visits."""
