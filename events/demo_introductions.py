def seed(world) -> None:
    """Bell schedules, sections, availability and a plan (class introductions)."""
