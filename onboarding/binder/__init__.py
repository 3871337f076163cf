"""The evidence binder: a school's year as one PDF."""
