"""Families' public page of an event: sign-ups and cancellations."""
