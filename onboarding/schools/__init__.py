"""Districts, schools and police agencies, and people's roles in them."""
