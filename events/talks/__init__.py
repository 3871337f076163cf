"""Class talks: topics officers offer and teachers' requests."""
