"""Engagement figures: introductions, talks, events attended, hours."""
