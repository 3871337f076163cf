"""Reading and acknowledging a guideline, with its scenario questions."""
