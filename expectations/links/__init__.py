"""Links between agreement sections and the guideline statements they drive."""
