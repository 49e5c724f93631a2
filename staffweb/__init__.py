"""Staff web pages: one login for every page, roles checked server-side, an audit log."""
