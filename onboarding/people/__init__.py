"""People and sign-in: accounts, invitations, roster imports, the People page."""
