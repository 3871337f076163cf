"""The role agreement (the MOU): versions, review, signing, amendments, documents."""
