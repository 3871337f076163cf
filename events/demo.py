"""Demo data of the events app: introductions first, then events (which may refer
to officers' visits)."""

from . import demo_events, demo_introductions


def seed(world) -> None:
    demo_introductions.seed(world)
    demo_events.seed(world)
