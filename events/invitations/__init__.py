"""School events and the invitations to them: calendar, answers, attendance."""
