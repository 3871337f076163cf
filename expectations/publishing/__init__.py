"""Publishing guidelines: starters, a school's own, new versions."""
