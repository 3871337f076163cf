"""Files built by the worker: a school's evidence binder, a district's readiness CSV
and every binder of a district in one ZIP, each kept for the day."""
