"""Where a guideline's emails stand, and sending the failed ones again."""
