"""Who has acknowledged a guideline: the roster, its CSV, reminders."""
