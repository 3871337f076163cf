def seed(world) -> None:
    """Events, invitations, family sign-ups and class talks."""
