"""Demo data of the events app: introductions first, then events (which may refer
to officers' visits)."""

from events.introductions import demo as demo_introductions
from events.invitations import demo as demo_events


def seed(world) -> None:
    demo_introductions.seed(world)
    demo_events.seed(world)
