"""The live directory of help contacts: staff add, verify and retire entries (issue 18)."""
