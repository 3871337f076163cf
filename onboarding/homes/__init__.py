"""Each person's home page: what to do next, per role."""
